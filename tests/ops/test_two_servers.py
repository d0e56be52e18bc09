"""Several app servers, tested (issue 17 item 6): two gunicorn instances with production
settings on one PostgreSQL database and one Redis, two task workers, 200 concurrent
registrations for 20 places split across both servers.

Nothing a request needs may live in one process's memory: the CSRF secret is the shared
SECRET_KEY, sessions are in the database, rate-limit counters, cached pages and the
content stamp's copies in the shared cache. The limiter stays on: as behind a real
reverse proxy, ``CLIENT_IP_HEADER`` names the header with the client address, and each
simulated client has its own.
"""

from __future__ import annotations

import email
import email.policy
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.utils import translation
from django_tasks_db.compat import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from learning.factories import SessionFactory, TrainingIndexPageFactory, TrainingPageFactory
from learning.models import Registration, RegistrationStatus
from learning.services.mail import SUBJECTS
from tests.ops.helpers import database_url
from website.models import Municipality, OutboxEmail, OutboxStatus, TargetGroup

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REDIS_SERVER = shutil.which("redis-server")
CLIENTS = 200
SECRET_KEY = secrets.token_urlsafe(50)  # one random key, the same for every process
# Generous: a CI machine shared with other jobs can be many times slower than an idle one.
TIMEOUT = 180
PLACES = 20
WORKER_OPTIONS = ("--backend", "background", "--queue-name", "*", "--interval", "0.2")
GUNICORN_OPTIONS = ("--preload", "--workers", "2", "--timeout", "60", "--graceful-timeout", "5")
REDIS_NO_DISK = ("--save", "", "--appendonly", "no", "--dir")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file e-mail backend, between messages


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(condition, *, timeout: float, what: str, details=None, interval: float = 0.2):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(interval)
    pytest.fail(
        f"Timed out after {timeout:.0f} s waiting for {what}\n{details() if details else ''}"
    )


class Processes:
    """Child processes, their output in files, stopped (SIGTERM, then SIGKILL) at the end."""

    def __init__(self, tmp: Path):
        self.tmp = tmp
        self.running: list[tuple[str, subprocess.Popen]] = []

    def start(self, name: str, args: list[str], env: dict) -> subprocess.Popen:
        log = (self.tmp / f"{name}.log").open("wb")
        proc = subprocess.Popen(args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        self.running.append((name, proc))
        return proc

    def logs(self) -> str:
        return "\n".join(
            f"--- {name}\n{(self.tmp / f'{name}.log').read_text(errors='replace')[-3000:]}"
            for name, _ in self.running
        )

    def stop(self) -> None:
        for _, proc in self.running:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for _, proc in self.running:
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.fixture
def processes(tmp_path):
    procs = Processes(tmp_path)
    yield procs
    procs.stop()


@pytest.fixture
def redis_url(processes, tmp_path):
    if not REDIS_SERVER:
        message = "needs redis-server (apt-get install redis-server)"
        if IN_CI:
            pytest.fail(f"Required in CI: {message}", pytrace=False)
        pytest.skip(message)
    port = free_port()
    processes.start(
        "redis",
        [
            REDIS_SERVER,
            *("--bind", "127.0.0.1", "--port", str(port)),
            *REDIS_NO_DISK,
            str(tmp_path),
        ],
        os.environ.copy(),
    )

    def answers():
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    wait_for(answers, timeout=10, what="redis-server")
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def session_for_twenty(site_home):
    catalogue = TrainingIndexPageFactory(parent=site_home)
    training = TrainingPageFactory(parent=catalogue, title="Signalen herkennen", slug="signalen")
    return SessionFactory(page=training, capacity=PLACES)


def production_env(tmp: Path, name: str, redis: str) -> dict:
    keep = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    return {
        **keep,
        "DJANGO_SETTINGS_MODULE": "website.settings.production",
        "DATABASE_URL": database_url(),
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "REDIS_URL": redis,
        # Behind the (here: simulated) reverse proxy: its header carries the client address.
        "CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "STATIC_ROOT": str(tmp / "static"),
        "MEDIA_ROOT": str(tmp / "media"),
        # Each process its own var/: the file e-mail backend writes to VAR_DIR/mail.
        "VAR_DIR": str(tmp / name),
        "LOG_LEVEL": "WARNING",
    }


def form_data(n: int, *, municipality: int, target_group: int) -> dict:
    return {
        "first_name": "Deelnemer",
        "last_name": f"Nummer {n}",
        "email": f"deelnemer{n}@example.nl",
        "organisation": "Gemeente Haarlem",  # everyone at once: one organisation row
        "function": "Adviseur",
        "municipality": str(municipality),
        "target_group": str(target_group),
        "consent": "on",
    }


CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def fetch_form(base: str, path: str, client_ip: str) -> tuple[str, str]:
    """GET the form as a browser would: the CSRF cookie and the form's token. The cookie
    is ``Secure`` in production, so it goes back by hand over plain HTTP."""
    response = requests.get(base + path, headers={"X-Forwarded-For": client_ip}, timeout=TIMEOUT)
    assert response.status_code == 200, response.status_code
    return response.cookies["csrftoken"], CSRF_FIELD.search(response.text).group(1)


def post_form(base: str, path: str, client_ip: str, cookie: str, data: dict):
    return requests.post(
        base + path,
        data=data,
        headers={"X-Forwarded-For": client_ip, "Cookie": f"csrftoken={cookie}"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )


def delivered_messages(folders: list[Path]) -> list[email.message.EmailMessage]:
    messages = []
    for folder in folders:
        for path in sorted(folder.glob("*.log")) if folder.exists() else []:
            for chunk in path.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    messages.append(email.message_from_bytes(chunk, policy=email.policy.default))
    return messages


def test_two_app_servers_and_two_workers_share_everything(
    processes, redis_url, session_for_twenty, tmp_path
):
    started = time.monotonic()
    python = sys.executable
    manage = [python, "manage.py"]
    env = production_env(tmp_path, "build", redis_url)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
    collected = time.monotonic()
    servers = []
    for n in (1, 2):
        port = free_port()
        processes.start(
            f"web{n}",
            [str(BIN / "gunicorn"), "website.wsgi", "-b", f"127.0.0.1:{port}", *GUNICORN_OPTIONS],
            production_env(tmp_path, f"web{n}", redis_url),
        )
        servers.append(f"http://127.0.0.1:{port}")
    for n in (1, 2):
        processes.start(
            f"worker{n}",
            [*manage, "db_worker", *WORKER_OPTIONS, "--worker-id", f"worker{n}"],
            production_env(tmp_path, f"worker{n}", redis_url),
        )

    def up(base):
        try:
            return requests.get(base + "/health/server/", timeout=5).status_code == 200
        except requests.RequestException:  # not listening yet, or still loading the app
            return False

    for base in servers:
        wait_for(lambda b=base: up(b), timeout=TIMEOUT, what=base, details=processes.logs)
    booted = time.monotonic()

    # Static files from collectstatic through whitenoise: hashed names cached for ever,
    # Range answered with 206 (podcast players, video).
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    hashed = requests.get(
        f"{servers[1]}/static/{manifest['favicon.svg']}",
        headers={"Range": "bytes=0-9", "Accept-Encoding": "identity"},
        timeout=TIMEOUT,
    )
    assert hashed.status_code == 206 and hashed.headers["Content-Range"].startswith("bytes 0-9/")
    assert hashed.content == (ROOT / "static" / "favicon.svg").read_bytes()[:10]
    assert hashed.headers["Cache-Control"] == "max-age=315360000, public, immutable"
    plain = requests.get(f"{servers[0]}/static/favicon.svg", timeout=TIMEOUT)
    assert plain.headers["Cache-Control"] == "max-age=3600, public"

    # 200 clients, each with its own address: the form from one server, the POST to the
    # other, all POSTs released at once.
    path = f"/trainingen/aanmelden/{session_for_twenty.pk}/"
    choices = {
        "municipality": Municipality.objects.order_by("pk").first().pk,
        "target_group": TargetGroup.objects.order_by("pk").first().pk,
    }
    data = [form_data(n, **choices) for n in range(CLIENTS)]
    all_fetched = []
    barrier = threading.Barrier(CLIENTS, action=lambda: all_fetched.append(time.monotonic()))

    def client(n: int):
        ip = f"10.1.{n // 250}.{n % 250 + 1}"
        cookie, token = fetch_form(servers[n % 2], path, ip)
        barrier.wait(timeout=300)
        response = post_form(
            servers[(n + 1) % 2], path, ip, cookie, data[n] | {"csrfmiddlewaretoken": token}
        )
        return response.status_code, response.headers.get("Location", "")

    with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
        answers = list(pool.map(client, range(CLIENTS)))
    posted = time.monotonic()

    statuses = Counter(status for status, _ in answers)
    assert statuses == {302: CLIENTS}, f"{statuses}\n{processes.logs()}"
    assert all("/trainingen/aanmelding/" in location for _, location in answers)
    registrations = Registration.objects.filter(session=session_for_twenty)
    by_status = Counter(registrations.values_list("status", flat=True))
    assert by_status == {
        RegistrationStatus.CONFIRMED: PLACES,
        RegistrationStatus.WAITING: CLIENTS - PLACES,
    }

    # Every e-mail queued once and delivered once, by whichever worker took it.
    wait_for(
        lambda: not OutboxEmail.objects.filter(status=OutboxStatus.PENDING).exists(),
        timeout=TIMEOUT,
        what="the workers to deliver the outbox",
        details=processes.logs,
    )
    delivered = time.monotonic()
    emails = list(OutboxEmail.objects.values_list("pk", "to", "status"))
    assert len(emails) == CLIENTS
    assert Counter(to for _, to, _ in emails) == {
        f"deelnemer{n}@example.nl": 1 for n in range(CLIENTS)
    }
    assert {status for _, _, status in emails} == {OutboxStatus.SENT}
    deliveries = DBTaskResult.objects.filter(task_path="website.tasks.deliver_email")
    assert sorted(r.args_kwargs["args"][0] for r in deliveries) == sorted(pk for pk, _, _ in emails)
    assert {r.status for r in deliveries} == {TaskResultStatus.SUCCESSFUL}
    workers_used = Counter(r.worker_ids[-1] for r in deliveries)

    messages = delivered_messages([tmp_path / name / "mail" for name in ("worker1", "worker2")])
    assert not any((tmp_path / name / "mail").exists() for name in ("web1", "web2", "build"))
    assert Counter(m["To"] for m in messages) == {
        f"deelnemer{n}@example.nl": 1 for n in range(CLIENTS)
    }
    status_of = {r.participant.email: r.status for r in registrations.select_related("participant")}
    with translation.override("nl"):
        subjects = {
            status: str(SUBJECTS[status]) % {"title": "Signalen herkennen"}
            for status in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING)
        }
    assert all(m["Subject"] == subjects[status_of[m["To"]]] for m in messages)

    # The rate limiter counts in the shared cache: one client's POSTs alternate between
    # the servers, and its 11th for this session is refused (neither server saw 11).
    per_session, _ = settings.RATE_LIMITS["registration"]["client_session"]
    ip = "10.9.9.9"
    cookie, token = fetch_form(servers[0], path, ip)
    refused = [
        post_form(servers[n % 2], path, ip, cookie, {"csrfmiddlewaretoken": token}).status_code
        for n in range(per_session + 1)
    ]
    assert refused == [200] * per_session + [429]

    # Health: the scheduler queues a heartbeat, a worker runs it, both servers say so.
    subprocess.run(
        [*manage, "run_scheduled"],
        cwd=ROOT,
        env=production_env(tmp_path, "scheduler", redis_url),
        check=True,
        capture_output=True,
    )

    def healthy(base):
        response = requests.get(base + "/health/", timeout=5)
        return response.status_code == 200 and response.json()

    for base in servers:
        body = wait_for(
            lambda b=base: healthy(b), timeout=60, what=f"{base}/health/", details=processes.logs
        )
        assert body["checks"]["email"] == {"ok": True, "pending": 0, "oldest_pending_seconds": None}
    finished = time.monotonic()
    print(  # the figures for the report (pytest -s)
        f"\ncollectstatic {collected - started:.1f} s, servers and workers up "
        f"{booted - collected:.1f} s, {CLIENTS} forms fetched {all_fetched[0] - booted:.1f} s, "
        f"{CLIENTS} concurrent POSTs answered {posted - all_fetched[0]:.1f} s, "
        f"outbox delivered {delivered - posted:.1f} s, total {finished - started:.1f} s; "
        f"deliveries per worker {dict(workers_used)}"
    )
