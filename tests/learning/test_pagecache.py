"""The whole-page cache never shows stale places: a registration, cancellation or a
session change is visible on the next request of the catalogue and the training page."""

import pytest
from django.utils import timezone

from learning import services


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


def test_places_left_change_at_once(client, make_training, make_session, person_factory):
    training = make_training("Radicalisering herkennen")
    session = make_session(training, capacity=2)
    for url in ("/trainingen/", training.url):
        client.get(url)
        response = client.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert "Nog 2 plekken" in response.content.decode()

    result = services.register(session_id=session.pk, person=person_factory(1), now=timezone.now())
    for url in ("/trainingen/", training.url):
        assert "Nog 1 plek" in client.get(url).content.decode()

    services.register(session_id=session.pk, person=person_factory(2), now=timezone.now())
    assert "Vol, wachtlijst open" in client.get("/trainingen/").content.decode()

    services.cancel_registration(registration_id=result.registration.pk, now=timezone.now())
    assert "Nog 1 plek" in client.get("/trainingen/").content.decode()


def test_registration_form_and_personal_page_are_never_shared(client, make_training, make_session):
    session = make_session(make_training())
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)
