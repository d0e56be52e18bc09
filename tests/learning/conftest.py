import datetime as dt

import pytest
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from learning.models import AMSTERDAM, Format, Kind, Session, TrainingIndexPage, TrainingPage
from learning.services import Person
from website.demo import upsert_child
from website.models import Municipality, TargetGroup


@pytest.fixture
def catalogue(site_home):
    return upsert_child(
        site_home, TrainingIndexPage, "trainingen", title="Trainingen", intro="Alle trainingen"
    )


@pytest.fixture
def make_training(catalogue):
    def make(title="Radicalisering herkennen", *, kind=Kind.TRAINING, fmt=Format.ON_SITE, **kw):
        slug = kw.pop("slug", None) or title.lower().replace(" ", "-")
        page = upsert_child(
            catalogue,
            TrainingPage,
            slug,
            title=title,
            intro="Signalen herkennen en duiden.",
            kind=kind,
            format=fmt,
            duration_label="3 uur",
            **kw,
        )
        return page

    return make


@pytest.fixture
def make_session():
    def make(page, *, days=10, capacity=10, online=False, **kw):
        start = timezone.localtime(timezone.now(), AMSTERDAM) + dt.timedelta(days=days)
        return Session.objects.create(
            page=page,
            date=start.date(),
            start_time=dt.time(9, 30),
            end_time=dt.time(12, 30),
            capacity=capacity,
            online=online,
            location="" if online else "Zijlweg 245, Haarlem",
            join_url="https://meet.example.nl/geheim-123" if online else "",
            **kw,
        )

    return make


@pytest.fixture
def person_factory(reference_data):
    group = TargetGroup.objects.first()
    municipality = Municipality.objects.first()

    def make(n=0, **kw):
        values = {
            "first_name": f"Persoon{n}",
            "last_name": "Jansen",
            "email": f"persoon{n}@example.nl",
            "function": "Wijkcoördinator",
            "organisation": "Gemeente Haarlem",
            "target_group_id": group.pk,
            "municipality": municipality,
        }
        values.update(kw)
        return Person(**values)

    return make


@pytest.fixture(autouse=True)
def _run_on_commit_now(request, monkeypatch):
    """Tests without transaction=True never commit; run after-commit work at once."""
    marker = request.node.get_closest_marker("django_db")
    if marker and marker.kwargs.get("transaction"):
        return

    monkeypatch.setattr(transaction, "on_commit", lambda fn, **kw: fn())


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fragment_cache(settings):
    """Query-count and content tests see fresh renders; test_cache.py turns it on."""
    settings.LEARNING_CACHE_SECONDS = 0
