"""Reminders and surveys go out exactly once, even with concurrent runners on separate
PostgreSQL connections (the scheduler twice, or two workers at the same time)."""

from collections import Counter

import pytest
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import Registration
from tests.concurrency import run_together
from tests.learning.aftercare_helpers import after, register_many
from website.models import OutboxEmail

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
RUNNERS = 8


def run_concurrently(fn, now):
    errors, results = run_together([lambda: fn(now=now)] * RUNNERS)
    assert errors == []
    return results


def test_each_reminder_exactly_once_with_concurrent_runners(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), days=1, capacity=30, online=True)
    now = timezone.now()
    register_many(session, person_factory, 25)
    mail.outbox.clear()
    OutboxEmail.objects.all().delete()

    results = run_concurrently(services.send_due_reminders, now)

    assert sum(results) == 25
    reminders = OutboxEmail.objects.filter(subject__startswith="Herinnering")
    per_address = Counter(reminders.values_list("to", flat=True))
    assert len(per_address) == 25 and set(per_address.values()) == {1}
    assert not Registration.objects.filter(reminder_sent_at__isnull=True).exists()
    assert services.send_due_reminders(now=now) == 0


def test_each_survey_exactly_once_with_concurrent_runners(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), days=-2, capacity=30)
    register_many(session, person_factory, 20)
    now = after(session)
    services.mark_attendance(session_id=session.pk, attendance="present", now=now)
    OutboxEmail.objects.all().delete()

    results = run_concurrently(services.run_scheduled, now)

    assert sum(r["surveys"] for r in results) == 20
    per_address = Counter(OutboxEmail.objects.values_list("to", flat=True))
    assert len(per_address) == 20 and set(per_address.values()) == {1}


def test_two_answers_at_once_store_one(make_training, make_session, person_factory):
    session = make_session(make_training(), days=-2)
    (registration,) = register_many(session, person_factory, 1)
    now = after(session)
    services.mark_attendance(session_id=session.pk, attendance="present", now=now)

    def answer(*, now):
        try:
            services.submit_evaluation(
                registration_id=registration.pk,
                overall=4,
                usefulness=4,
                recommend=True,
                improvement="",
                now=now,
            )
            return "stored"
        except services.EvaluationError:
            return "refused"

    results = run_concurrently(answer, now)
    assert Counter(results) == {"stored": 1, "refused": RUNNERS - 1}


def test_a_sign_in_link_is_used_once_under_concurrent_clicks(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), days=-2)
    register_many(session, person_factory, 1)

    now = timezone.now()
    assert services.request_sign_in(email="persoon0@example.nl", now=now)
    body = mail.outbox[-1].body
    token = body.split("/mijn-trainingen/inloggen/")[1].split("/")[0]

    results = run_concurrently(lambda now: services.consume_sign_in(token=token, now=now), now)
    assert Counter(results) == {"persoon0@example.nl": 1, None: RUNNERS - 1}
