import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from learning import services


class Command(BaseCommand):
    help = (
        "Send due session reminders and evaluation surveys (each exactly once). Run it from "
        "cron, e.g. every 15 minutes, or keep it running with --every SECONDS."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and check again every SECONDS (what `make run` uses).",
        )

    def handle(self, *args, every, **options):
        while True:
            counts = services.run_scheduled(now=timezone.now())
            self.stdout.write(
                f"{counts['reminders']} reminder(s), {counts['surveys']} survey(s) queued."
            )
            if not every:
                return
            close_old_connections()
            time.sleep(every)
