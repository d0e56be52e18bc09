"""Unique participants as a fact (issue 13): a surrogate person key per e-mail address,
set at registration, kept through anonymisation while the address itself goes."""

import datetime as dt
from importlib import import_module

import pytest
from django.apps import apps
from django.db.models import Count
from django.utils import timezone

from learning import services
from learning.models import Participant, ParticipantKey, Registration
from learning.services.participants import digest

pytestmark = pytest.mark.django_db


def unique_people(**filters) -> int:
    return Registration.objects.filter(**filters).aggregate(n=Count("person", distinct=True))["n"]


def test_one_key_per_address_whatever_its_case_or_spaces(
    make_training, make_session, person_factory
):
    first, second = make_session(make_training("Alpha")), make_session(make_training("Beta"))
    now = timezone.now()
    a = services.register(session_id=first.pk, person=person_factory(1), now=now).registration
    b = services.register(
        session_id=second.pk, person=person_factory(1, email="  PERSOON1@Example.NL "), now=now
    ).registration
    c = services.register(session_id=second.pk, person=person_factory(2), now=now).registration
    assert a.person_id == b.person_id != c.person_id
    assert unique_people() == 2
    assert ParticipantKey.objects.get(pk=a.person_id).digest == digest("persoon1@example.nl")


def test_anonymisation_keeps_the_count_and_forgets_the_address(
    make_training, make_session, person_factory
):
    past = make_session(make_training("Alpha"), days=-400)
    later = make_session(make_training("Beta"), days=-200)
    registered_at = timezone.now() - dt.timedelta(days=420)
    old = services.register(session_id=past.pk, person=person_factory(1), now=registered_at)
    twice = services.register(session_id=past.pk, person=person_factory(2), now=registered_at)
    services.register(
        session_id=later.pk, person=person_factory(2), now=registered_at + dt.timedelta(days=190)
    )
    assert unique_people() == 2

    # Only the first session ended before the retention cut-off.
    cutoff = timezone.now() - dt.timedelta(days=300)
    assert services.anonymise_participants(ended_before=cutoff, now=timezone.now()) == 2

    assert Participant.objects.get(registration=old.registration).email == ""
    assert unique_people() == 2  # the same people, counted as before
    gone = ParticipantKey.objects.get(pk=old.registration.person_id)
    assert gone.digest is None  # nothing about the address is left
    kept = ParticipantKey.objects.get(pk=twice.registration.person_id)
    assert kept.digest == digest("persoon2@example.nl")  # still registered for "later"

    # Someone whose address was forgotten comes back as a new person; the other is known.
    now = timezone.now()
    upcoming = make_session(make_training("Gamma"), days=10)
    back = services.register(session_id=upcoming.pk, person=person_factory(1), now=now)
    again = services.register(session_id=upcoming.pk, person=person_factory(2), now=now)
    assert back.registration.person_id != old.registration.person_id
    assert again.registration.person_id == twice.registration.person_id


def test_the_migration_gives_existing_registrations_their_keys(
    make_training, make_session, person_factory
):
    session = make_session(make_training())
    now = timezone.now()
    made = [
        services.register(session_id=session.pk, person=person_factory(n), now=now).registration
        for n in range(3)
    ]
    other = make_session(make_training("Beta"))
    made.append(
        services.register(session_id=other.pk, person=person_factory(0), now=now).registration
    )
    Participant.objects.filter(registration=made[2]).update(email="", anonymised_at=now)
    Registration.objects.update(person=None)
    ParticipantKey.objects.all().delete()

    import_module("learning.migrations.0010_participant_key").backfill(apps, None)

    keys = dict(Registration.objects.values_list("pk", "person_id"))
    assert None not in keys.values()
    assert keys[made[0].pk] == keys[made[3].pk]  # the same address on two sessions
    assert len({keys[r.pk] for r in made}) == 3
    assert ParticipantKey.objects.get(pk=keys[made[2].pk]).digest is None
