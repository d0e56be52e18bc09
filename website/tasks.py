"""Background work (django-tasks): e-mail delivery from the durable outbox."""

from django.utils import timezone
from django_tasks import task

from website import mail


@task(backend="background")  # "default" queue: valid in base and test settings
def deliver_email(email_id: int) -> bool:
    return mail.deliver(email_id=email_id, now=timezone.now())
