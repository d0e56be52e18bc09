import pytest
from django.utils import timezone

from learning import services
from learning.models import Organisation, Registration
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_fifty_concurrent_registrants_for_ten_places(
    make_training, make_session, person_factory, settings
):
    # 60 at the same instant in one process (threads share the GIL) queue longer than
    # LOCK_TIMEOUT allows; here the point is that none is lost and capacity holds.
    # (test_postgres_locking.py covers what a registrant hears when a wait runs out.)
    settings.LOCK_TIMEOUT = 60
    session = make_session(make_training(), capacity=10)
    people = [person_factory(i) for i in range(60)]
    errors, _results = run_together(
        [
            lambda p=p: services.register(session_id=session.pk, person=p, now=timezone.now())
            for p in people
        ]
    )

    assert errors == []
    registrations = list(Registration.objects.filter(session=session).select_related("participant"))
    assert len(registrations) == 60
    confirmed = [r for r in registrations if r.status == "confirmed"]
    waiting = [r for r in registrations if r.status == "waiting"]
    assert len(confirmed) == 10 and len(waiting) == 50
    # Arrival order = order in which the session lock was granted = primary key order.
    ordered = sorted(registrations, key=lambda r: r.pk)
    assert all(r.status == "confirmed" for r in ordered[:10])
    assert all(r.status == "waiting" for r in ordered[10:])
    # Promotion picks the earliest waiting registrant.
    services.cancel_registration(registration_id=ordered[0].pk, now=timezone.now())
    first_waiting = min(waiting, key=lambda r: (r.created_at, r.pk))
    first_waiting.refresh_from_db()
    assert first_waiting.status == "confirmed"


def test_the_same_new_address_on_two_sessions_at_once_is_one_person(
    make_training, make_session, person_factory
):
    sessions = [make_session(make_training(f"Training {n}")) for n in range(6)]
    people = [person_factory(7, email=f"  Nieuw@Example.nl{' ' * n}") for n in range(6)]
    # The organisation exists: its own creation race is another test's subject.
    Organisation.objects.create(name=people[0].organisation)
    errors, results = run_together(
        [
            lambda s=s, p=p: services.register(session_id=s.pk, person=p, now=timezone.now())
            for s, p in zip(sessions, people, strict=True)
        ]
    )

    assert errors == []
    assert len({result.registration.person_id for result in results}) == 1
    assert Registration.objects.filter(session__in=sessions).count() == 6
