import pytest
from django.utils import timezone

from learning import demo
from learning.models import Kind, Level, Registration, Session, TrainingPage

pytestmark = pytest.mark.django_db


def test_demo_seed_is_idempotent_and_covers_the_programme(client, site_home):
    demo.seed()
    demo.seed()
    pages = TrainingPage.objects.live()
    trainings = pages.filter(kind=Kind.TRAINING)
    assert trainings.filter(level=Level.BASIC).count() >= 4
    assert trainings.filter(level=Level.IN_DEPTH).count() >= 2
    assert pages.filter(kind=Kind.WEBINAR).count() >= 6
    now = timezone.now()
    assert Session.objects.filter(ends_at__lt=now).exists()
    assert Session.objects.filter(starts_at__gt=now).exists()
    assert Registration.objects.filter(status="waiting").exists()
    # past sessions have attendance and survey answers for the coordinators' reports
    assert Registration.objects.filter(attendance="present", session__ends_at__lt=now).exists()
    assert Registration.objects.filter(evaluation__isnull=False).exists()
    assert Session.objects.count() == pages.count() * 4
    html = client.get("/trainingen/").content.decode()
    assert "Vol, wachtlijst open" in html
    assert client.get("/webinars/").status_code == 200
    first = pages.first()
    assert client.get(first.url).status_code == 200
