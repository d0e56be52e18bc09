"""Organisations under concurrency (PostgreSQL, real connections; issue 11 item 2)."""

import pytest
from django.utils import timezone

from learning import services
from learning.models import Organisation, Registration
from learning.services import organisations
from tests.concurrency import run_together

# The data migration folds spellings together on PostgreSQL too (deferred foreign keys).
from tests.learning.test_organisations import (
    migrator,
)
from tests.learning.test_organisations import (
    test_migration_folds_existing_spellings_and_moves_their_registrations as test_migration,
)
from website.search import search_pages

__all__ = ["migrator", "test_migration"]

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

VARIANTS = [
    "Stichting Anders",
    "stichting anders",
    "STICHTING ANDERS",
    " Stichting  Anders ",
    "Stichting\tAnders",
    "stichting Anders",
    "Stichting ANDERS",
    "stichting  anders",
]


def test_eight_people_naming_one_new_organisation_at_once_all_register(
    make_training, make_session, person_factory
):
    sessions = [make_session(make_training(f"Training {i}")) for i in range(8)]
    jobs = [
        lambda s=s, i=i: services.register(
            session_id=s.pk,
            person=person_factory(i, organisation=VARIANTS[i]),
            now=timezone.now(),
        )
        for i, s in enumerate(sessions)
    ]

    errors, _results = run_together(jobs)

    assert errors == []
    assert Registration.objects.count() == 8
    assert Organisation.objects.count() == 1
    organisation = Organisation.objects.get()
    assert set(Registration.objects.values_list("organisation_id", flat=True)) == {organisation.pk}
    assert organisation.name in {" ".join(v.split()) for v in VARIANTS}


def test_a_merge_racing_registrations_leaves_none_behind_on_the_merged_organisation(
    make_training, make_session, person_factory
):
    sessions = [make_session(make_training(f"Training {i}"), capacity=50) for i in range(8)]
    kept = organisations.find_or_create(name="Gemeente Zaanstad")
    typo = organisations.find_or_create(name="Gemeente Zaanstadt")
    services.register(
        session_id=sessions[0].pk,
        person=person_factory(99, organisation="Gemeente Zaanstadt"),
        now=timezone.now(),
    )
    jobs = [
        lambda s=s, i=i: services.register(
            session_id=s.pk,
            person=person_factory(i, organisation="gemeente zaanstadt"),
            now=timezone.now(),
        )
        for i, s in enumerate(sessions)
    ]
    jobs.insert(
        4,
        lambda: organisations.merge_organisations(
            source_id=typo.pk, target_id=kept.pk, now=timezone.now()
        ),
    )

    errors, _results = run_together(jobs)

    assert errors == []
    assert Registration.objects.count() == 9
    assert Registration.objects.filter(organisation=typo).count() == 0
    assert Registration.objects.filter(organisation=kept).count() == 9


def test_search_leaves_out_unlisted_trainings_on_postgres(make_training, make_session):
    listed = make_training("Polarisatie herkennen")
    hidden = make_training("Polarisatie maatwerk", unlisted=True)
    found = [p.pk for p in search_pages("Polarisatie").object_list]
    assert listed.pk in found and hidden.pk not in found
