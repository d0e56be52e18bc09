"""Cache invalidation on every change to trainings, sessions and registrations. (Nothing
else: a page save never cancels a session; coordinators do, through the services.)"""

from django.db.models.signals import post_delete, post_save
from wagtail.signals import page_published, page_unpublished

from learning.fragments import bump_cache_version
from learning.models import Registration, Session, TrainingPage


def _bump(**kwargs):
    bump_cache_version()


def connect():
    page_published.connect(_bump, sender=TrainingPage, dispatch_uid="learning-pub")
    page_unpublished.connect(_bump, sender=TrainingPage, dispatch_uid="learning-unpub")
    for model in (Session, Registration, TrainingPage):
        post_save.connect(_bump, sender=model, dispatch_uid=f"learning-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"learning-del-{model.__name__}")
