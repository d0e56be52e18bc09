from importlib import import_module

from django.core.management import call_command
from django.core.management.base import BaseCommand

from website.models import HomePage

# Each app may ship a `demo` module with `seed(*, scale, stdout)`; order matters
# (outreach shows what learning and podcasts publish).
DEMO_MODULES = [
    "website.demo",
    "learning.demo",
    "podcasts.demo",
    "outreach.demo",
    "insights.demo",
]


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
        for path in DEMO_MODULES:
            try:
                module = import_module(path)
            except ModuleNotFoundError as exc:
                if exc.name != path:
                    raise
                continue
            module.seed(scale=max(scale, 1), stdout=self.stdout)
            self.stdout.write(f"Seeded {path}")
        call_command("update_index", verbosity=0)
        self.stdout.write(self.style.SUCCESS("Demo content ready."))
