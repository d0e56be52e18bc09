"""``manage.py seed_volume``: a large history on top of the demo, for benchmarks."""

import io

import pytest
from django.core.management import call_command
from django.db.models import Count

from learning.models import Participant, ParticipantKey, Registration, Session
from learning.volume import MARK
from outreach.models import ReachCount
from podcasts.models import DownloadCount
from reporting.models import MunicipalityYear
from website.hooks import seed_demo_content

pytestmark = pytest.mark.django_db


def test_registrations_and_counts_as_asked_and_only_once(reference_data):
    seed_demo_content(scale=1, stdout=None)
    counts_before = ReachCount.objects.count() + DownloadCount.objects.count()
    out = io.StringIO()
    call_command("seed_volume", registrations=600, counts=3000, years=3, stdout=out)

    volume = Registration.objects.filter(session__location=MARK)
    assert volume.count() == 600
    assert Participant.objects.filter(registration__in=volume).count() == 600
    assert ReachCount.objects.count() + DownloadCount.objects.count() == counts_before + 3000
    years = {s.starts_at.year for s in Session.objects.filter(location=MARK)}
    assert len(years) == 3
    people = volume.aggregate(n=Count("person", distinct=True))["n"]
    assert 0 < people < 600  # people come back
    # The old history went through the retention job: addresses gone, people still counted.
    assert Participant.objects.filter(registration__in=volume, email="").exists()
    assert ParticipantKey.objects.filter(digest__isnull=True, registrations__in=volume).exists()
    assert volume.filter(person__isnull=True).count() == 0
    assert MunicipalityYear.objects.values("year").distinct().count() == 3
    assert "Volume ready: 3000 count rows" in out.getvalue()

    call_command("seed_volume", registrations=600, counts=3000, years=3, stdout=io.StringIO())
    assert Registration.objects.filter(session__location=MARK).count() == 600
    assert ReachCount.objects.count() + DownloadCount.objects.count() == counts_before + 3000
