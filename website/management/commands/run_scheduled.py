import logging
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from website import hooks as cter

log = logging.getLogger(__name__)


class Command(BaseCommand):
    help = (
        "Run every app's periodic jobs once (hook cter_scheduled_jobs: reminders, surveys, "
        "anonymisation, outbox retries, ...). Run it from cron, e.g. every 15 minutes, or "
        "keep it running with --every SECONDS. Each job claims what it sends, so several "
        "copies at once are harmless."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running and run the jobs again every SECONDS (what `make run` uses).",
        )

    def handle(self, *args, every, **options):
        if not every:
            if self.run_once():
                raise CommandError("Some scheduled jobs failed (see the log).")
            return
        while True:
            # A long-running loop outlives database restarts and bad moments: a failed
            # job is logged and the next round tries again (what a job sends it claims
            # exactly once, so retrying is safe).
            close_old_connections()
            self.run_once()
            time.sleep(every)

    def run_once(self) -> int:
        """Run every job; one that fails is logged and the others still run. Returns the
        number of jobs that failed."""
        failed = 0
        now = timezone.now()
        for job in cter.scheduled_jobs():
            try:
                self.stdout.write(job(now=now))
            except Exception:
                failed += 1
                log.exception("Scheduled job %s.%s failed", job.__module__, job.__name__)
        return failed
