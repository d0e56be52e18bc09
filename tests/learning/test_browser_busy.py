"""The busy page (templates/busy.html, answered by website.locking.BusyMiddleware) in a
real browser: a lock wait that runs out where no view keeps the visitor's input (cancelling
a registration through the personal link) answers the Dutch 503 page, which axe-core finds
nothing on; a few seconds later the same button works."""

import datetime as dt

import pytest
from django.db import OperationalError
from django.utils import timezone

from learning import services
from learning.models import RegistrationStatus
from learning.services import registrations
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _database_is_locked(*args, **kwargs):
    raise OperationalError("database is locked")  # SQLite's busy timeout ran out


def test_busy_page_when_a_cancellation_waits_too_long(
    page, make_training, make_session, person_factory, monkeypatch
):
    session = make_session(make_training())
    registration = services.register(
        session_id=session.pk,
        person=person_factory(1),
        now=timezone.now() - dt.timedelta(days=1),
    ).registration
    page.goto(f"/trainingen/aanmelding/{registration.token}/annuleren/")
    monkeypatch.setattr(registrations, "_lock_session", _database_is_locked)
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    response = navigation.value
    assert response.status == 503 and int(response.headers["retry-after"]) > 0
    assert page.get_by_role("heading", name="Erg druk", level=1).is_visible()
    assert page.get_by_role("alert").get_by_text("Het is nu erg druk").is_visible()
    assert_accessible(page)

    monkeypatch.undo()  # a few seconds later
    page.go_back()
    page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    page.wait_for_url(f"**/trainingen/aanmelding/{registration.token}/")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED
