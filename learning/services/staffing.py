"""Who works on the trainings: coordinators get the training catalogue's pages, trainers are
linked to the sessions they lead (roles, issue 14)."""

from __future__ import annotations

from django.apps import apps as django_apps
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from learning import access, audit
from learning.models import Session
from learning.services.common import RegistrationError
from website import roles


def give_coordinators_the_catalogue(*, page_id: int) -> None:
    """Coordinators edit and publish the trainings (and their sessions) under a training
    catalogue page; done for each catalogue page when it is created."""
    roles.grant_pages(django_apps, roles.COORDINATOR, page_id, roles.EDITOR_PAGE_PERMISSIONS)


def set_session_trainers(*, session_id: int, user_ids: list[int]) -> list[int]:
    """Link exactly these accounts to the session as its trainers. Only active accounts
    that hold the trainer permission qualify; anything else is refused as a whole."""
    wanted = set(user_ids)
    eligible = set(access.trainer_accounts().filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - eligible:
        raise RegistrationError(_("Only active accounts with the role Trainer can lead a session."))
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
        session.trainers.set(sorted(wanted))
        audit.record(session, audit.TRAINERS, data={"count": len(wanted)})
    return sorted(wanted)
