"""Cache invalidation on every change to trainings, sessions and registrations, and
the hand-over of editor cancellations to the services after a page is published."""

from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from wagtail.signals import page_published, page_unpublished

from learning import services
from learning.fragments import bump_cache_version
from learning.models import Registration, Session, TrainingPage


def _bump(**kwargs):
    bump_cache_version()


def _after_publish(sender, instance, **kwargs):
    services.apply_editor_cancellations(page_id=instance.pk, now=timezone.now())


def connect():
    page_published.connect(_bump, sender=TrainingPage, dispatch_uid="learning-pub")
    page_published.connect(_after_publish, sender=TrainingPage, dispatch_uid="learning-cancel")
    page_unpublished.connect(_bump, sender=TrainingPage, dispatch_uid="learning-unpub")
    for model in (Session, Registration, TrainingPage):
        post_save.connect(_bump, sender=model, dispatch_uid=f"learning-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"learning-del-{model.__name__}")
