import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from learning import services


class Command(BaseCommand):
    help = "Remove personal details of registrations for sessions that ended long ago."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep details this many days after the session (default LEARNING_RETENTION_DAYS).",
        )

    def handle(self, *args, days, **options):
        now = timezone.now()
        if days is None:
            days = services.retention().days
        count = services.anonymise_participants(ended_before=now - dt.timedelta(days=days), now=now)
        self.stdout.write(f"{count} participant(s) anonymised.")
