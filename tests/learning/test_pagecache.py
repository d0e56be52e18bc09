"""The whole-page cache never shows stale places: a registration, cancellation or a
session change is visible on the next request of the catalogue and the training page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
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


def test_a_registration_re_renders_the_pages_without_routing_them_again(
    client, make_training, make_session, person_factory
):
    """A registration moves the facts stamp, not the content stamp: the next request
    renders the training page anew with the place taken, but its route, page, site,
    layout and reference data still come from the cache."""
    training = make_training("Radicalisering herkennen")
    session = make_session(training, capacity=2)
    client.get(training.url)
    assert "Nog 2 plekken" in client.get(training.url).content.decode()

    services.register(session_id=session.pk, person=person_factory(1), now=timezone.now())
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(training.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Nog 1 plek" in response.content.decode()
    tables = " ".join(q["sql"] for q in ctx.captured_queries)
    for cached in ("wagtailcore_site", "wagtailcore_pageviewrestriction", "website_sitesettings"):
        assert cached not in tables
    assert 'FROM "wagtailcore_page"' not in tables  # routed from the cache


def test_registration_form_and_personal_page_are_never_shared(client, make_training, make_session):
    session = make_session(make_training())
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.get(url)
    assert "X-Page-Cache" not in client.get(url)
