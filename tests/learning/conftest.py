import pytest
from django.core.cache import cache
from django.db import transaction

from learning.factories import (
    PersonFactory,
    SessionFactory,
    TrainingIndexPageFactory,
    TrainingPageFactory,
)
from learning.models import Format, Kind


@pytest.fixture
def catalogue(site_home):
    return TrainingIndexPageFactory(parent=site_home)


@pytest.fixture
def make_training(catalogue):
    def make(title="Radicalisering herkennen", *, kind=Kind.TRAINING, fmt=Format.ON_SITE, **kw):
        slug = kw.pop("slug", None) or title.lower().replace(" ", "-")
        return TrainingPageFactory(
            parent=catalogue, title=title, slug=slug, kind=kind, format=fmt, **kw
        )

    return make


@pytest.fixture
def make_session():
    def make(page, **kw):
        return SessionFactory(page=page, **kw)

    return make


@pytest.fixture
def person_factory(reference_data):
    def make(n=0, **kw):
        return PersonFactory(n=n, **kw)

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
