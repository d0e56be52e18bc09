"""Registrations that tell nobody anything, flood nobody and never end in a 500 (issue 11
items 3 and 5; the PostgreSQL side of item 3 is in test_postgres_locking.py)."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.db import OperationalError
from django.utils import timezone

from learning import services
from learning.models import Registration
from learning.services import registrations
from tests.learning.test_pages import valid_form

pytestmark = pytest.mark.django_db

BUSY = "Het is nu erg druk; probeer het over een paar seconden opnieuw."


def _page(response) -> str:
    """The page without its per-request CSRF token."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


# ----- item 3: a lock wait that runs out -------------------------------------------------------


def _database_is_locked(*args, **kwargs):
    raise OperationalError("database is locked")  # SQLite's busy timeout ran out


def test_database_is_locked_asks_to_try_again_with_the_input_kept(
    client, make_training, make_session, monkeypatch, committed
):
    session = make_session(make_training())
    monkeypatch.setattr(registrations, "_lock_session", _database_is_locked)
    url = f"/trainingen/aanmelden/{session.pk}/"
    with committed():
        response = client.post(url, valid_form(first_name="Noor", email="noor@example.nl"))
    assert response.status_code == 503 and int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert BUSY in html
    assert 'value="Noor"' in html and 'value="noor@example.nl"' in html  # input kept
    assert "<form" in html  # to send again
    assert not Registration.objects.exists() and mail.outbox == []

    monkeypatch.undo()  # a few seconds later
    response = client.post(url, valid_form(first_name="Noor", email="noor@example.nl"))
    assert response.status_code == 302 and Registration.objects.count() == 1


def test_other_database_errors_are_not_hidden(
    make_training, make_session, person_factory, monkeypatch
):
    session = make_session(make_training())

    def broken(*args, **kwargs):
        raise OperationalError("no such table: learning_session")

    monkeypatch.setattr(registrations, "_lock_session", broken)
    with pytest.raises(OperationalError):
        services.register(session_id=session.pk, person=person_factory(), now=timezone.now())


def test_a_lock_wait_nobody_catches_is_a_dutch_503_page(
    client, make_training, make_session, person_factory, monkeypatch
):
    """Cancelling (public page) has no form input to keep: the site-wide answer."""
    session = make_session(make_training())
    reg = services.register(
        session_id=session.pk, person=person_factory(), now=timezone.now()
    ).registration
    monkeypatch.setattr(registrations, "_lock_session", _database_is_locked)
    response = client.post(f"/trainingen/aanmelding/{reg.token}/annuleren/")
    assert response.status_code == 503 and response["Retry-After"]
    assert BUSY in response.content.decode()
    assert Registration.objects.get().status == "confirmed"


# ----- item 5: the form does not tell who registered -------------------------------------------


def _closed(make_session, page, state):
    if state == "past":
        return make_session(page, days=-2)
    if state == "closed":
        return make_session(page, deadline=timezone.now() + dt.timedelta(hours=1))
    return make_session(page)


@pytest.mark.parametrize("state", ["past", "cancelled", "closed"])
def test_closed_session_answers_the_same_for_registered_and_unknown_addresses(
    client, make_training, make_session, person_factory, committed, state
):
    session = _closed(make_session, make_training(), state)
    known = person_factory(1, email="bekend@example.nl")
    when = min(timezone.now(), session.starts_at - dt.timedelta(days=7))  # while it was open
    services.register(session_id=session.pk, person=known, now=when)
    if state == "cancelled":
        services.cancel_session(session_id=session.pk, now=timezone.now())
    if state == "closed":
        session.deadline = timezone.now() - dt.timedelta(minutes=1)
        session.save()
    url = f"/trainingen/aanmelden/{session.pk}/"
    with committed():
        registered = client.post(url, valid_form(email="bekend@example.nl"))
        unknown = client.post(url, valid_form(email="onbekend@example.nl"))
    assert registered.status_code == unknown.status_code == 200
    assert _page(registered) == _page(unknown)
    assert "al aangemeld" not in _page(registered)
    assert mail.outbox == []  # and no "your link again" e-mail that would tell either


def test_link_sent_again_at_most_once_an_hour_without_saying_so(
    client, make_training, make_session, committed
):
    session = make_session(make_training())
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.post(url, valid_form())  # registered (no e-mail: outside committed())
    answers = []
    with committed():
        for _ in range(4):
            response = client.post(url, valid_form(email="Fatima@Example.nl"), follow=True)
            answers.append(_page(response))
    assert len(set(answers)) == 1  # the same answer each time ...
    assert "al aangemeld" in answers[0]
    assert len(mail.outbox) == 1  # ... but one e-mail
    assert Registration.objects.count() == 1


def test_link_sent_again_after_an_hour(make_training, make_session, person_factory, committed):
    session = make_session(make_training())
    now = timezone.now()
    services.register(session_id=session.pk, person=person_factory(), now=now)
    with committed():
        for minutes in (1, 30, 60, 61, 90, 121):
            result = services.register(
                session_id=session.pk,
                person=person_factory(),
                now=now + dt.timedelta(minutes=minutes),
            )
            assert not result.created
    assert len(mail.outbox) == 3  # at 1, 61 and 121 minutes
    assert all(m.subject.startswith("Uw aanmelding") for m in mail.outbox)
