"""The content stamp moves on every change to sessions and registrations (places left and
next dates show on public pages; training pages are pages, which website.stamps watches),
and editor cancellations go to the services after a training is published."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published

from learning import services
from learning.models import NetworkEventPage, Registration, Session, TrainingPage
from website import stamps


def _bump(**kwargs):
    stamps.bump()


def _after_publish(sender, instance, **kwargs):
    services.apply_editor_cancellations(page_id=instance.pk, now=timezone.now())


def connect():
    # Wagtail sends page_published with the specific class as sender: events too.
    page_published.connect(_after_publish, sender=TrainingPage, dispatch_uid="learning-cancel")
    page_published.connect(
        _after_publish, sender=NetworkEventPage, dispatch_uid="learning-cancel-event"
    )
    for model in (Session, Registration):
        post_save.connect(_bump, sender=model, dispatch_uid=f"learning-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"learning-del-{model.__name__}")
