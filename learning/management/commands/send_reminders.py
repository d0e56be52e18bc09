import logging
import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections
from django.utils import timezone

from learning import services

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Send due session reminders and evaluation surveys (each exactly once) and anonymise "
        "registrations past LEARNING_RETENTION_DAYS. Run it from "
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
        if not every:
            self._run_once()
            return
        while True:
            # A long-running loop outlives database restarts and bad moments: one failed
            # round is logged and the next one tries again (each e-mail is claimed exactly
            # once, so retrying is safe).
            close_old_connections()
            try:
                self._run_once()
            except Exception:
                log.exception("Scheduled reminders and surveys failed; retrying in %ss", every)
            time.sleep(every)

    def _run_once(self):
        counts = services.run_scheduled(now=timezone.now())
        self.stdout.write(
            f"{counts['reminders']} reminder(s), {counts['surveys']} survey(s) queued, "
            f"{counts.get('anonymised', 0)} participant(s) anonymised."
        )
