"""Benchmark: gunicorn (DEBUG off), 8 concurrent keep-alive connections, each target
measured in interleaved rounds in one run; prints medians, ratios to a minimal view
and SQL query counts.

    make bench                       # 50 trainings x 4 sessions
    .venv/bin/python -m bench.run --seconds 3 --rounds 3
"""

from __future__ import annotations

import argparse
import http.client
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import django
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8


def prepare(var_dir: Path, trainings: int) -> list[tuple[str, str]]:
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
    from website import demo as website_demo  # noqa: PLC0415 (after django.setup())

    website_demo.seed()
    base = 12  # 6 trainings and 6 webinars in the demo
    learning_demo.seed(extra_trainings=max(trainings - base, 0))
    podcasts_demo.seed()
    outreach_demo.seed()
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


def query_counts(targets, **overrides) -> dict[str, int]:
    """Queries of a repeated request (warm caches), with the given settings."""

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    with override_settings(**overrides):
        for name, url in targets:
            client.get(url)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
            counts[name] = len(ctx.captured_queries)
    return counts


# A session cookie makes a request bypass the whole-page cache (as an editor's would):
# the second measurement shows what rendering a page costs.
UNCACHED = {"Cookie": "sessionid=bench-no-page-cache"}


def hammer(port: int, url: str, seconds: float, headers: dict | None = None) -> float:
    done = [0] * CONCURRENCY
    errors = [0] * CONCURRENCY
    stop = time.monotonic() + seconds

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            try:
                conn.request("GET", url, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    done[i] += 1
                else:
                    errors[i] += 1
                if response.getheader("connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            except (OSError, http.client.HTTPException):
                errors[i] += 1
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.close()

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(i,)) for i in range(CONCURRENCY)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    if sum(errors):
        print(f"  ! {sum(errors)} errors on {url}", file=sys.stderr)
    return sum(done) / (time.monotonic() - started)


def wait_for(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/minimal/")
            if conn.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--trainings", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=3.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    if not args.port:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            args.port = probe.getsockname()[1]

    with tempfile.TemporaryDirectory(prefix="cter-bench-") as tmp:
        var_dir = Path(tmp)
        print(f"Seeding {args.trainings} trainings x 4 sessions ...")
        targets = prepare(var_dir, args.trainings)
        counts = query_counts(targets)
        fresh = query_counts(targets, PAGE_CACHE_SECONDS=0, LEARNING_CACHE_SECONDS=0)
        env = {**os.environ, "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "website.wsgi:application",
                f"--bind=127.0.0.1:{args.port}",
                f"--workers={args.workers}",
                "--worker-class=gthread",
                "--threads=4",
                "--keep-alive=5",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            wait_for(args.port)
            for _name, url in targets:  # warm up every worker
                hammer(args.port, url, 0.5)
            results: dict[str, list[float]] = {name: [] for name, _ in targets}
            uncached: dict[str, list[float]] = {name: [] for name, _ in targets[1:]}
            for round_no in range(args.rounds):
                for name, url in targets:
                    results[name].append(hammer(args.port, url, args.seconds))
                    if name in uncached:
                        uncached[name].append(hammer(args.port, url, args.seconds, UNCACHED))
                print(f"  round {round_no + 1}/{args.rounds} done")
        finally:
            server.terminate()
            server.wait(timeout=10)

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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
