import time

from django.core.management.base import BaseCommand
from django.utils import timezone

from website.hooks import seed_volume_content


class Command(BaseCommand):
    help = (
        "Add a large history on top of the demo content (run seed_demo first): by default "
        "100,000 registrations over 3 years and 1,000,000 daily view/download counts."
    )

    def add_arguments(self, parser):
        parser.add_argument("--registrations", type=int, default=100_000)
        parser.add_argument("--counts", type=int, default=1_000_000)
        parser.add_argument("--years", type=int, default=3)

    def handle(self, *args, registrations, counts, years, **options):
        started = time.monotonic()
        made = seed_volume_content(
            registrations=max(registrations, 0),
            counts=max(counts, 0),
            years=max(years, 1),
            now=timezone.now(),
            stdout=self.stdout,
        )
        seconds = time.monotonic() - started
        self.stdout.write(
            self.style.SUCCESS(f"Volume ready: {made} count rows, {seconds:.0f} s in all.")
        )
