import pytest
from django.core.cache import cache

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


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed(): ...`` runs what the block handed to ``transaction.on_commit``
    when the block ends, as a commit would in production (tests without
    ``transaction=True`` never commit, so nothing runs after commit on its own: a test
    that expects e-mails must say where the commit happens)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()


@pytest.fixture(autouse=True)
def _no_fragment_cache(settings):
    """Query-count and content tests see fresh renders; test_cache.py turns it on."""
    settings.LEARNING_CACHE_SECONDS = 0
