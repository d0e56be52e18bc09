"""Domain rules: register, cancel, promote, move, cancel a session, deliver e-mail.

Every capacity decision runs in one transaction that locks the session row
(``select_for_update``; SQLite serialises writers with IMMEDIATE transactions).
E-mails are written to a durable outbox inside the same transaction and handed to
a background task after the commit, so nobody is mailed about a rolled-back place.
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from learning.models import (
    ACTIVE_STATUSES,
    Organisation,
    OutboxEmail,
    OutboxStatus,
    Participant,
    Registration,
    RegistrationStatus,
    RequestKind,
    Session,
    SessionStatus,
    TrainingRequest,
)
from website.models import Municipality

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


class RegistrationError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    function: str
    organisation: str
    target_group_id: int
    municipality: Municipality | None = None
    municipality_scope: str = ""
    needs: str = ""


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


def personal_url(registration: Registration) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:registration", args=[registration.token])


# ----- registering ---------------------------------------------------------------


def _lock_session(session_id: int) -> Session:
    from learning.selectors import bump_cache_version

    transaction.on_commit(bump_cache_version)
    return Session.objects.select_for_update().select_related("page").get(pk=session_id)


def _confirmed_count(session: Session) -> int:
    return session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def check_open(session: Session, *, now: dt.datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RegistrationError(_("This session has been cancelled."))
    if session.ends_at <= now:
        raise RegistrationError(_("This session has already taken place."))
    if now >= (session.deadline or session.starts_at):
        raise RegistrationError(_("Registration for this session is closed."))


def _organisation(name: str) -> Organisation:
    name = " ".join(name.split())
    found = Organisation.objects.filter(name__iexact=name).first()
    return found or Organisation.objects.create(name=name)


def register(*, session_id: int, person: Person, now: dt.datetime) -> RegistrationResult:
    """Confirmed while places are left, else on the waiting list. An address that is
    already active on the session gets its personal link again instead of a duplicate."""
    email = person.email.strip()
    with transaction.atomic():
        session = _lock_session(session_id)
        existing = (
            Registration.objects.filter(
                session=session, status__in=ACTIVE_STATUSES, participant__email__iexact=email
            )
            .select_related("participant")
            .first()
        )
        if existing:
            queue_email(existing, "link_resent", now=now)
            return RegistrationResult(existing, created=False)
        check_open(session, now=now)
        status = (
            RegistrationStatus.CONFIRMED
            if _confirmed_count(session) < session.capacity
            else RegistrationStatus.WAITING
        )
        registration = Registration.objects.create(
            session=session,
            status=status,
            target_group_id=person.target_group_id,
            municipality=person.municipality,
            municipality_scope=person.municipality_scope,
            organisation=_organisation(person.organisation),
            created_at=now,
            status_changed_at=now,
        )
        registration.participant = Participant.objects.create(
            registration=registration,
            first_name=person.first_name.strip(),
            last_name=person.last_name.strip(),
            email=email,
            function=person.function.strip(),
            needs=person.needs.strip(),
        )
        queue_email(
            registration,
            "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting",
            now=now,
        )
    return RegistrationResult(registration, created=True)


def _promote(session: Session, *, now: dt.datetime) -> list[Registration]:
    """Fill free places from the waiting list in arrival order (session row locked)."""
    free = session.capacity - _confirmed_count(session)
    if free <= 0:
        return []
    waiting = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("participant", "session__page")
        .order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        queue_email(registration, "promoted", now=now)
    return waiting


def cancel_registration(*, registration_id: int, now: dt.datetime) -> Registration:
    """Cancel a place (or leave the waiting list); a freed place goes to the next in line."""
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _lock_session(session_id)
        registration = Registration.objects.select_related("participant").get(pk=registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        registration.status = RegistrationStatus.CANCELLED
        registration.status_changed_at = now
        registration.sequence = F("sequence") + 1
        registration.save(update_fields=["status", "status_changed_at", "sequence"])
        registration.refresh_from_db()
        queue_email(registration, "cancelled", now=now)
        if session.status == SessionStatus.PLANNED and session.ends_at > now:
            _promote(session, now=now)
    return registration


def move_registration(*, registration_id: int, status: str, now: dt.datetime) -> Registration:
    """Coordinators: move between waiting list and confirmed, respecting capacity."""
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _lock_session(session_id)
        registration = Registration.objects.select_related("participant").get(pk=registration_id)
        if registration.status == status:
            return registration
        if status == RegistrationStatus.CONFIRMED:
            if _confirmed_count(session) >= session.capacity:
                raise RegistrationError(_("The session is full; raise the capacity first."))
            registration.status = status
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            queue_email(registration, "promoted", now=now)
        elif status == RegistrationStatus.WAITING:
            registration.status = status
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            queue_email(registration, "waiting", now=now)
        else:
            raise RegistrationError(_("Use cancel to cancel a registration."))
    return registration


def cancel_session(*, session_id: int, now: dt.datetime) -> int:
    """Coordinators: cancel a session and notify everyone registered."""
    with transaction.atomic():
        session = _lock_session(session_id)
        active_exists = session.registrations.filter(status__in=ACTIVE_STATUSES).exists()
        if session.status == SessionStatus.CANCELLED and not active_exists:
            return 0
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, sequence=F("sequence") + 1
        )
        active = list(
            session.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
                "participant", "session__page"
            )
        )
        for registration in active:
            registration.status = RegistrationStatus.CANCELLED
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            registration.session.refresh_from_db()
            queue_email(registration, "session_cancelled", now=now)
    return len(active)


def notify_session_changed(*, session_id: int, now: dt.datetime) -> int:
    """After an editor changed a session's time or place: updated invites for all."""
    with transaction.atomic():
        session = _lock_session(session_id)
        Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
        active = list(
            session.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
                "participant", "session__page"
            )
        )
        for registration in active:
            queue_email(registration, "session_changed", now=now)
    return len(active)


# ----- requests ------------------------------------------------------------------------


def submit_request(*, kind: RequestKind, data: dict, now: dt.datetime) -> TrainingRequest:
    from website.models import SiteSettings

    with transaction.atomic():
        request = TrainingRequest.objects.create(kind=kind, **data)
        to = SiteSettings.load().coordinator_email
        if to:
            context = {"request": request}
            _store_and_send(
                to=to,
                subject=str(_("New request: %(kind)s") % {"kind": request.get_kind_display()}),
                text=render_to_string("learning/email/request_notice.txt", context),
                html="",
                ics="",
            )
    return request


# ----- e-mail through a durable outbox ---------------------------------------------------

SUBJECTS = {
    "confirmed": _("Registration confirmed: %(title)s"),
    "waiting": _("On the waiting list: %(title)s"),
    "promoted": _("A place has become available: %(title)s"),
    "cancelled": _("Registration cancelled: %(title)s"),
    "session_cancelled": _("Session cancelled: %(title)s"),
    "session_changed": _("Session changed: %(title)s"),
    "link_resent": _("Your registration: %(title)s"),
}


def queue_email(registration: Registration, template: str, *, now: dt.datetime) -> OutboxEmail:
    """Render the e-mail now (inside the caller's transaction); send after commit."""
    from learning.ics import registration_ics

    session = registration.session
    url = personal_url(registration)
    cancel = template in ("cancelled", "session_cancelled")
    # No invite for people on the waiting list (except the CANCEL of a cancellation).
    with_ics = cancel or registration.status == RegistrationStatus.CONFIRMED
    with translation.override(settings.LANGUAGE_CODE):
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
        }
        subject = str(SUBJECTS[template] % {"title": session.page.title})
        text = render_to_string("learning/email/registration.txt", context)
        html = render_to_string("learning/email/registration.html", context)
    ics = (
        registration_ics(registration=registration, personal_url=url, now=now, cancel=cancel)
        if with_ics
        else b""
    )
    return _store_and_send(
        to=registration.participant.email,
        subject=subject,
        text=text,
        html=html,
        ics=ics.decode(),
    )


def _store_and_send(*, to, subject, text, html, ics) -> OutboxEmail:
    email = OutboxEmail.objects.create(to=to, subject=subject, text=text, html=html, ics=ics)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    from learning.tasks import deliver_email

    task = deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by retry_due_emails (manage.py send_outbox)
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:  # the outbox row stays pending; retry_due_emails picks it up
        log.exception("Could not enqueue e-mail %s", email_id)


def deliver(*, email_id: int, now: dt.datetime) -> bool:
    """Send one outbox e-mail; on failure schedule a retry with back-off."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboxStatus.PENDING:
            return email.status == OutboxStatus.SENT
        message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
        if email.html:
            message.attach_alternative(email.html, "text/html")
        if email.ics:
            message.attach("uitnodiging.ics", email.ics, "text/calendar; charset=utf-8")
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # mail server down: keep it, retry later
            email.last_error = type(exc).__name__[:255]
            delay = dt.timedelta(minutes=min(2**email.attempts, 240))
            email.next_attempt_at = now + delay
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
            email.save()
            log.warning("E-mail %s not delivered (attempt %s)", email.pk, email.attempts)
            if email.status == OutboxStatus.PENDING:
                transaction.on_commit(lambda: _enqueue(email.pk, run_after=email.next_attempt_at))
            return False
        email.status = OutboxStatus.SENT
        email.sent_at = now
        email.last_error = ""
        email.save()
        return True


def retry_due_emails(*, now: dt.datetime) -> int:
    """Deliver pending e-mails whose retry time has come; returns how many were sent."""
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).exclude(next_attempt_at__gt=now)
    return sum(deliver(email_id=pk, now=now) for pk in due.values_list("pk", flat=True))


# ----- privacy ---------------------------------------------------------------------------


def anonymise_participants(*, ended_before: dt.datetime, now: dt.datetime) -> int:
    """Wipe personal details of sessions that ended before ``ended_before``; the
    registration facts (target group, municipality, organisation) stay for reports."""
    return Participant.objects.filter(
        registration__session__ends_at__lt=ended_before, anonymised_at__isnull=True
    ).update(first_name="", last_name="", email="", function="", needs="", anonymised_at=now)


def apply_editor_cancellations(*, page_id: int, now: dt.datetime) -> int:
    """After an editor published a training with a session set to "cancelled":
    notify and cancel the registrations still active on it."""
    sessions = Session.objects.filter(
        page_id=page_id,
        status=SessionStatus.CANCELLED,
        registrations__status__in=ACTIVE_STATUSES,
    ).distinct()
    return sum(
        cancel_session(session_id=pk, now=now) for pk in sessions.values_list("pk", flat=True)
    )
