"""The outbox talks to the mail server outside any transaction (website.mail.deliver).

A worker claims an e-mail in a short transaction (a lease until ``SEND_LEASE`` from now),
sends it with no lock held and no transaction open, and records the outcome in a second
short transaction. Before this, ``deliver`` held the row lock (on SQLite, whose
transactions are IMMEDIATE, the whole database's write lock) for as long as SMTP took:
a slow mail server stopped every registration.
"""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import connection, transaction
from wagtail import hooks

from tests.concurrency import run_together
from website import health
from website import hooks as cter
from website import mail as outbox
from website.models import OutboxEmail, OutboxStatus

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)
BACKEND = f"{__name__}.WatchedBackend"
BROKEN = "tests.learning.broken_mail.Backend"


class WatchedBackend(EmailBackend):
    """The local-memory backend, running ``during_send`` while a message "goes out"
    (what a slow mail server's conversation would be)."""

    during_send = None

    def send_messages(self, messages):
        if WatchedBackend.during_send is not None:
            WatchedBackend.during_send()
        return super().send_messages(messages)


class WorkerDied(BaseException):
    """The worker process ends in the middle of the SMTP conversation (killed, out of
    memory): nothing after the send runs."""


class DyingBackend(EmailBackend):
    def send_messages(self, messages):
        raise WorkerDied


@pytest.fixture
def during_send(settings):
    """``during_send.append(fn)``: ``fn()`` runs inside each send; the last one wins."""
    settings.EMAIL_BACKEND = BACKEND
    calls = []
    WatchedBackend.during_send = lambda: calls[-1]() if calls else None
    yield calls
    WatchedBackend.during_send = None


def new_email(**fields) -> OutboxEmail:
    return OutboxEmail.objects.create(
        to="fatima@example.nl",
        subject="Aanmelding",
        text="Uw link: https://example.nl/x/",
        **fields,
    )


def lock_the_row_elsewhere(pk: int) -> dict:
    """From another thread, on its own database connection: open a transaction and lock
    the e-mail's row without waiting (PostgreSQL: ``FOR UPDATE NOWAIT``; SQLite: the
    IMMEDIATE transaction takes the database's write lock, waiting at most one second).
    Returns ``{"status": ...}`` when it got the lock, ``{"error": ...}`` when not."""
    outcome = {}

    def run():
        try:
            if connection.vendor == "sqlite":
                with connection.cursor() as cursor:
                    cursor.execute("PRAGMA busy_timeout = 1000")
            with transaction.atomic():
                row = OutboxEmail.objects.select_for_update(nowait=True).filter(pk=pk)
                outcome["status"] = row.values_list("status", flat=True).get()
        except Exception as exc:  # handed to the test
            outcome["error"] = type(exc).__name__
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return outcome


# ----- no lock and no transaction while the mail server talks ----------------------------


@pytest.mark.django_db(transaction=True)
def test_no_lock_or_transaction_is_held_while_the_mail_server_talks(during_send, on_each_database):
    email = new_email()
    seen = {}

    def look_around():
        seen["in_transaction"] = connection.in_atomic_block
        seen["elsewhere"] = lock_the_row_elsewhere(email.pk)

    during_send.append(look_around)
    assert outbox.deliver(email_id=email.pk, now=NOW) is True
    # While it was being sent: no transaction here, and another connection could lock the
    # row (on SQLite: write to the database) at once; the e-mail is still pending there.
    assert seen == {"in_transaction": False, "elsewhere": {"status": OutboxStatus.PENDING}}
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT and len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_email_send_it_once(during_send, on_each_database):
    """Two workers (the task and the scheduler's retry) deliver the same e-mail at once:
    one claims and sends it, the other leaves it at once, without waiting."""
    email = new_email()
    sends, other_returned = [], threading.Event()

    def slow_server():
        # Did the other worker leave while this one was still sending?
        sends.append(other_returned.wait(5))

    def worker():
        try:
            return outbox.deliver(email_id=email.pk, now=NOW)
        finally:
            other_returned.set()

    during_send.append(slow_server)
    errors, results = run_together([worker, worker])
    assert errors == []
    assert sends == [True] and len(mail.outbox) == 1
    assert sorted(results) == [False, True]  # only the one that sent it says so
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.SENT, 1)


# ----- the lease: a worker that dies mid-send loses no e-mail -----------------------------


@pytest.mark.django_db
def test_an_email_whose_worker_died_is_sent_again_once_the_lease_runs_out(settings):
    email = new_email()
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    with pytest.raises(WorkerDied):
        outbox.deliver(email_id=email.pk, now=NOW)

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The lease still runs: perhaps the worker is only slow, so nobody else sends it.
    still_claimed = NOW + outbox.SEND_LEASE - dt.timedelta(seconds=1)
    assert outbox.retry_due_emails(now=still_claimed) == 0
    assert outbox.deliver(email_id=email.pk, now=still_claimed) is False
    assert mail.outbox == []
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.PENDING, 1)
    assert email.text  # not delivered: the body stays
    # /health/ counts it as waiting: it has not been delivered.
    assert health.check_email(now=NOW)["pending"] == 1

    assert outbox.retry_due_emails(now=NOW + outbox.SEND_LEASE) == 1
    (message,) = mail.outbox
    assert message.to == ["fatima@example.nl"] and "https://example.nl/x/" in message.body
    email.refresh_from_db()
    assert (email.status, email.attempts, email.text) == (OutboxStatus.SENT, 2, "")
    assert email.claimed_until is None
    assert health.check_email(now=NOW)["pending"] == 0


@pytest.mark.django_db
def test_an_email_that_kills_its_worker_every_time_ends_failed(settings):
    email = new_email()
    settings.EMAIL_BACKEND = f"{__name__}.DyingBackend"
    now = NOW
    for _ in range(outbox.MAX_ATTEMPTS):
        with pytest.raises(WorkerDied):
            outbox.deliver(email_id=email.pk, now=now)
        now += outbox.SEND_LEASE
    assert outbox.retry_due_emails(now=now) == 0
    email.refresh_from_db()
    assert (email.status, email.attempts) == (OutboxStatus.FAILED, outbox.MAX_ATTEMPTS)
    assert email.claimed_until is None
    assert outbox.retry_due_emails(now=now + dt.timedelta(days=1)) == 0


# ----- the outcome ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_mail_server_that_stays_down_backs_off_and_ends_failed(
    settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = BROKEN
    email = new_email()
    now = NOW
    for attempt in range(1, outbox.MAX_ATTEMPTS + 1):
        with django_capture_on_commit_callbacks() as retries:
            assert outbox.deliver(email_id=email.pk, now=now) is False
        email.refresh_from_db()
        last = attempt == outbox.MAX_ATTEMPTS
        assert email.status == (OutboxStatus.FAILED if last else OutboxStatus.PENDING)
        assert (email.attempts, email.last_error) == (attempt, "ConnectionRefusedError")
        assert email.next_attempt_at == now + dt.timedelta(minutes=min(2**attempt, 240))
        assert email.claimed_until is None  # released: the retry need not wait for the lease
        assert len(retries) == (0 if last else 1)  # a deferred retry, while it is pending
        assert outbox.retry_due_emails(now=email.next_attempt_at - dt.timedelta(seconds=1)) == 0
        now = email.next_attempt_at
    assert email.text  # never delivered: the body stays
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert outbox.retry_due_emails(now=now) == 0
    assert outbox.deliver(email_id=email.pk, now=now) is False
    assert mail.outbox == []


@pytest.mark.django_db
def test_a_delivery_strips_the_body_and_tells_the_apps_once(during_send):
    heard = []
    email = new_email(tag="mailing:7", html="<p>x</p>", headers={"List-Unsubscribe": "<u>"})
    with hooks.register_temporarily(
        cter.EMAIL_DELIVERED, lambda *, tag, now: heard.append((tag, now))
    ):
        assert outbox.deliver(email_id=email.pk, now=NOW) is True
        assert outbox.deliver(email_id=email.pk, now=NOW) is True  # a second task: nothing
        assert outbox.retry_due_emails(now=NOW + dt.timedelta(days=1)) == 0
    assert heard == [("mailing:7", NOW)] and len(mail.outbox) == 1
    email.refresh_from_db()
    assert (email.status, email.sent_at, email.last_error) == (OutboxStatus.SENT, NOW, "")
    assert (email.text, email.html, email.ics, email.headers) == ("", "", "", {})
    assert email.claimed_until is None


@pytest.mark.django_db
def test_a_send_that_outlives_its_lease_is_recorded_and_told_once(during_send):
    """The mail server took longer than the lease; meanwhile another worker claimed the
    e-mail and sent it too (at least once: the mail server may have taken the first copy
    or not). Whichever finishes first records it; the apps hear of it once."""
    heard = []
    email = new_email(tag="mailing:7")
    later = NOW + outbox.SEND_LEASE

    def slow_server():
        during_send.clear()  # the second worker's send is quick
        assert outbox.deliver(email_id=email.pk, now=later) is True

    during_send.append(slow_server)
    with hooks.register_temporarily(cter.EMAIL_DELIVERED, lambda *, tag, now: heard.append(now)):
        assert outbox.deliver(email_id=email.pk, now=NOW) is True
    assert heard == [later] and len(mail.outbox) == 2
    email.refresh_from_db()
    assert (email.status, email.attempts, email.sent_at) == (OutboxStatus.SENT, 2, later)


@pytest.mark.django_db
def test_a_late_failure_does_not_undo_another_workers_delivery(during_send, settings):
    email = new_email()

    def slow_then_broken():
        during_send.clear()
        assert outbox.deliver(email_id=email.pk, now=NOW + outbox.SEND_LEASE) is True
        raise ConnectionResetError

    during_send.append(slow_then_broken)
    assert outbox.deliver(email_id=email.pk, now=NOW) is False
    email.refresh_from_db()
    assert (email.status, email.last_error, email.text) == (OutboxStatus.SENT, "", "")


@pytest.mark.django_db
def test_an_email_withdrawn_while_it_was_sent_stays_gone_and_counts(during_send):
    """The person unsubscribed (their e-mails are deleted) while the mail server talked:
    the row is not written back, and the delivery still counts."""
    heard = []
    email = new_email(tag="mailing:7")
    during_send.append(lambda: OutboxEmail.objects.filter(pk=email.pk).delete())
    with hooks.register_temporarily(cter.EMAIL_DELIVERED, lambda *, tag, now: heard.append(tag)):
        assert outbox.deliver(email_id=email.pk, now=NOW) is True
    assert not OutboxEmail.objects.exists()
    assert heard == ["mailing:7"] and len(mail.outbox) == 1


DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]},
}


@pytest.mark.django_db
def test_with_the_database_queue_the_delivery_task_commits_or_rolls_back_with_the_email(
    settings, django_capture_on_commit_callbacks
):
    """The task row is written in the caller's transaction: no second write transaction
    after the commit, and a rolled-back e-mail leaves no task behind."""
    from django.db import transaction as tx  # noqa: PLC0415
    from django_tasks_db.models import DBTaskResult  # noqa: PLC0415

    from website import mail as outbox  # noqa: PLC0415

    settings.TASKS = DATABASE_TASKS
    with django_capture_on_commit_callbacks() as callbacks, tx.atomic():
        email = outbox.store_and_send(to="a@example.nl", subject="Onderwerp", text="Tekst")
    assert callbacks == []  # nothing left for after the commit
    rows = DBTaskResult.objects.filter(task_path__endswith="deliver_email")
    assert [row.args_kwargs["args"] for row in rows] == [[email.pk]]

    with pytest.raises(RuntimeError), tx.atomic():
        outbox.store_and_send(to="b@example.nl", subject="Onderwerp", text="Tekst")
        raise RuntimeError("rolled back")
    assert rows.count() == 1
    assert not OutboxEmail.objects.filter(to="b@example.nl").exists()
