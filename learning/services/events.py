"""Network events: registering with a choice of workshops per round, and registering
for a whole connection track (every meeting of one region) in one go.

Both reuse ``registrations.register``: the same session lock, capacity, waiting list,
personal links, reminders, attendance and certificates. Workshop places are decided
while the session row is locked (every registration for a meeting passes that lock), so
a workshop is never overbooked, also with many registrants at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from learning.models import (
    ACTIVE_STATUSES,
    Registration,
    Session,
    SessionStatus,
    Workshop,
    WorkshopChoice,
)
from learning.services.common import RegistrationBusy, RegistrationError
from learning.services.mail import queue_track_email
from learning.services.registrations import (
    LINK_RESEND_INTERVAL,
    Person,
    RegistrationResult,
    register,
)
from website import locking


def _choose_workshops(registration: Registration, chosen: Mapping[int, int]) -> None:
    """Record one workshop per round (session row locked by ``register``). Every round of
    the event needs a choice; a forged or foreign id, or a full workshop, is refused and
    rolls the whole registration back."""
    session = registration.session
    workshops = {w.pk: w for w in Workshop.objects.filter(page_id=session.page_id)}
    rounds = sorted({w.round for w in workshops.values()})
    picked: list[Workshop] = []
    for round_number in rounds:
        workshop = workshops.get(chosen.get(round_number))
        if workshop is None or workshop.round != round_number:
            raise RegistrationError(
                _("Choose one workshop for round %(round)d.") % {"round": round_number}
            )
        picked.append(workshop)
    if not picked:
        return
    taken = dict(
        WorkshopChoice.objects.filter(
            workshop__in=picked,
            registration__session_id=session.pk,
            registration__status__in=ACTIVE_STATUSES,
        )
        .values_list("workshop_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for workshop in picked:
        if taken.get(workshop.pk, 0) >= workshop.capacity:
            raise RegistrationError(
                _('The workshop "%(title)s" is full; choose another workshop.')
                % {"title": workshop.title}
            )
    WorkshopChoice.objects.bulk_create(
        WorkshopChoice(registration=registration, workshop=w, round=w.round) for w in picked
    )


def register_for_event(
    *, session_id: int, person: Person, workshops: Mapping[int, int], now: dt.datetime
) -> RegistrationResult:
    """Register for one meeting of a network event; ``workshops`` maps round -> workshop
    id (empty when the event has no workshop rounds). All or nothing: a full workshop
    leaves no registration behind."""
    return register(
        session_id=session_id,
        person=person,
        now=now,
        on_created=lambda registration: _choose_workshops(registration, workshops),
    )


@dataclass(frozen=True)
class TrackResult:
    registrations: list[Registration]
    created: bool


def open_track_sessions(*, page_id: int, region_id: int, now: dt.datetime):
    """The meetings of a track in one region that still take registrations."""
    return (
        Session.objects.filter(
            page_id=page_id,
            region_id=region_id,
            status=SessionStatus.PLANNED,
            starts_at__gt=now,
        )
        .filter(Q(deadline__isnull=True) | Q(deadline__gt=now))
        .order_by("pk")
    )


def register_for_track(
    *, page_id: int, region_id: int, person: Person, now: dt.datetime
) -> TrackResult:
    """Register for every open meeting of a connection track in one region, in one
    transaction. Each meeting keeps its own capacity and waiting list, so the outcome is
    per meeting (confirmed or waiting list), told in one e-mail with one calendar file
    holding every confirmed meeting. An error on any meeting (e.g. it closed meanwhile)
    rolls the whole track registration back. Meetings the address is already registered
    for are kept as they are (no duplicates); when all of them were, the links are mailed
    again, at most once an hour (as for a single meeting)."""
    with locking.atomic(busy=RegistrationBusy):
        session_ids = list(
            open_track_sessions(page_id=page_id, region_id=region_id, now=now).values_list(
                "pk", flat=True
            )
        )
        if not session_ids:
            raise RegistrationError(_("This region has no meetings open for registration."))
        # Locked in primary-key order, as every track registration does: no deadlocks.
        results = [
            register(session_id=pk, person=person, now=now, send_mail=False) for pk in session_ids
        ]
        registrations = [result.registration for result in results]
        created = any(result.created for result in results)
        if created:
            queue_track_email(registrations, resent=False, now=now)
        elif all(
            r.link_resent_at is None or now - r.link_resent_at >= LINK_RESEND_INTERVAL
            for r in registrations
        ):
            queue_track_email(registrations, resent=True, now=now)
            Registration.objects.filter(pk__in=[r.pk for r in registrations]).update(
                link_resent_at=now
            )
    return TrackResult(registrations=registrations, created=created)
