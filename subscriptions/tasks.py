"""Background work (django-tasks): sending a mailing after an editor decided."""

from django.utils import timezone
from django_tasks import task

from subscriptions import services


@task(backend="background")
def send_mailing(mailing_id: int) -> int:
    return services.send_mailing(mailing_id=mailing_id, now=timezone.now())
