"""/health/ and /health/server/ (website/health.py): JSON, 200 or 503, for load balancers
and monitoring; the heartbeat is what a real scheduler and task worker write."""

import datetime as dt
import importlib
import io

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.utils import timezone
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from website import health, tasks
from website.models import OutboxEmail, OutboxStatus

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "background": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default", "mail"]},
}


@pytest.fixture
def db_tasks(settings):
    """The real durable queue, as in production (test settings run tasks at once)."""
    settings.TASKS = DATABASE_TASKS


def task_row(*, ago, path=health.HEARTBEAT_TASK, status=TaskResultStatus.SUCCESSFUL, **kw):
    """A task row as django-tasks-db leaves it, enqueued ``ago`` and run at once."""
    row = DBTaskResult.objects.create(
        task_path=path,
        args_kwargs={"args": [], "kwargs": {}},
        queue_name="default",
        backend_name="background",
        run_after=kw.pop("run_after", None) or get_date_max(),  # "as soon as possible"
        status=status,
        **kw,
    )
    at = timezone.now() - ago
    finished = at if status == TaskResultStatus.SUCCESSFUL else None
    DBTaskResult.objects.filter(pk=row.pk).update(
        enqueued_at=at, started_at=finished, finished_at=finished
    )
    return row


def about(seconds, expected):
    """Ages in whole seconds; the test itself takes a moment."""
    return expected <= seconds <= expected + 5


def get(client, url="/health/"):
    response = client.get(url)
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def test_heartbeat_task_path_is_what_health_reads():
    assert tasks.heartbeat.module_path == health.HEARTBEAT_TASK


@pytest.mark.django_db(transaction=True)  # the worker closes its connections, as it should
def test_healthy_after_a_real_scheduler_run_and_a_real_worker_run(client, db_tasks):
    # Fresh installation: nothing has run yet.
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["scheduler"] == {"ok": False, "last_run_seconds": None}
    assert body["checks"]["worker"]["ok"] is False

    call_command("run_scheduled", stdout=io.StringIO())  # queues the heartbeat
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["scheduler"]["ok"] is True
    assert body["checks"]["worker"]["last_heartbeat_seconds"] is None  # not run yet
    assert body["checks"]["worker"]["tasks_waiting"] == 1

    call_command(
        "db_worker",
        *("--backend", "background", "--queue-name", "*", "--batch", "--no-startup-delay"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    response, body = get(client)
    assert response.status_code == 200, body
    assert body == {
        "ok": True,
        "checks": {
            "database": {"ok": True},
            "cache": {"ok": True},
            "scheduler": {
                "ok": True,
                "last_run_seconds": body["checks"]["scheduler"]["last_run_seconds"],
            },
            "worker": {
                "ok": True,
                "last_heartbeat_seconds": body["checks"]["worker"]["last_heartbeat_seconds"],
                "tasks_waiting": 0,
                "oldest_waiting_seconds": None,
            },
            "email": {"ok": True, "pending": 0, "oldest_pending_seconds": None},
        },
    }
    assert body["checks"]["worker"]["last_heartbeat_seconds"] < 60


def healthy_heartbeat():
    task_row(ago=dt.timedelta(minutes=2))


def test_healthy_answer_is_cheap_and_never_cached(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 300
    healthy_heartbeat()
    with django_assert_max_num_queries(5):
        response, _ = get(client)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    # Not served from the page cache: the next answer sees the new state.
    OutboxEmail.objects.create(to="a@example.nl", subject="s", text="t")
    _, body = get(client)
    assert body["checks"]["email"]["pending"] == 1


def test_database_down_is_503_naming_only_the_error_type(client, monkeypatch):
    healthy_heartbeat()

    def broken(*args, **kwargs):
        raise OperationalError("connection to server at 10.0.0.5 failed: password for cter")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/health/")
    body = response.json()
    assert response.status_code == 503
    assert body["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert body["checks"]["cache"]["ok"] is True
    assert "10.0.0.5" not in response.content.decode()


def test_cache_down_is_503(client, settings):
    healthy_heartbeat()
    # A Redis server nobody listens on.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:9/0",
            "OPTIONS": {"socket_connect_timeout": 0.5},
        }
    }
    for url in ("/health/", "/health/server/"):
        response, body = get(client, url)
        assert response.status_code == 503
        assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
        assert body["checks"]["database"] == {"ok": True}


def test_scheduler_that_stopped_running_is_503(client, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 600
    task_row(ago=dt.timedelta(minutes=11))
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["scheduler"]["ok"] is False
    assert about(body["checks"]["scheduler"]["last_run_seconds"], 660)
    assert body["checks"]["worker"]["ok"] is False  # nothing new to run either


def test_worker_that_stopped_is_503_while_the_scheduler_runs(client, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 600
    task_row(ago=dt.timedelta(minutes=30))  # the last heartbeat a worker ran
    task_row(ago=dt.timedelta(minutes=1), status=TaskResultStatus.READY)  # waiting since
    response, body = get(client)
    assert response.status_code == 503
    assert body["checks"]["scheduler"]["ok"] is True
    worker = body["checks"]["worker"]
    assert worker["ok"] is False
    assert about(worker["last_heartbeat_seconds"], 1800)
    assert worker["tasks_waiting"] == 1 and about(worker["oldest_waiting_seconds"], 60)


def test_tasks_waiting_too_long_is_503_even_with_a_recent_heartbeat(client, settings):
    settings.HEALTH_HEARTBEAT_MAX_AGE = 600
    healthy_heartbeat()
    task_row(
        ago=dt.timedelta(hours=2),
        path="website.tasks.deliver_email",
        status=TaskResultStatus.READY,
    )
    # Deferred until a minute ago: due for a minute, not for two hours.
    task_row(
        ago=dt.timedelta(hours=3),
        path="website.tasks.deliver_email",
        status=TaskResultStatus.READY,
        run_after=timezone.now() - dt.timedelta(minutes=1),
    )
    # Deferred to the future: not due, not counted.
    task_row(
        ago=dt.timedelta(hours=3),
        path="website.tasks.deliver_email",
        status=TaskResultStatus.READY,
        run_after=timezone.now() + dt.timedelta(hours=1),
    )
    response, body = get(client)
    assert response.status_code == 503
    worker = body["checks"]["worker"]
    assert worker["ok"] is False and worker["tasks_waiting"] == 2
    assert about(worker["oldest_waiting_seconds"], 7200)


def test_old_pending_email_is_503_with_counts_only(client, settings):
    settings.HEALTH_EMAIL_MAX_AGE = 3600
    healthy_heartbeat()
    old = OutboxEmail.objects.create(to="fatima@example.nl", subject="Aanmelding", text="t")
    OutboxEmail.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(hours=2))
    OutboxEmail.objects.create(to="jan@example.nl", subject="Aanmelding", text="t")
    OutboxEmail.objects.create(to="sent@example.nl", subject="s", text="", status=OutboxStatus.SENT)
    response, body = get(client)
    assert response.status_code == 503
    email = body["checks"]["email"]
    assert email["ok"] is False and email["pending"] == 2
    assert about(email["oldest_pending_seconds"], 7200)
    assert "example.nl" not in response.content.decode()
    # A young queue is fine.
    OutboxEmail.objects.filter(pk=old.pk).update(status=OutboxStatus.SENT)
    response, body = get(client)
    assert response.status_code == 200
    assert body["checks"]["email"]["pending"] == 1


def test_server_scope_for_load_balancers_ignores_workers_and_mail(
    client, django_assert_num_queries
):
    # No scheduler, no worker, a stuck e-mail: the operator hears of it on /health/, but
    # the app server can still serve pages.
    OutboxEmail.objects.create(to="a@example.nl", subject="s", text="t")
    OutboxEmail.objects.update(created_at=timezone.now() - dt.timedelta(days=1))
    assert client.get("/health/").status_code == 503
    with django_assert_num_queries(1):
        response, body = get(client, "/health/server/")
    assert response.status_code == 200
    assert body == {"ok": True, "checks": {"database": {"ok": True}, "cache": {"ok": True}}}


def test_head_works_and_writes_are_refused(client):
    assert client.head("/health/server/").status_code == 200
    assert client.post("/health/server/").status_code == 405


def test_plain_http_health_check_is_not_redirected_to_https(client, settings, monkeypatch):
    for name, value in {
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "cter.example.nl",
        "REDIS_URL": "redis://cache.internal:6379/0",
    }.items():
        monkeypatch.setenv(name, value)
    production = importlib.import_module("website.settings.production")
    settings.SECURE_SSL_REDIRECT = production.SECURE_SSL_REDIRECT
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    assert client.get("/health/server/").status_code == 200
    assert client.get("/health/").status_code in (200, 503)
    assert client.get("/zoeken/").status_code == 301


def test_heartbeat_prunes_its_rows_older_than_a_day():
    task_row(ago=dt.timedelta(days=2))
    task_row(ago=dt.timedelta(days=2), path="website.tasks.deliver_email")
    recent = task_row(ago=dt.timedelta(hours=3))
    assert tasks.heartbeat.call() == 1
    assert list(
        DBTaskResult.objects.filter(task_path=health.HEARTBEAT_TASK).values_list("pk", flat=True)
    ) == [recent.pk]
    assert DBTaskResult.objects.filter(task_path="website.tasks.deliver_email").count() == 1
