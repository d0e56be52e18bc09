"""Erasing one person's data on request (data-subject rights, issue 14). The same rule as the
retention job: what identifies the person goes, the facts reports count stay."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from learning.models import (
    ACTIVE_STATUSES,
    Evaluation,
    Participant,
    Registration,
    SessionStatus,
    SignInToken,
    TrainingRequest,
)


def erase_blockers(*, email: str, now: dt.datetime) -> list[str]:
    """Why the data cannot be erased yet: a place for a session still to come (cancel it
    first; the person is told by e-mail)."""
    reasons = []
    upcoming = (
        Registration.objects.filter(
            participant__email__iexact=email,
            status__in=ACTIVE_STATUSES,
            session__status=SessionStatus.PLANNED,
            session__ends_at__gt=now,
        )
        .select_related("session__page")
        .order_by("session__starts_at")
    )
    for registration in upcoming:
        start = timezone.localtime(registration.session.starts_at)
        reasons.append(
            _(
                "The registration for %(training)s on %(date)s is still active: cancel it "
                "first on the session's page (the person gets an e-mail)."
            )
            % {"training": registration.session.page.title, "date": f"{start:%d-%m-%Y}"}
        )
    return reasons


def erase_personal_data(*, email: str, now: dt.datetime) -> dict[str, int]:
    """Wipe the participant details, comments and request contacts of this address and
    delete its sign-in links; the number of records per kind."""
    with transaction.atomic():
        participants = Participant.objects.filter(email__iexact=email)
        registration_ids = list(participants.values_list("registration_id", flat=True))
        comments = (
            Evaluation.objects.filter(registration_id__in=registration_ids)
            .exclude(improvement="")
            .update(improvement="")
        )
        people = participants.update(
            first_name="", last_name="", email="", function="", needs="", anonymised_at=now
        )
        links, _detail = SignInToken.objects.filter(email__iexact=email).delete()
        requests = TrainingRequest.objects.filter(contact_email__iexact=email).update(
            contact_name="", contact_email="", contact_phone="", remarks=""
        )
    return {
        _("Participant details"): people,
        _("Evaluation comments"): comments,
        _("Sign-in links"): links,
        _("Contact details of requests"): requests,
    }
