"""Retention, proven: anonymisation on schedule and erasure on request leave every figure the
reports show exactly as it was (issue 14 item 5)."""

import datetime as dt

import pytest
from django.db.models import Count
from django.utils import timezone

from learning import selectors, services
from learning.models import Evaluation, Participant, Registration, Session
from website import hooks as cter
from website import personal_data
from website.models import Municipality, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(make_training, make_session, person_factory):
    """A year of trainings: sessions in the past and to come, confirmed, waiting and
    cancelled registrations from several organisations and municipalities, attendance and
    evaluations with comments."""
    now = timezone.now()
    municipalities = list(Municipality.objects.all()[:4])
    groups = list(TargetGroup.objects.all()[:3])
    trainings = [make_training("Basis"), make_training("Verdieping"), make_training("Webinar")]
    n = 0
    for t, training in enumerate(trainings):
        for days in (-60, -20, -3, 25):
            session = make_session(training, days=days, capacity=4)
            before = timezone.localtime(session.starts_at) - dt.timedelta(days=10)
            for i in range(6):
                n += 1
                mine = i == 0 and t == 0 and days < 0
                email = "fatima@example.nl" if mine else f"p{n}@example.nl"
                services.register(
                    session_id=session.pk,
                    person=person_factory(
                        n,
                        email=email,
                        organisation=f"Organisatie {n % 3}",
                        target_group_id=groups[n % 3].pk,
                        municipality=municipalities[n % 4],
                    ),
                    now=before,
                )
            if days < 0:
                confirmed = session.registrations.filter(status="confirmed").order_by("pk")
                services.mark_attendance(
                    session_id=session.pk,
                    attendance="present",
                    registration_ids=list(confirmed.values_list("pk", flat=True)[:3]),
                    now=now,
                )
                for k, registration in enumerate(confirmed[:2]):
                    Evaluation.objects.create(
                        registration=registration,
                        overall=3 + k,
                        usefulness=4,
                        recommend=bool(k),
                        improvement=f"Opmerking van {registration.participant.first_name}",
                        created_at=now,
                    )
    last = Registration.objects.filter(status="confirmed", session__ends_at__lt=now).last()
    services.cancel_registration(registration_id=last.pk, now=now)
    return now


def figures(now) -> dict:
    """Every aggregate the reports and the (coming) dashboard read."""
    year = timezone.localdate(now).year
    sessions = list(Session.objects.order_by("pk").values_list("pk", flat=True))
    return {
        "reach": cter.reach_totals(),
        "reach_by_month": sorted(
            (f.page_id, f.metric, f.value, f.month) for f in cter.reach_figures(by_month=True)
        ),
        "activities": sorted(
            (a.line, a.status, a.count) for a in cter.activities(year=year, now=now)
        ),
        "evaluations": selectors.evaluation_by_training(now=now),
        "organisations": [
            (o.name, o.registration_count, o.attended_count)
            for o in selectors.organisations_with_counts()
        ],
        "attendance": [selectors.attendance_counts(pk) for pk in sessions],
        "by_municipality_and_group": list(
            Registration.objects.values("municipality_id", "target_group_id", "status")
            .annotate(n=Count("pk"))
            .order_by("municipality_id", "target_group_id", "status")
        ),
    }


def test_anonymisation_and_erasure_change_no_figure(history):
    now = history
    before = figures(now)
    assert before["reach"] and before["evaluations"] and before["activities"]

    # erasure on request of one person (no place still to come: the fixture keeps hers past)
    assert not personal_data.blockers(email="fatima@example.nl", now=now)
    erased = personal_data.erase(email="fatima@example.nl", now=now)
    assert erased
    assert figures(now) == before

    # the retention job: everything that ended before now loses its personal details
    services.anonymise_participants(ended_before=now, now=now)
    assert not Participant.objects.filter(
        registration__session__ends_at__lt=now, anonymised_at__isnull=True
    ).exists()
    assert not Evaluation.objects.exclude(improvement="").exists()
    assert figures(now) == before
