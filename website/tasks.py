"""Background work (django-tasks): e-mail delivery from the durable outbox, and the
worker's heartbeat (``website.health``)."""

from django.utils import timezone
from django_tasks import task

from website import health, mail


@task(backend="background")  # "default" queue: valid in base and test settings
def deliver_email(email_id: int) -> bool:
    return mail.deliver(email_id=email_id, now=timezone.now())


@task(backend="background")  # the same queue as the e-mails: it proves their worker runs
def heartbeat() -> int:
    """Queued by the scheduler; its finished row is the worker's heartbeat (``/health/``).
    Returns how many old heartbeat rows it pruned."""
    return health.prune_heartbeats(now=timezone.now())


def heartbeat_job(*, now) -> str:
    """The scheduler's job (hook SCHEDULED_JOBS): queue a heartbeat for the task worker."""
    heartbeat.enqueue()
    return "Heartbeat queued for the task worker."
