from django.core.management.base import BaseCommand
from django.utils import timezone

from website import mail


class Command(BaseCommand):
    help = "Retry pending e-mails in the outbox whose retry time has come."

    def handle(self, *args, **options):
        sent = mail.retry_due_emails(now=timezone.now())
        self.stdout.write(f"{sent} e-mail(s) sent.")
