from django.core.management import call_command
from django.core.management.base import BaseCommand

from website.hooks import seed_demo_content
from website.models import HomePage


class Command(BaseCommand):
    help = "Create or update realistic Dutch demo content (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale", type=int, default=1, help="Multiply the volume (for benchmarks)."
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="Do nothing when demo content exists."
        )

    def handle(self, *args, scale, if_empty, **options):
        if if_empty and HomePage.objects.exists():
            self.stdout.write("Demo content exists; skipped.")
            return
        # Every app's seeding runs through the DEMO_CONTENT hook, in hook order
        # (outreach last: it shows what learning and podcasts publish).
        for name in seed_demo_content(scale=max(scale, 1), stdout=self.stdout):
            self.stdout.write(f"Seeded {name}")
        call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
