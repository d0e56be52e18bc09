"""Health of an installation, for load balancers and monitoring (``/health/``).

Each check answers ``{"ok": bool, ...}`` with counts and ages in seconds only (no
personal data, no exception messages: a failing check names the exception type).

- ``database``: one ``SELECT 1``.
- ``cache``: a write and a read of a random key in the default cache (which production
  requires to be shared by every app server: Redis or the database cache).
- ``scheduler``: when ``manage.py run_scheduled`` last ran. Each run queues a heartbeat
  task (``website.tasks.heartbeat``, the ``SCHEDULED_JOBS`` hook); the task's row in
  django-tasks-db's table (``DBTaskResult.enqueued_at``) is the scheduler's heartbeat.
- ``worker``: when a task worker (``manage.py db_worker --backend background``) last ran
  that heartbeat (``finished_at`` of the newest successful one), and how many due tasks
  wait and for how long. Both must be within ``HEALTH_HEARTBEAT_MAX_AGE``.
- ``email``: pending outbox e-mails and the age of the oldest, within
  ``HEALTH_EMAIL_MAX_AGE`` (a mail server that is down shows here).

``report(scope="server")`` checks only what this app server needs to serve pages
(database and cache): what a load balancer should ask (``/health/server/``), so a
stopped worker alerts the operator without taking every app server out of rotation.
Five small queries for the full report (the outbox count scans pending rows), one for
the server scope; no page rendering, never cached.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models import Case, Count, F, Max, Min, Q, When
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from website.models import OutboxEmail, OutboxStatus

HEARTBEAT_TASK = "website.tasks.heartbeat"  # its module path (a test pins it)
TASK_BACKEND = "background"
HEARTBEAT_KEEP = dt.timedelta(days=1)


def _seconds(now: dt.datetime, then: dt.datetime | None) -> int | None:
    return None if then is None else max(int((now - then).total_seconds()), 0)


def _max_age(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def check_database(*, now: dt.datetime) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        return {"ok": cursor.fetchone() == (1,)}


def check_cache(*, now: dt.datetime) -> dict:
    key, value = f"health:{secrets.token_hex(8)}", secrets.token_hex(8)
    cache.set(key, value, 30)
    ok = cache.get(key) == value
    cache.delete(key)
    return {"ok": ok}


def _heartbeats() -> dict:
    return DBTaskResult.objects.filter(
        task_path=HEARTBEAT_TASK, backend_name=TASK_BACKEND
    ).aggregate(
        queued=Max("enqueued_at"),
        done=Max("finished_at", filter=Q(status=TaskResultStatus.SUCCESSFUL)),
    )


def check_scheduler(*, now: dt.datetime) -> dict:
    age = _seconds(now, _heartbeats()["queued"])
    limit = _max_age("HEALTH_HEARTBEAT_MAX_AGE", 1200)
    return {"ok": age is not None and age <= limit, "last_run_seconds": age}


def check_worker(*, now: dt.datetime) -> dict:
    age = _seconds(now, _heartbeats()["done"])
    due = Case(When(run_after=get_date_max(), then=F("enqueued_at")), default=F("run_after"))
    waiting = (
        DBTaskResult.objects.filter(backend_name=TASK_BACKEND, status=TaskResultStatus.READY)
        .filter(Q(run_after=get_date_max()) | Q(run_after__lte=now))
        .aggregate(count=Count("pk"), since=Min(due))
    )
    waiting_age = _seconds(now, waiting["since"])
    limit = _max_age("HEALTH_HEARTBEAT_MAX_AGE", 1200)
    return {
        "ok": age is not None and age <= limit and (waiting_age or 0) <= limit,
        "last_heartbeat_seconds": age,
        "tasks_waiting": waiting["count"],
        "oldest_waiting_seconds": waiting_age,
    }


def check_email(*, now: dt.datetime) -> dict:
    pending = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).aggregate(
        count=Count("pk"), since=Min("created_at")
    )
    age = _seconds(now, pending["since"])
    limit = _max_age("HEALTH_EMAIL_MAX_AGE", 3600)
    return {
        "ok": (age or 0) <= limit,
        "pending": pending["count"],
        "oldest_pending_seconds": age,
    }


SERVER_CHECKS: dict[str, Callable[..., dict]] = {
    "database": check_database,
    "cache": check_cache,
}
ALL_CHECKS: dict[str, Callable[..., dict]] = {
    **SERVER_CHECKS,
    "scheduler": check_scheduler,
    "worker": check_worker,
    "email": check_email,
}


def report(*, now: dt.datetime, scope: str = "all") -> dict:
    """``{"ok": bool, "checks": {name: {...}}}``; a check that raises is not ok and
    names only the exception's type (messages may quote data)."""
    checks = {}
    for name, check in (SERVER_CHECKS if scope == "server" else ALL_CHECKS).items():
        try:
            checks[name] = check(now=now)
        except Exception as exc:
            checks[name] = {"ok": False, "error": type(exc).__name__}
    return {"ok": all(c["ok"] for c in checks.values()), "checks": checks}


def prune_heartbeats(*, now: dt.datetime) -> int:
    """Forget heartbeat rows older than a day (the newest always stays)."""
    deleted, _ = DBTaskResult.objects.filter(
        task_path=HEARTBEAT_TASK, finished_at__lt=now - HEARTBEAT_KEEP
    ).delete()
    return deleted
