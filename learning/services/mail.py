"""Registration e-mails: rendered inside the caller's transaction and stored in the
site's durable outbox (``website.mail``), which delivers them after the commit and
retries with back-off."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from learning.ics import registration_ics, track_ics
from learning.models import Kind, Registration, RegistrationStatus, SessionStatus
from learning.services.common import personal_url
from website.mail import MAX_ATTEMPTS, deliver, render, retry_due_emails, store_and_send
from website.models import OutboxEmail

__all__ = [
    "MAX_ATTEMPTS",
    "SUBJECTS",
    "deliver",
    "queue_email",
    "queue_track_email",
    "retry_due_emails",
    "store_and_send",
]

SUBJECTS = {
    "confirmed": _("Registration confirmed: %(title)s"),
    "waiting": _("On the waiting list: %(title)s"),
    "promoted": _("A place has become available: %(title)s"),
    "cancelled": _("Registration cancelled: %(title)s"),
    "session_cancelled": _("Session cancelled: %(title)s"),
    "session_changed": _("Session changed: %(title)s"),
    "link_resent": _("Your registration: %(title)s"),
    "reminder": _("Reminder: %(title)s"),
}
TRACK_SUBJECT = _("Registration for the track: %(title)s")
TRACK_RESENT_SUBJECT = _("Your registration for the track: %(title)s")


def queue_email(registration: Registration, template: str, *, now: dt.datetime) -> OutboxEmail:
    """Render the e-mail now (inside the caller's transaction); send after commit."""

    session = registration.session
    url = personal_url(registration)
    cancel = template in ("cancelled", "session_cancelled")
    # No invite for people on the waiting list (except the CANCEL of a cancellation).
    with_ics = cancel or registration.status == RegistrationStatus.CONFIRMED
    confirmed = registration.status == RegistrationStatus.CONFIRMED
    context = {
        "registration": registration,
        "participant": registration.participant,
        "session": session,
        "page": session.page,
        "dayparts": session.dayparts(),
        "personal_url": url,
        "join_url": session.join_url if confirmed and session.online else "",
        "kind": template,
        # Network events: the workshops chosen per round (no query for trainings).
        "workshops": list(registration.workshop_choices.select_related("workshop"))
        if session.page.kind == Kind.NETWORK_EVENT
        else [],
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(SUBJECTS[template] % {"title": session.page.title})
    text, html = render("learning/email/registration", context)
    ics = (
        registration_ics(registration=registration, personal_url=url, now=now, cancel=cancel)
        if with_ics
        else b""
    )
    return store_and_send(
        to=registration.participant.email,
        subject=subject,
        text=text,
        html=html,
        ics=ics.decode(),
    )


def queue_track_email(
    registrations: list[Registration], *, resent: bool, now: dt.datetime
) -> OutboxEmail:
    """One e-mail for a whole connection track: every meeting with its own outcome
    (confirmed or waiting list) and personal link, one calendar file holding every
    confirmed meeting."""
    first = registrations[0]
    page = first.session.page
    meetings = [
        {
            "registration": registration,
            "session": registration.session,
            "dayparts": registration.session.dayparts(),
            "personal_url": personal_url(registration),
            "confirmed": registration.status == RegistrationStatus.CONFIRMED,
        }
        for registration in registrations
    ]
    context = {"participant": first.participant, "page": page, "meetings": meetings}
    with translation.override(settings.LANGUAGE_CODE):
        subject = str((TRACK_RESENT_SUBJECT if resent else TRACK_SUBJECT) % {"title": page.title})
    text, html = render("learning/email/track", context)
    confirmed = [
        (m["registration"], m["personal_url"])
        for m in meetings
        if m["confirmed"] and m["session"].status == SessionStatus.PLANNED
    ]
    ics = track_ics(registrations=confirmed, now=now) if confirmed else b""
    return store_and_send(
        to=first.participant.email, subject=subject, text=text, html=html, ics=ics.decode()
    )
