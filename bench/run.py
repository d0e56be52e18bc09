"""Benchmark: gunicorn (DEBUG off), 8 concurrent keep-alive connections, each target
measured in interleaved rounds in one run; prints medians, ratios to a minimal view
and SQL query counts. The coordinator pages (admin home with the dashboard, reach
report, year overview) are measured signed in as a coordinator, on top of a volume of
100,000 registrations over 3 years and 1,000,000 daily view/download counts
(``manage.py seed_volume``), with their median server time on one connection.

    make bench                       # 50 trainings x 4 sessions, plus the volume
    .venv/bin/python -m bench.run --seconds 3 --rounds 3 --registrations 0   # no volume
    DATABASE_URL=postgres://.../empty_db make bench                           # PostgreSQL
"""

from __future__ import annotations

import argparse
import http.client
import os
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

from bench.common import CONCURRENCY, free_port, start_gunicorn, stop, wait_for
from bench.common import hammer as _hammer


def hammer(port: int, url: str, seconds: float, headers: dict | None = None) -> float:
    """Requests per second of ``url`` (bench.common.hammer)."""
    return _hammer(port, url, seconds, headers, ok=(200,))[0]


def prepare(var_dir: Path, trainings: int, registrations: int = 0, counts: int = 0):
    os.environ["VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    call_command("migrate", verbosity=0)
    from learning import demo as learning_demo  # noqa: PLC0415 (after django.setup())
    from learning.models import TrainingPage  # noqa: PLC0415 (after django.setup())
    from outreach import demo as outreach_demo  # noqa: PLC0415 (after django.setup())
    from outreach.models import InfoSheetPage, TargetGroupPage  # noqa: PLC0415 (after django.setup())
    from podcasts import demo as podcasts_demo  # noqa: PLC0415 (after django.setup())
    from podcasts.models import PodcastEpisodePage, PodcastShowPage  # noqa: PLC0415 (after django.setup())
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
        print(f"  volume seeded in {time.monotonic() - started:.0f} s")
    page = TrainingPage.objects.live().filter(slug="basis-radicalisering-herkennen").first()
    landing = TargetGroupPage.objects.live().order_by("path").first()
    sheet = InfoSheetPage.objects.live().order_by("path").first()
    show = PodcastShowPage.objects.live().first()
    episode = PodcastEpisodePage.objects.live().order_by("-path").first()
    return [
        ("minimal view", "/bench/minimal/"),
        ("home page / (foundation)", "/"),
        ("catalogue /trainingen/", "/trainingen/"),
        ("catalogue filtered", "/trainingen/?level=basic&free=on"),
        ("webinars /webinars/", "/webinars/"),
        ("training page", page.url),
        ("products /producten/", "/producten/"),
        ("target-group landing page", landing.url),
        ("info sheet page", sheet.url),
        ("search /zoeken/?q=...", "/zoeken/?q=radicalisering"),
        ("podcasts /podcasts/", "/podcasts/"),
        ("podcast show page", show.url),
        ("podcast episode page", episode.url),
        ("podcast feed", show.url + "feed/"),
    ]


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


# A session cookie makes a request bypass the whole-page cache (as an editor's would):
# the second measurement shows what rendering a page costs.
UNCACHED = {"Cookie": "sessionid=bench-no-page-cache"}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainings", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--registrations", type=int, default=100_000, help="0: no volume")
    parser.add_argument("--counts", type=int, default=1_000_000)
    parser.add_argument("--latency-requests", type=int, default=15)
    args = parser.parse_args(argv)
    if not args.port:
        args.port = free_port()

    with tempfile.TemporaryDirectory(prefix="cter-bench-") as tmp:
        var_dir = Path(tmp)
        print(f"Seeding {args.trainings} trainings x 4 sessions ...")
        targets = prepare(var_dir, args.trainings, args.registrations, args.counts)
        counts = query_counts(targets)
        fresh = query_counts(targets, PAGE_CACHE_SECONDS=0, LEARNING_CACHE_SECONDS=0)
        coordinator = coordinator_client()
        admin_counts = query_counts(COORDINATOR_PAGES, client=coordinator)
        signed_in = {"Cookie": f"sessionid={coordinator.cookies['sessionid'].value}"}
        connection.close()  # gunicorn gets the database (SQLite: no open writer here)
        env = {**os.environ, "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
        server = start_gunicorn(args.port, workers=args.workers, env=env)
        try:
            wait_for(args.port)
            for _name, url in targets:  # warm up every worker
                hammer(args.port, url, 0.5)
            for _name, url in COORDINATOR_PAGES:
                hammer(args.port, url, 0.5, signed_in)
            results: dict[str, list[float]] = {name: [] for name, _ in targets}
            uncached: dict[str, list[float]] = {name: [] for name, _ in targets[1:]}
            admin: dict[str, list[float]] = {name: [] for name, _ in COORDINATOR_PAGES}
            admin_ms: dict[str, list[float]] = {name: [] for name, _ in COORDINATOR_PAGES}
            for round_no in range(args.rounds):
                for name, url in targets:
                    results[name].append(hammer(args.port, url, args.seconds))
                    if name in uncached:
                        uncached[name].append(hammer(args.port, url, args.seconds, UNCACHED))
                for name, url in COORDINATOR_PAGES:
                    admin[name].append(hammer(args.port, url, args.seconds, signed_in))
                    admin_ms[name].append(latency(args.port, url, args.latency_requests, signed_in))
                print(f"  round {round_no + 1}/{args.rounds} done")
        finally:
            stop(server)

    floor = statistics.median(results["minimal view"])
    print()
    print(f"gunicorn {args.workers} workers x 4 threads, DEBUG off, {CONCURRENCY} connections")
    print("anonymous = whole-page cache as visitors get it; rendered = bypassing it")
    header = f"{'target':28} {'req/s':>7} {'ratio':>7} {'queries':>7}"
    print(f"{header}   rendered: {'req/s':>6} {'ratio':>7} {'queries':>7}")
    worst = worst_rendered = 0.0
    for name, _url in targets:
        rps = statistics.median(results[name])
        ratio = floor / rps if rps else float("inf")
        line = f"{name:28} {rps:7.0f} {'1/' + format(ratio, '.1f'):>7} {counts[name]:7d}"
        if name in uncached:
            worst = max(worst, ratio)
            rps_r = statistics.median(uncached[name])
            ratio_r = floor / rps_r if rps_r else float("inf")
            worst_rendered = max(worst_rendered, ratio_r)
            line += f"   {'':9} {rps_r:6.0f} {'1/' + format(ratio_r, '.1f'):>7} {fresh[name]:7d}"
        print(line)
    print(f"\nslowest page, anonymous: 1/{worst:.1f} of the minimal view (goal: better than 1/10)")
    print(f"slowest page, rendered:  1/{worst_rendered:.1f} (queries: no cache at all)")
    volume = (
        f"{args.registrations:,} registrations, {args.counts:,} daily counts"
        if args.registrations or args.counts
        else "demo data only"
    )
    print(f"\ncoordinator pages, signed in ({volume}; {connection.vendor})")
    print(f"{'target':32} {'req/s':>7} {'ratio':>8} {'queries':>7} {'median ms':>10}")
    slowest = 0.0
    for name, _url in COORDINATOR_PAGES:
        rps = statistics.median(admin[name])
        ratio = floor / rps if rps else float("inf")
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
