"""What a registration locks and waits for, on PostgreSQL with real concurrent connections
(issue 11 items 1 and 3).

On the code before this work (main at 34bee20) these failed: ``register`` locked the
session with ``select_for_update().select_related("page")`` (which locks the training's
page row too) and the change-stamp signal handlers updated the site-wide stamp rows inside
the registration's transaction, so a Wagtail publish of the training (page row, stamp rows,
then the session rows) deadlocked with registrations, and a registration waited behind any
transaction that held the page row or a stamp row.
"""

import threading

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from learning import services
from learning.models import Registration, TrainingPage
from tests.concurrency import run_together
from tests.learning.test_pages import valid_form

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PATIENCE = 8  # seconds a lock is held at most; a registration that waits for it fails


class HeldLock:
    """Another connection holds row locks (``SELECT ... FOR UPDATE``) in an open
    transaction until the ``with`` block ends."""

    def __init__(self, sql: str, params=()):
        self.sql, self.params = sql, params
        self.locked, self.release = threading.Event(), threading.Event()
        self.rows = 0

    def _hold(self):
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(self.sql, self.params)
                self.rows = len(cursor.fetchall())
                self.locked.set()
                self.release.wait(PATIENCE)
        finally:
            connection.close()

    def __enter__(self):
        self.thread = threading.Thread(target=self._hold)
        self.thread.start()
        assert self.locked.wait(10), "could not take the lock"
        assert self.rows, f"nothing to lock: {self.sql}"
        return self

    def __exit__(self, *exc):
        self.release.set()
        self.thread.join()


def finishes_while_held(job, lock: HeldLock):
    """Run ``job`` on its own connection while ``lock`` is held: (finished in time, result
    or exception). The lock is released after PATIENCE seconds at the latest, so a job that
    waits for it still ends, too late."""
    outcome = {}

    def run():
        try:
            outcome["result"] = job()
        except Exception as exc:  # handed to the test
            outcome["result"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join(PATIENCE - 2)
    in_time = not thread.is_alive()
    lock.release.set()
    thread.join()
    return in_time, outcome.get("result")


def test_publishing_a_training_while_people_register_loses_nobody(
    make_training, make_session, person_factory
):
    """An editor publishes the training (a revision, as the page editor does) while people
    register for its sessions: no deadlock, no error, every registration stored."""
    page = make_training()
    sessions = [make_session(page, days=10 + n, capacity=4) for n in range(2)]
    other = make_session(make_training("Andere training"))
    # Everyone names the same organisation; it exists before the race (two people creating
    # one new organisation at once is issue 11 item 2, tested with the organisations).
    services.register(session_id=other.pk, person=person_factory(0), now=timezone.now())
    people = iter(range(1, 1000))
    rounds, per_session = 4, 4

    def publish(n):
        training = TrainingPage.objects.get(pk=page.pk)
        training.intro = f"Versie {n}"
        training.save_revision().publish()

    def register(session, person):
        return services.register(session_id=session.pk, person=person, now=timezone.now())

    for n in range(rounds):
        pairs = [(s, person_factory(next(people))) for s in sessions for _ in range(per_session)]
        jobs = [lambda n=n: publish(n)] + [lambda s=s, p=p: register(s, p) for s, p in pairs]
        errors, _results = run_together(jobs)
        assert errors == [], errors

    assert Registration.objects.filter(session__page=page).count() == (
        rounds * per_session * len(sessions)
    )
    for session in sessions:
        assert session.registrations.filter(status="confirmed").count() == 4


def test_a_registration_does_not_wait_for_the_training_page_row(
    make_training, make_session, person_factory
):
    """Someone holds the training's page row (an editor's publish, a page move): a
    registration on one of its sessions still goes through at once."""
    page = make_training()
    session = make_session(page)
    lock = HeldLock("SELECT id FROM wagtailcore_page WHERE id = %s FOR UPDATE", [page.pk])
    with lock:
        in_time, result = finishes_while_held(
            lambda: services.register(
                session_id=session.pk, person=person_factory(), now=timezone.now()
            ),
            lock,
        )
    assert in_time, f"the registration waited for the page row: {result!r}"
    assert isinstance(result, services.RegistrationResult), result
    assert Registration.objects.filter(session=session).count() == 1


def test_registrations_do_not_queue_on_a_site_wide_row(make_training, make_session, person_factory):
    """Every registration changes what public pages show, so the cache stamps change; but
    a registration never waits for a site-wide row that someone else holds."""
    session = make_session(make_training())
    # the stamp rows exist once anything was published or registered
    services.register(session_id=session.pk, person=person_factory(0), now=timezone.now())
    lock = HeldLock("SELECT id FROM website_contentstamp FOR UPDATE")
    with lock:
        in_time, result = finishes_while_held(
            lambda: services.register(
                session_id=session.pk, person=person_factory(1), now=timezone.now()
            ),
            lock,
        )
    assert in_time, f"the registration waited for the content stamp: {result!r}"
    assert isinstance(result, services.RegistrationResult), result
    assert Registration.objects.filter(session=session).count() == 2


def test_a_lock_wait_that_runs_out_asks_to_try_again(client, settings, make_training, make_session):
    """Someone holds the session row longer than LOCK_TIMEOUT: the registrant gets the
    Dutch "very busy" message above the filled-in form (503), not an error page, and
    nothing is stored or mailed."""
    settings.LOCK_TIMEOUT = 0.5
    session = make_session(make_training())
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.get(url)  # warm caches outside the lock
    lock = HeldLock("SELECT id FROM learning_session WHERE id = %s FOR UPDATE", [session.pk])
    with lock:
        response = client.post(url, valid_form(first_name="Noor"))
        released_early = lock.release.is_set()
    assert not released_early  # the answer came while the lock was still held
    assert response.status_code == 503 and response["Retry-After"]
    html = response.content.decode()
    assert "Het is nu erg druk; probeer het over een paar seconden opnieuw." in html
    assert 'value="Noor"' in html
    assert not Registration.objects.exists() and mail.outbox == []
    response = client.post(url, valid_form(first_name="Noor"))  # the lock is gone: it works
    assert response.status_code == 302 and Registration.objects.count() == 1
