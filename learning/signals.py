"""The facts stamp moves on every change to sessions and registrations (places left and
next dates show on public pages; training pages are pages, which website.stamps watches),
but for a new registration on a waiting list: public pages count confirmed places only
(the registration service bumps itself when workshop choices come with it). Nothing
else: a page save never cancels a session; coordinators do, through the services."""

from django.db.models.signals import post_delete, post_save

from learning.models import Registration, RegistrationStatus, Session
from website import stamps


def _bump(sender, instance=None, created=False, **kwargs):
    if created and sender is Registration and instance.status == RegistrationStatus.WAITING:
        return
    stamps.bump(stamps.FACTS)


def connect():
    for model in (Session, Registration):
        post_save.connect(_bump, sender=model, dispatch_uid=f"learning-save-{model.__name__}")
        post_delete.connect(_bump, sender=model, dispatch_uid=f"learning-del-{model.__name__}")
