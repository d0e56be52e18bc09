import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Create a local admin account with a random password, printed once (DEBUG only)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Only for local development (DEBUG=True).")
        User = get_user_model()
        if User.objects.filter(is_superuser=True).exists():
            self.stdout.write(
                "Admin account exists (forgot the password? "
                "`.venv/bin/python manage.py changepassword admin`)."
            )
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser("admin", "admin@localhost", password)
        bar = "=" * 64
        self.stdout.write(
            f"\n{bar}\n Wagtail admin: http://127.0.0.1:8000/admin/\n"
            f" user: admin   password: {password}\n (shown once; not stored anywhere)\n{bar}\n"
        )
