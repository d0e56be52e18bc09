"""The durable outbox (website.mail) and the scheduler (manage.py run_scheduled)."""

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks.base import Task
from wagtail import hooks

from website import hooks as cter
from website import mail as outbox
from website.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 5, 4, 9, 0, tzinfo=dt.UTC)


def test_headers_and_attachment_go_out_and_only_the_envelope_stays(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        email = outbox.store_and_send(
            to="iemand@example.nl",
            subject="Onderwerp",
            text="Tekst met https://example.nl/geheim/",
            html="<p>HTML</p>",
            ics="BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\nEND:VCALENDAR\r\n",
            headers={"List-Unsubscribe": "<https://example.nl/af/geheim/>"},
            tag="test:1",
        )
        assert mail.outbox == []  # nothing leaves before the commit
    (message,) = mail.outbox
    assert message.extra_headers["List-Unsubscribe"] == "<https://example.nl/af/geheim/>"
    assert message.alternatives[0][1] == "text/html"
    assert message.attachments[0][0] == "uitnodiging.ics"
    assert message.attachments[0][2] == "text/calendar; method=REQUEST"
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT
    assert (email.text, email.html, email.ics, email.headers) == ("", "", "", {})
    assert (email.to, email.subject, email.tag) == ("iemand@example.nl", "Onderwerp", "test:1")


def test_a_rollback_takes_the_email_with_it(django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        outbox.store_and_send(to="iemand@example.nl", subject="Weg", text="t")
        raise RuntimeError
    assert callbacks == []
    assert not OutboxEmail.objects.exists()
    assert mail.outbox == []


def test_delivery_tells_the_apps_once_and_a_failing_hook_never_undoes_it(
    settings, django_capture_on_commit_callbacks
):
    heard = []

    def counts(*, tag, now):
        heard.append(tag)

    def broken(*, tag, now):
        raise RuntimeError("bug in an app")

    settings.EMAIL_BACKEND = "tests.learning.broken_mail.Backend"
    with (
        hooks.register_temporarily(cter.EMAIL_DELIVERED, broken),
        hooks.register_temporarily(cter.EMAIL_DELIVERED, counts),
    ):
        with django_capture_on_commit_callbacks(execute=True):
            email = outbox.store_and_send(to="a@example.nl", subject="s", text="t", tag="mailing:7")
        email.refresh_from_db()
        assert email.status == OutboxStatus.PENDING and heard == []  # not delivered: not told
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        assert outbox.retry_due_emails(now=email.next_attempt_at) == 1
        assert outbox.retry_due_emails(now=email.next_attempt_at) == 0
        with django_capture_on_commit_callbacks(execute=True):
            outbox.store_and_send(to="b@example.nl", subject="s", text="t")  # no tag: not told
        assert len(mail.outbox) == 2
    assert heard == ["mailing:7"]
    email.refresh_from_db()
    assert email.status == OutboxStatus.SENT


def test_tasks_queued_before_the_move_still_find_the_delivery_task():
    """Queued database tasks name their function by path; the old path stays valid."""
    old = import_string("learning.tasks.deliver_email")
    assert isinstance(old, Task) and old is import_string("website.tasks.deliver_email")


# ----- the scheduler ---------------------------------------------------------------------


def test_run_scheduled_runs_every_apps_jobs_in_hook_order():
    # Stored, but its delivery task never ran (e.g. the worker was down): the scheduler
    # delivers it.
    outbox.store_and_send(to="a@example.nl", subject="s", text="t")

    out = io.StringIO()
    call_command("run_scheduled", stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("0 reminder(s), 0 survey(s) queued")  # learning, order 20
    assert lines[-2] == "1 e-mail(s) from the outbox delivered."  # website, order 100
    assert lines[-1] == "Heartbeat queued for the task worker."  # website, order 110
    assert [m.to for m in mail.outbox] == [["a@example.nl"]]


def test_send_reminders_is_an_alias_of_run_scheduled():
    out = io.StringIO()
    call_command("send_reminders", stdout=out)
    assert "e-mail(s) from the outbox delivered" in out.getvalue()


def test_a_failing_job_does_not_stop_the_others_and_cron_sees_the_failure(caplog):
    ran = []

    def broken(*, now):
        raise RuntimeError("database restarting")

    def fine(*, now):
        ran.append(now)
        return "fine"

    out = io.StringIO()
    with (
        hooks.register_temporarily(cter.SCHEDULED_JOBS, broken, order=1),
        hooks.register_temporarily(cter.SCHEDULED_JOBS, fine, order=2),
        pytest.raises(CommandError),
    ):
        call_command("run_scheduled", stdout=out)
    assert len(ran) == 1 and "fine" in out.getvalue()
    assert "Scheduled job" in caplog.text and "broken failed" in caplog.text


def test_send_outbox_retries_due_emails():
    outbox.store_and_send(to="a@example.nl", subject="s", text="t")  # task never ran
    OutboxEmail.objects.update(attempts=1, next_attempt_at=timezone.now() - dt.timedelta(minutes=1))
    out = io.StringIO()
    call_command("send_outbox", stdout=out)
    assert out.getvalue().strip() == "1 e-mail(s) sent."


# ----- the move from learning ------------------------------------------------------------

BEFORE = [("learning", "0004_one_content_stamp"), ("website", "0004_counting")]
AFTER = [("learning", "0005_outbox_moved_to_website"), ("website", "0005_outbox")]


def check_the_move_keeps_every_row():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old_apps = executor.loader.project_state(BEFORE).apps
    Old = old_apps.get_model("learning", "OutboxEmail")
    pending = Old.objects.create(to="a@example.nl", subject="Wacht", text="t", ics="BEGIN")
    Old.objects.create(id=500, to="b@example.nl", subject="Weg", text="", status="sent")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(AFTER)
    # The model as it was then (later migrations add fields, e.g. the send lease).
    New = executor.loader.project_state(AFTER).apps.get_model("website", "OutboxEmail")
    rows = {row.pk: row for row in New.objects.all()}
    assert set(rows) == {pending.pk, 500}
    assert (rows[pending.pk].subject, rows[pending.pk].ics) == ("Wacht", "BEGIN")
    assert rows[pending.pk].status == OutboxStatus.PENDING
    assert rows[500].status == OutboxStatus.SENT
    # New e-mails continue after the copied ids.
    assert New.objects.create(to="c@example.nl", subject="Nieuw", text="t").pk > 500


def migrate_to_the_latest():
    """Leave the schema as every later test expects it (all apps' latest migrations)."""
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_the_move_from_learning_keeps_every_row_and_id():
    try:
        check_the_move_keeps_every_row()
    finally:
        migrate_to_the_latest()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_move_from_learning_keeps_every_row_and_id_on_postgresql():
    try:
        check_the_move_keeps_every_row()
    finally:
        migrate_to_the_latest()
