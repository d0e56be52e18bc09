import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning import services

pytestmark = pytest.mark.django_db


def test_cached_catalogue_updates_when_places_change(
    client, settings, make_training, make_session, person_factory
):
    settings.LEARNING_CACHE_SECONDS = 300
    session = make_session(make_training(), capacity=2)
    assert "Nog 2 plekken" in client.get("/trainingen/").content.decode()
    with CaptureQueriesContext(connection) as ctx:
        client.get("/trainingen/")
    assert not any("learning_session" in q["sql"] for q in ctx.captured_queries)
    services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    assert "Nog 1 plek" in client.get("/trainingen/").content.decode()
    assert "Nog 1 plek" in client.get(session.page.url).content.decode()
