"""Registering and the changes that follow: cancel, move between waiting list and
confirmed, cancel or change a session.

Every capacity decision runs in one transaction that locks only the session row
(``select_for_update(of=("self",))``, no joined rows; SQLite serialises writers with
IMMEDIATE transactions), once, before it counts. Lock waits are capped
(``website.locking``): a wait that runs out raises ``RegistrationBusy`` instead of an
error page. E-mails are written to the durable outbox (``mail``) inside the same
transaction and handed to a background task after the commit, so nobody is mailed about
a rolled-back place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Count, F
from django.utils.translation import gettext_lazy as _

from learning import audit
from learning.models import (
    ACTIVE_STATUSES,
    Participant,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    TrainingPage,
)
from learning.services import organisations
from learning.services.common import RegistrationBusy, RegistrationError, reminder_days
from learning.services.mail import queue_email
from learning.services.participants import digest, participant_key
from website import locking, stamps
from website.models import Municipality
from website.queries import Prepared

# "You were already registered": the personal link is mailed again at most this often per
# registration (address and session), however often the form is sent.
LINK_RESEND_INTERVAL = dt.timedelta(hours=1)


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


# ----- registering ---------------------------------------------------------------


def _locked():
    """The transaction of a capacity decision: lock waits end in ``RegistrationBusy``."""
    return locking.atomic(busy=RegistrationBusy)


# What every registration reads under the lock, compiled once (website.queries).
_locked_session = Prepared(
    lambda pk: Session.objects.select_for_update(of=("self",)).filter(pk=pk).order_by(),
    (int,),
)
_confirmed = Prepared(
    lambda session_id: (
        Registration.objects.filter(session_id=session_id, status=RegistrationStatus.CONFIRMED)
        .order_by()
        .values("session_id")
        .annotate(n=Count("pk"))
        .values_list("n")
    ),
    (int,),
)
_active_of_person = Prepared(
    lambda session_id, person_digest: Registration.objects.filter(
        session_id=session_id, status__in=ACTIVE_STATUSES, person__digest=person_digest
    ).order_by("pk")[:1],
    (int, str),
)


def _lock_session(session_id: int, *, bump: bool = True) -> Session:
    """Lock the one row the rules decide on. Nothing joined: a ``select_related`` in a
    locking query locks the joined rows too (the training's page row, which a publish
    holds), and a registration must never wait for, or deadlock with, an editor.
    ``bump``: places left change (the caller that knows better bumps itself)."""
    if bump:
        stamps.bump(stamps.FACTS)  # after the commit, never inside this transaction
    session = _locked_session.first(session_id)
    if session is None:
        raise Session.DoesNotExist
    return session


def _confirmed_count(session: Session) -> int:
    found = _confirmed.first(session.pk)
    return found[0] if found else 0


def check_open(session: Session, *, now: dt.datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RegistrationError(_("This session has been cancelled."))
    if session.ends_at <= now:
        raise RegistrationError(_("This session has already taken place."))
    if now >= (session.deadline or session.starts_at):
        raise RegistrationError(_("Registration for this session is closed."))


def register(
    *,
    session_id: int,
    person: Person,
    now: dt.datetime,
    on_created: Callable[[Registration], None] | None = None,
    send_mail: bool = True,
    page: TrainingPage | None = None,
) -> RegistrationResult:
    """Confirmed while places are left, else on the waiting list. An address that is
    already active on the session gets its personal link again (at most once an hour)
    instead of a duplicate. A closed session answers the same for every address, so the
    form does not tell who registered.

    ``on_created(registration)`` runs inside the transaction, with the session still
    locked, before the e-mail is rendered (network events record workshop choices there;
    raising rolls everything back). ``send_mail=False`` leaves the e-mail to the caller
    (a whole connection track gets one e-mail for all its meetings). ``page``: the
    session's training page when the caller has it (the e-mail reads it; no query)."""
    email = person.email.strip()
    with _locked():
        session = _lock_session(session_id, bump=False)
        if page is not None and page.pk == session.page_id:
            session.page = page
        check_open(session, now=now)
        # The same person (address up to case and spaces: the person key's digest, so
        # the index finds it however long the waiting list is).
        existing = _active_of_person.first(session.pk, digest(email))
        if existing:
            existing.session = session
            if send_mail:
                _resend_link(existing, now=now)
            return RegistrationResult(existing, created=False)
        status = (
            RegistrationStatus.CONFIRMED
            if _confirmed_count(session) < session.capacity
            else RegistrationStatus.WAITING
        )
        if status == RegistrationStatus.CONFIRMED or on_created is not None:
            # Places left (or a workshop's places) change on public pages. One more on
            # a full session's waiting list changes nothing they show: every cached page
            # stays valid while a popular session's waiting list fills.
            stamps.bump(stamps.FACTS)
        registration = Registration.objects.create(
            session=session,
            status=status,
            target_group_id=person.target_group_id,
            municipality=person.municipality,
            municipality_scope=person.municipality_scope,
            organisation=organisations.find_or_create(
                name=person.organisation,
                sector_id=person.target_group_id,
                municipality=person.municipality,
            ),
            person=participant_key(email=email, now=now),
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
        if on_created is not None:
            on_created(registration)
        if send_mail:
            queue_email(
                registration,
                "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting",
                now=now,
            )
    return RegistrationResult(registration, created=True)


def _resend_link(registration: Registration, *, now: dt.datetime) -> None:
    """Mail the personal link again, unless it was resent within the last hour (someone
    sending the form over and over, or with another person's address, floods nobody)."""
    last = registration.link_resent_at
    if last is not None and now - last < LINK_RESEND_INTERVAL:
        return
    queue_email(registration, "link_resent", now=now)
    Registration.objects.filter(pk=registration.pk).update(link_resent_at=now)


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
    with _locked():
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
        audit.record(registration, audit.CANCEL, timestamp=now)
        queue_email(registration, "cancelled", now=now)
        if session.status == SessionStatus.PLANNED and session.ends_at > now:
            _promote(session, now=now)
    return registration


def move_registration(*, registration_id: int, status: str, now: dt.datetime) -> Registration:
    """Coordinators: move between waiting list and confirmed, respecting capacity."""
    with _locked():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _lock_session(session_id)
        registration = Registration.objects.select_related("participant").get(pk=registration_id)
        if registration.status == status:
            return registration
        moved = {
            "from": str(registration.get_status_display()),
            "to": str(RegistrationStatus(status).label)
            if status in RegistrationStatus.values
            else "",
        }
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
        audit.record(registration, audit.MOVE, data=moved, timestamp=now)
    return registration


def cancel_session(*, session_id: int, now: dt.datetime) -> int:
    """Coordinators: cancel a session and notify everyone registered."""
    with _locked():
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
        audit.record(session, audit.SESSION_CANCEL, data={"count": len(active)}, timestamp=now)
    return len(active)


def notify_session_changed(*, session_id: int, now: dt.datetime) -> int:
    """After an editor changed a session's time or place: updated invites for all."""
    with _locked():
        session = _lock_session(session_id)
        Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
        if session.starts_at > now + dt.timedelta(days=reminder_days()):
            # Moved to a later date: remind again before the new date.
            session.registrations.update(reminder_sent_at=None)
        active = list(
            session.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
                "participant", "session__page"
            )
        )
        for registration in active:
            queue_email(registration, "session_changed", now=now)
    return len(active)
