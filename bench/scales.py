"""Benchmark: gunicorn (DEBUG off), 8 concurrent keep-alive connections, each target
measured in interleaved rounds, at two data sizes (the demo at ``seed_demo --scale 1``
and ``--scale 10``). Per URL: median and p99 latency, requests per second, the ratio
to a minimal view in the same run and SQL queries per request, for anonymous visitors
(whole-page cache) and rendered (a session cookie bypasses it); then the growth of each
rendered page from the small to the large data set. Writes docs/benchmarks-scales.md.
(bench/run.py measures the coordinator pages at volume: docs/benchmarks.md.)

    make bench-scales                      # scales 1 and 10, docs/benchmarks-scales.md
    .venv/bin/python -m bench.scales --scales 1 --seconds 1 --rounds 2 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8
# A session cookie makes a request bypass the whole-page cache (as an editor's would):
# the second measurement shows what rendering a page costs.
UNCACHED = {"Cookie": "sessionid=bench-no-page-cache"}
GROWTH_LIMIT = 1.5


# ----- one data size (a child process: Django is set up once per database) -------------


def prepare(var_dir: Path, scale: int) -> list[tuple[str, str, dict]]:
    """Seed the demo at ``scale``; the targets: (name, url, extra request headers)."""
    import django  # noqa: PLC0415 (only in the child process)

    os.environ["VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup())
    from django.urls import reverse  # noqa: PLC0415 (after django.setup())

    from learning.models import TrainingPage  # noqa: PLC0415 (after django.setup())
    from outreach.models import (  # noqa: PLC0415 (after django.setup())
        InfoSheetPage,
        TargetGroupPage,
    )
    from podcasts.models import (  # noqa: PLC0415 (after django.setup())
        PodcastEpisodePage,
        PodcastShowPage,
    )

    call_command("migrate", verbosity=0)
    call_command("seed_demo", scale=scale, verbosity=0)
    training = TrainingPage.objects.live().order_by("path").first()
    landing = TargetGroupPage.objects.live().order_by("path").first()
    sheet = InfoSheetPage.objects.live().order_by("path").first()
    show = PodcastShowPage.objects.live().first()
    episode = PodcastEpisodePage.objects.live().exclude(audio=None).order_by("-path").first()
    targets = [
        ("minimal view", "/bench/minimal/", {}),
        ("home page", "/", {}),
        ("catalogue /trainingen/", "/trainingen/", {}),
        ("catalogue filtered", "/trainingen/?level=basic&free=on", {}),
        ("webinars /webinars/", "/webinars/", {}),
        ("training page", training.url, {}),
        ("products /producten/", "/producten/", {}),
        ("products filtered", "/producten/?type=infosheet", {}),
        ("target-group landing page", landing.url, {}),
        ("theme page", "/thema/radicalisering/", {}),
        ("info sheet page", sheet.url, {}),
        ("search /zoeken/?q=...", "/zoeken/?q=radicalisering", {}),
        ("search filtered by type", "/zoeken/?q=radicalisering&type=training", {}),
        ("podcasts /podcasts/", "/podcasts/", {}),
        ("podcast show page", show.url, {}),
        ("podcast episode page", episode.url, {}),
        ("podcast feed", show.url + "feed/", {}),
    ]
    if episode is not None and episode.audio_id:
        audio = reverse(
            "podcasts:audio", kwargs={"key": episode.enclosure_uuid, "ext": episode.audio_type}
        )
        targets.append(("audio Range request", audio, {"Range": "bytes=0-65535"}))
    return targets


def query_counts(targets, **overrides) -> dict[str, int]:
    """Queries of a repeated request (warm caches), with the given settings."""
    from django.core.cache import cache  # noqa: PLC0415 (after django.setup())
    from django.db import connection  # noqa: PLC0415 (after django.setup())
    from django.test import Client  # noqa: PLC0415 (after django.setup())
    from django.test.utils import (  # noqa: PLC0415 (after django.setup())
        CaptureQueriesContext,
        override_settings,
    )

    cache.clear()
    client = Client(HTTP_HOST="127.0.0.1")
    counts = {}
    with override_settings(**overrides):
        for name, url, headers in targets:
            extra = {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}
            client.get(url, **extra)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, **extra)
            assert response.status_code in (200, 206), (url, response.status_code)
            counts[name] = len(ctx.captured_queries)
    return counts


def hammer(port: int, url: str, seconds: float, headers: dict | None = None):
    """(requests per second, latencies in seconds) with CONCURRENCY connections."""
    latencies: list[list[float]] = [[] for _ in range(CONCURRENCY)]
    errors = [0] * CONCURRENCY
    stop = time.monotonic() + seconds

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while time.monotonic() < stop:
            started = time.perf_counter()
            try:
                conn.request("GET", url, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status in (200, 206):
                    latencies[i].append(time.perf_counter() - started)
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
    done = [x for per in latencies for x in per]
    return len(done) / (time.monotonic() - started), done


def wait_for(port: int, timeout: float = 60) -> None:
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


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def summary(rps: list[float], latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return {
        "rps": statistics.median(rps),
        "median_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": p99 * 1000,
    }


def run_scale(args) -> dict:
    """Seed, count queries, start gunicorn and measure every target at one scale."""
    with tempfile.TemporaryDirectory(prefix="cter-bench-") as tmp:
        var_dir = Path(tmp)
        seeded = time.monotonic()
        targets = prepare(var_dir, args.scale)
        seed_seconds = time.monotonic() - seeded
        from wagtail.models import Page  # noqa: PLC0415 (after django.setup())

        from learning.models import Session  # noqa: PLC0415 (after django.setup())

        size = {"pages": Page.objects.live().count(), "sessions": Session.objects.count()}
        counts = query_counts(targets)
        fresh = query_counts(targets, PAGE_CACHE_SECONDS=0, LEARNING_CACHE_SECONDS=0)
        port = args.port or free_port()
        env = {**os.environ, "VAR_DIR": str(var_dir), "DJANGO_SETTINGS_MODULE": "bench.settings"}
        server = subprocess.Popen(  # noqa: S603
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "website.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                f"--workers={args.workers}",
                "--worker-class=gthread",
                "--threads=4",
                "--keep-alive=5",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        cached: dict[str, tuple[list, list]] = {name: ([], []) for name, _u, _h in targets}
        rendered: dict[str, tuple[list, list]] = {name: ([], []) for name, _u, _h in targets[1:]}
        try:
            wait_for(port)
            for _name, url, headers in targets:  # warm up every worker
                hammer(port, url, 0.3, headers)
            for round_no in range(args.rounds):
                for name, url, headers in targets:
                    rps, lat = hammer(port, url, args.seconds, headers)
                    cached[name][0].append(rps)
                    cached[name][1].extend(lat)
                    if name in rendered:
                        rps, lat = hammer(port, url, args.seconds, {**headers, **UNCACHED})
                        rendered[name][0].append(rps)
                        rendered[name][1].extend(lat)
                print(f"  scale {args.scale}: round {round_no + 1}/{args.rounds} done", flush=True)
        finally:
            server.terminate()
            server.wait(timeout=10)
    return {
        "scale": args.scale,
        "size": size,
        "seed_seconds": seed_seconds,
        "targets": [
            {
                "name": name,
                "url": url,
                "anonymous": {**summary(*cached[name]), "queries": counts[name]},
                "rendered": (
                    {**summary(*rendered[name]), "queries": fresh[name]}
                    if name in rendered
                    else None
                ),
            }
            for name, url, _h in targets
        ],
    }


# ----- the whole run -----------------------------------------------------------------------


def table(result: dict) -> list[str]:
    floor = result["targets"][0]["anonymous"]["rps"]
    lines = [
        "| target | anonymous median / p99 ms | req/s | ratio | queries "
        "| rendered median / p99 ms | req/s | ratio | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in result["targets"]:
        a = target["anonymous"]
        row = (
            f"| {target['name']} | {a['median_ms']:.1f} / {a['p99_ms']:.1f} | {a['rps']:.0f} "
            f"| 1/{floor / a['rps'] if a['rps'] else float('inf'):.1f} | {a['queries']} |"
        )
        r = target["rendered"]
        if r:
            row += (
                f" {r['median_ms']:.1f} / {r['p99_ms']:.1f} | {r['rps']:.0f} "
                f"| 1/{floor / r['rps'] if r['rps'] else float('inf'):.1f} | {r['queries']} |"
            )
        else:
            row += " | | | |"
        lines.append(row)
    return lines


def growth(small: dict, large: dict) -> tuple[list[str], list[str]]:
    lines = [
        f"| target | rendered median ms, scale {small['scale']} | scale {large['scale']} "
        "| growth | queries |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    over = []
    before = {t["name"]: t for t in small["targets"]}
    for target in large["targets"]:
        first = before.get(target["name"])
        if not first or not target["rendered"]:
            continue
        a, b = first["rendered"], target["rendered"]
        ratio = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("inf")
        if ratio > GROWTH_LIMIT:
            over.append(target["name"])
        lines.append(
            f"| {target['name']} | {a['median_ms']:.1f} | {b['median_ms']:.1f} "
            f"| {ratio:.2f}x | {a['queries']} → {b['queries']} |"
        )
    return lines, over


def machine() -> str:
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    ).stdout.strip()
    try:
        load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    except OSError:
        load = "?"
    return (
        f"{platform.node() or 'unknown host'}: {platform.system()} {platform.release()}, "
        f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
        f"SQLite, local-memory cache; load average at the end {load}; commit {commit or '?'}"
    )


def report(results: list[dict], args, seconds: float) -> str:
    out = [
        "# Benchmarks",
        "",
        "Written by `make bench-scales` (`bench/scales.py`); do not edit by hand.",
        "",
        f"- Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes.",
        f"- Machine: {machine()}.",
        f"- gunicorn {args.workers} workers x 4 threads (gthread), DEBUG off, "
        f"{CONCURRENCY} keep-alive connections; {args.rounds} interleaved rounds of "
        f"{args.seconds:g} s per target and mode.",
        "- *anonymous*: as visitors get the page (whole-page cache); *rendered*: with a "
        "session cookie, which bypasses the whole-page cache (an editor, the first request "
        "after a change). Queries: of a repeated request; for *rendered* with every cache "
        "switched off.",
        "- Ratios are requests per second of the minimal view (a Django view without "
        "template or query) divided by the target's, in the same run: on a busy machine "
        "they are noisy; compare within one run.",
        "",
    ]
    for result in results:
        size = result["size"]
        out += [
            f"## Scale {result['scale']} ({size['pages']} live pages, "
            f"{size['sessions']} sessions; seeded in {result['seed_seconds']:.0f} s)",
            "",
            *table(result),
            "",
        ]
    if len(results) >= 2:
        lines, over = growth(results[0], results[-1])
        out += [
            f"## Growth from scale {results[0]['scale']} to scale {results[-1]['scale']}",
            "",
            f"Rendered median latency; the goal is at most {GROWTH_LIMIT}x.",
            "",
            *lines,
            "",
            (
                "Over the goal: " + ", ".join(over) + "."
                if over
                else f"Every rendered page stays within {GROWTH_LIMIT}x."
            ),
            "",
        ]
    return "\n".join(out)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1,10", help="comma-separated seed_demo scales")
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)  # one scale (child)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=1.5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks-scales.md"))
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)

    if args.scale is not None:  # the child: one data size
        Path(args.json).write_text(json.dumps(run_scale(args)), encoding="utf-8")
        return 0

    started = time.monotonic()
    results = []
    with tempfile.TemporaryDirectory(prefix="cter-bench-out-") as tmp:
        for scale in [int(s) for s in args.scales.split(",") if s.strip()]:
            print(f"Scale {scale}: seeding the demo and measuring ...", flush=True)
            out = Path(tmp) / f"scale-{scale}.json"
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "bench.scales",
                    f"--scale={scale}",
                    f"--json={out}",
                    f"--seconds={args.seconds}",
                    f"--rounds={args.rounds}",
                    f"--port={args.port}",
                    f"--workers={args.workers}",
                ],
                cwd=ROOT,
                check=True,
            )
            results.append(json.loads(out.read_text(encoding="utf-8")))
    text = report(results, args, time.monotonic() - started)
    print()
    print(text)
    if not args.no_write:
        Path(args.output).parent.mkdir(exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
