"""Publishing proposes a mailing. Wagtail's ``page_published`` signal is sent for every
publish, from the editor, the workflow and scheduled publishing (``publish_scheduled``)
alike, which the admin's ``after_publish_page`` hook is not; the rule itself lives in
``services.propose_mailing``."""

import logging

from django.db import transaction
from django.utils import timezone
from wagtail.signals import page_published

from subscriptions import services

log = logging.getLogger(__name__)


def on_page_published(sender, instance, **kwargs):
    # A revision scheduled for later is "published" without going live: not yet.
    if not instance.live:
        return
    try:
        with transaction.atomic():
            services.propose_mailing(page_id=instance.pk, now=timezone.now())
    except Exception:  # never stand in the way of publishing
        log.exception("No mailing proposed for page %s", instance.pk)


def connect():
    page_published.connect(on_page_published, dispatch_uid="subscriptions.propose_mailing")
