"""Benchmark of the coordinator pages: gunicorn (DEBUG off), 8 concurrent keep-alive
connections, the admin home with the dashboard, the reach report and the year overview
signed in as a real coordinator (two-factor done), on top of a volume of 100,000
registrations over 3 years and 1,000,000 daily view/download counts (``manage.py
seed_volume``): requests per second, the ratio to a minimal view in the same run, SQL
queries and the median server time on one connection. The seeded SQLite database is
kept in var/bench-seed/ and reused while the code is the same. The public pages are
measured by bench/scales.py (both run in ``make bench``).

    make bench                       # this, then bench/scales.py
    .venv/bin/python -m bench.run --registrations 0 --counts 0   # no volume
    DATABASE_URL=postgres://.../empty_db .venv/bin/python -m bench.run   # PostgreSQL
"""

from __future__ import annotations

import argparse
import http.client
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import django
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

from bench.common import CONCURRENCY, ROOT, free_port, start_gunicorn, stop, wait_for
from bench.common import hammer as _hammer


def hammer(port: int, url: str, seconds: float, headers: dict | None = None) -> float:
    """Requests per second of ``url`` (bench.common.hammer)."""
    return _hammer(port, url, seconds, headers, ok=(200,))[0]


def prepare(var_dir: Path, trainings: int, registrations: int = 0, counts: int = 0) -> None:
    """Django set up on ``var_dir``; the demo with ``trainings`` trainings and the volume
    seeded unless a seeded copy was put there (``var_dir / "seeded"``)."""
    os.environ["VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    if (var_dir / "seeded").exists():
        return
    call_command("migrate", verbosity=0)
    from learning import demo as learning_demo  # noqa: PLC0415 (after django.setup())
    from outreach import demo as outreach_demo  # noqa: PLC0415 (after django.setup())
    from podcasts import demo as podcasts_demo  # noqa: PLC0415 (after django.setup())
    from reporting import demo as reporting_demo  # noqa: PLC0415 (after django.setup())
    from website import demo as website_demo  # noqa: PLC0415 (after django.setup())

    website_demo.seed()
    base = 12  # 6 trainings and 6 webinars in the demo
    learning_demo.seed(extra_trainings=max(trainings - base, 0))
    podcasts_demo.seed()
    outreach_demo.seed()
    reporting_demo.seed()
    if registrations or counts:
        started = time.monotonic()
        call_command("seed_volume", registrations=registrations, counts=counts, verbosity=0)
        print(f"  volume seeded in {time.monotonic() - started:.0f} s", flush=True)
    (var_dir / "seeded").touch()


def seeded_copy(args) -> Path | None:
    """Where a seeded SQLite database of this code and these sizes is kept (reused by
    the next run, as bench/scales.py does); None on PostgreSQL."""
    if os.environ.get("DATABASE_URL"):
        return None
    from bench.scales import fingerprint  # noqa: PLC0415 (git only)

    name = f"volume-{args.trainings}-{args.registrations}-{args.counts}-{fingerprint()}"
    return ROOT / "var" / "bench-seed" / name


COORDINATOR_PAGES = [
    ("admin home with dashboard", "/admin/"),
    ("reach report per group", "/admin/bereik/"),
    ("reach report per municipality", "/admin/bereik/?breakdown=municipality"),
    ("reach report per product", "/admin/bereik/?breakdown=product"),
    ("reach report XLSX export", "/admin/bereik/?export=xlsx"),
    ("year overview", "/admin/bereik/jaaroverzicht/"),
]


def coordinator_client() -> Client:
    """A signed-in coordinator: a real non-superuser in the Coördinator group (with admin
    access and the session screens, as the roles give them), with two-factor done (an
    authenticator app set up and its code entered), as after a real login."""
    from django.contrib.auth.models import Group, Permission, User  # noqa: PLC0415 (after django.setup())
    from django_otp import DEVICE_ID_SESSION_KEY  # noqa: PLC0415 (after django.setup())
    from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: PLC0415 (after django.setup())

    group, _created = Group.objects.get_or_create(name="Coördinator")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label__in=["wagtailadmin", "learning", "reporting"],
            codename__in=["access_admin", "change_registration", "view_reports"],
        )
    )
    user, _created = User.objects.get_or_create(username="bench-coordinator")
    user.groups.add(group)
    device, _created = TOTPDevice.objects.get_or_create(
        user=user, name="authenticator", defaults={"confirmed": True}
    )
    client = Client(HTTP_HOST="127.0.0.1")
    with override_settings(AXES_ENABLED=False):  # no login log for a request without an IP
        client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def query_counts(targets, client=None, **overrides) -> dict[str, int]:
    """Queries of a repeated request (warm caches), with the given settings."""

    cache.clear()
    client = client or Client(HTTP_HOST="127.0.0.1")
    counts = {}
    with override_settings(**overrides):
        for name, url in targets:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
                if hasattr(response, "streaming_content"):
                    b"".join(response.streaming_content)
            assert response.status_code == 200, (url, response.status_code)
            counts[name] = len(ctx.captured_queries)
    return counts


def latency(port: int, url: str, requests: int, headers: dict | None = None) -> float:
    """Median milliseconds per request on one connection: the server's time, as near as
    a client on the same machine can see it."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    times = []
    for _ in range(requests):
        started = time.perf_counter()
        conn.request("GET", url, headers=headers or {})
        response = conn.getresponse()
        response.read()
        assert response.status == 200, (url, response.status)
        times.append((time.perf_counter() - started) * 1000)
    conn.close()
    return statistics.median(times)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainings", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=2.0)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--registrations", type=int, default=100_000, help="0: no volume")
    parser.add_argument("--counts", type=int, default=1_000_000)
    parser.add_argument("--latency-requests", type=int, default=15)
    parser.add_argument("--reseed", action="store_true", help="seed even when a copy exists")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or find) the database, measure nothing"
    )
    args = parser.parse_args(argv)
    if not args.port:
        args.port = free_port()

    with tempfile.TemporaryDirectory(prefix="cter-bench-") as tmp:
        var_dir = Path(tmp)
        store = seeded_copy(args)
        if store is not None and (store / "seeded").exists() and not args.reseed:
            print(f"Seeded database of this code found in {store.relative_to(ROOT)}: reused.")
            shutil.copytree(store, var_dir, dirs_exist_ok=True)
        else:
            print(f"Seeding {args.trainings} trainings and the volume ...", flush=True)
        prepare(var_dir, args.trainings, args.registrations, args.counts)
        connection.close()
        if store is not None and not (store / "seeded").exists():
            for old in store.parent.glob("volume-*"):  # older code's copies
                shutil.rmtree(old, ignore_errors=True)
            shutil.copytree(var_dir, store, ignore=shutil.ignore_patterns("static"))
        if args.seed_only:
            return 0
        floor = [("minimal view", "/bench/minimal/")]
        coordinator = coordinator_client()
        admin_counts = query_counts(COORDINATOR_PAGES, client=coordinator)
        signed_in = {"Cookie": f"sessionid={coordinator.cookies['sessionid'].value}"}
        connection.close()  # gunicorn gets the database (SQLite: no open writer here)
        env = {**os.environ, "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
        server = start_gunicorn(args.port, workers=args.workers, env=env)
        try:
            wait_for(args.port)
            hammer(args.port, floor[0][1], 0.5)
            for _name, url in COORDINATOR_PAGES:  # warm up every worker
                hammer(args.port, url, 0.5, signed_in)
            minimal: list[float] = []
            admin: dict[str, list[float]] = {name: [] for name, _ in COORDINATOR_PAGES}
            admin_ms: dict[str, list[float]] = {name: [] for name, _ in COORDINATOR_PAGES}
            for round_no in range(args.rounds):
                minimal.append(hammer(args.port, floor[0][1], args.seconds))
                for name, url in COORDINATOR_PAGES:
                    admin[name].append(hammer(args.port, url, args.seconds, signed_in))
                    admin_ms[name].append(latency(args.port, url, args.latency_requests, signed_in))
                print(f"  round {round_no + 1}/{args.rounds} done", flush=True)
        finally:
            stop(server)

    floor_rps = statistics.median(minimal)
    volume = (
        f"{args.registrations:,} registrations, {args.counts:,} daily counts"
        if args.registrations or args.counts
        else "demo data only"
    )
    print()
    print(f"gunicorn {args.workers} workers x 4 threads, DEBUG off, {CONCURRENCY} connections")
    print(f"minimal view: {floor_rps:.0f} req/s")
    print(f"coordinator pages, signed in ({volume}; {connection.vendor})")
    print(f"{'target':32} {'req/s':>7} {'ratio':>8} {'queries':>7} {'median ms':>10}")
    slowest = 0.0
    for name, _url in COORDINATOR_PAGES:
        rps = statistics.median(admin[name])
        ratio = floor_rps / rps if rps else float("inf")
        ms = statistics.median(admin_ms[name])
        slowest = max(slowest, ms)
        print(
            f"{name:32} {rps:7.1f} {'1/' + format(ratio, '.0f'):>8} "
            f"{admin_counts[name]:7d} {ms:10.0f}"
        )
    print(f"slowest coordinator page: {slowest:.0f} ms median (goal: under 500 ms)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
