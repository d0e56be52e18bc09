"""A large registration history for benchmarks (``manage.py seed_volume``): sessions of
the demo trainings over the last years and their registrations, made with bulk_create in
batches (a minute or two for 100,000 on SQLite). People come back (fewer unique people
than registrations), spread over target groups, most municipalities and a few hundred
organisations; past sessions have their attendance; then the retention job anonymises
what is old, as it would in production."""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from learning.models import (
    AMSTERDAM,
    Attendance,
    Organisation,
    Participant,
    ParticipantKey,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    TrainingPage,
)
from learning.names import organisation_key
from learning.services.common import retention
from learning.services.participants import digest
from learning.services.retention import anonymise_participants
from website.models import Municipality, Region, TargetGroup

MARK = "Volume (benchmark)"  # the location of every volume session: found again on re-runs
BATCH = 5000
PER_SESSION = 60
ORGANISATIONS = 400


def seed(*, registrations: int, counts: int, years: int, now: dt.datetime, stdout=None) -> int:
    if registrations <= 0 or Session.objects.filter(location=MARK).exists():
        return 0
    pages = list(TrainingPage.objects.order_by("pk"))
    groups = list(TargetGroup.objects.values_list("pk", flat=True))
    if not pages or not groups:
        if stdout:
            stdout.write("learning: no trainings or target groups; run seed_demo first")
        return 0
    rng = random.Random(13)  # the same history every time
    # Most municipalities, not all (some stay at zero), and some people from elsewhere.
    municipalities = [
        pk
        for n, pk in enumerate(Municipality.objects.order_by("name").values_list("pk", flat=True))
        if n % 9 != 4
    ]
    regions = list(Region.objects.values_list("pk", flat=True))
    with transaction.atomic():
        sessions = _sessions(pages, regions, registrations, years=years, now=now, rng=rng)
        organisations = _organisations()
        people = _people(max(registrations * 2 // 5, 1), now=now)
        made = _registrations(
            sessions,
            registrations,
            groups=groups,
            municipalities=municipalities,
            organisations=organisations,
            people=people,
            now=now,
            rng=rng,
        )
    anonymised = anonymise_participants(ended_before=now - retention(), now=now)
    if stdout:
        stdout.write(
            f"learning: {len(sessions)} sessions, {made} registrations of {len(people)} people "
            f"({anonymised} anonymised)"
        )
    return 0


def _sessions(pages, regions, registrations, *, years, now, rng) -> list[Session]:
    first = dt.date(now.astimezone(AMSTERDAM).year - years + 1, 1, 1)
    last = dt.date(now.astimezone(AMSTERDAM).year, 12, 31)
    span = (last - first).days
    count = max(registrations // PER_SESSION, 1)
    rows = []
    for n in range(count):
        day = first + dt.timedelta(days=span * n // count)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        starts = dt.datetime.combine(day, dt.time(9, 30), tzinfo=AMSTERDAM)
        rows.append(
            Session(
                page=pages[n % len(pages)],
                sort_order=1000 + n,
                date=day,
                start_time=dt.time(9, 30),
                end_time=dt.time(12, 30),
                location=MARK,
                capacity=PER_SESSION + 20,
                region_id=regions[n % len(regions)] if regions else None,
                status=SessionStatus.CANCELLED if rng.random() < 0.02 else SessionStatus.PLANNED,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
            )
        )
    Session.objects.bulk_create(rows, batch_size=BATCH)
    return list(Session.objects.filter(location=MARK).order_by("starts_at", "pk"))


def _organisations() -> list[int]:
    Organisation.objects.bulk_create(
        [
            Organisation(name=name, key=organisation_key(name))
            for name in (f"Organisatie {n:03d} (volume)" for n in range(ORGANISATIONS))
        ],
        ignore_conflicts=True,
    )
    return list(Organisation.objects.filter(name__endswith="(volume)").values_list("pk", flat=True))


def email(n: int) -> str:
    return f"deelnemer{n}@volume.example.nl"


def _people(count: int, *, now) -> list[tuple[int, str]]:
    keys = [ParticipantKey(digest=digest(email(n)), created_at=now) for n in range(count)]
    ParticipantKey.objects.bulk_create(keys, batch_size=BATCH, ignore_conflicts=True)
    by_digest = dict(
        ParticipantKey.objects.filter(digest__in=[k.digest for k in keys]).values_list(
            "digest", "pk"
        )
    )
    return [(by_digest[digest(email(n))], email(n)) for n in range(count)]


def _registrations(
    sessions, total, *, groups, municipalities, organisations, people, now, rng
) -> int:
    made = 0
    pending: list[tuple[Registration, str]] = []

    def flush():
        nonlocal made
        created = Registration.objects.bulk_create([r for r, _a in pending], batch_size=BATCH)
        assert all(r.pk for r in created), "the database must return the new keys"
        Participant.objects.bulk_create(
            [
                Participant(
                    registration=registration,
                    first_name="Deelnemer",
                    last_name=str(registration.pk),
                    email=address,
                    function="Professional",
                )
                for registration, (_r, address) in zip(created, pending, strict=True)
            ],
            batch_size=BATCH,
        )
        made += len(created)
        pending.clear()

    for number, session in enumerate(sessions):
        share = total * (number + 1) // len(sessions) - total * number // len(sessions)
        past = session.ends_at <= now
        recorded = (now - session.ends_at).days >= 14  # the last fortnight: not yet marked
        for i in range(share):
            key, address = people[rng.randrange(len(people))]
            status, attendance, roll = (
                RegistrationStatus.CONFIRMED,
                Attendance.UNKNOWN,
                rng.random(),
            )
            if roll < 0.04:
                status = RegistrationStatus.CANCELLED
            elif roll < 0.07 and not past:
                status = RegistrationStatus.WAITING
            elif past and recorded:
                mark = rng.random()
                attendance = (
                    Attendance.PRESENT
                    if mark < 0.85
                    else Attendance.ABSENT
                    if mark < 0.95
                    else Attendance.UNKNOWN
                )
            when = session.starts_at - dt.timedelta(days=1 + rng.randrange(60), minutes=i)
            local = municipalities and rng.random() < 0.92
            pending.append(
                (
                    Registration(
                        session=session,
                        status=status,
                        target_group_id=groups[rng.randrange(len(groups))],
                        municipality_id=municipalities[rng.randrange(len(municipalities))]
                        if local
                        else None,
                        municipality_scope="" if local else "outside",
                        organisation_id=organisations[rng.randrange(len(organisations))],
                        person_id=key,
                        created_at=when,
                        status_changed_at=when,
                        attendance=attendance,
                        attendance_marked_at=None
                        if attendance == Attendance.UNKNOWN
                        else session.ends_at,
                    ),
                    address,
                )
            )
        if len(pending) >= BATCH:
            flush()
    if pending:
        flush()
    return made
