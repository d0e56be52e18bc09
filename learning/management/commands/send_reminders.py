"""The former name of ``manage.py run_scheduled`` (website), kept so existing cron lines
keep working: it runs every app's scheduled jobs, not only learning's."""

from website.management.commands.run_scheduled import Command as RunScheduled


class Command(RunScheduled):
    help = "Alias of run_scheduled: " + RunScheduled.help
