"""Benchmark: gunicorn (DEBUG off), 8 concurrent keep-alive connections, each target
measured in interleaved rounds, at two data sizes (the demo at ``seed_demo --scale 1``
and ``--scale 10``). Per URL: median and p99 latency, requests per second, the ratio
to a minimal view in the same run, in-process CPU time per request (steadier than wall
time on a busy machine) and SQL queries per request, for anonymous visitors (whole-page
cache) and rendered (a session cookie bypasses it); a registration POST; the feed of a
show with 300 episodes; then the growth of each rendered page from the small to the
large data set. Writes docs/benchmarks-scales.md. (bench/run.py measures the
coordinator pages at volume: docs/benchmarks.md.)

The seeded databases are kept in var/bench-seed/ and reused while the code is the same
(``git ls-files -s`` and ``git diff HEAD``): migrated once, both scales seeded at once.

    make bench-scales                      # scales 1 and 10, docs/benchmarks-scales.md
    .venv/bin/python -m bench.scales --scales 1 --seconds 0.5 --rounds 1 --no-write
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from bench.common import (
    CONCURRENCY,
    ROOT,
    cpu_ms,
    free_port,
    hammer,
    start_gunicorn,
    stop,
    wait_for,
)

# A session cookie makes a request bypass the whole-page cache (as an editor's would):
# the second measurement shows what rendering a page costs.
UNCACHED_SESSION = "bench-no-page-cache"
UNCACHED = {"Cookie": f"sessionid={UNCACHED_SESSION}"}
OK = (200, 206, 302, 303)  # a registration POST answers with a redirect
GROWTH_LIMIT = 1.5
CODE = (".", ":!bench", ":!docs", ":!tests")  # what seeding depends on (git pathspecs)


# ----- seeding (child processes), once per code version ---------------------------------


def _setup(var_dir: Path) -> None:
    import django  # noqa: PLC0415 (only in the child process)

    os.environ["VAR_DIR"] = str(var_dir)
    (var_dir / "static").mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    django.setup()


def migrate_into(var_dir: Path) -> None:
    """An empty, migrated database in ``var_dir`` (each scale starts from a copy)."""
    _setup(var_dir)
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup())

    call_command("migrate", verbosity=0)


def seed_into(var_dir: Path, scale: int) -> None:
    """The demo at ``scale`` in ``var_dir`` (a copy of the migrated database). The
    environment (BENCH_SEEDING) leaves Wagtail's per-save search and reference index
    jobs out: seed_demo builds the search index once at the end."""
    _setup(var_dir)
    from django.core.management import call_command  # noqa: PLC0415 (after django.setup())

    call_command("seed_demo", scale=scale, verbosity=0)


def fingerprint() -> str:
    """The code the seeded databases come from: the tracked files and any change to
    them, the benchmark, documents and tests aside (a seeded copy is reused only for
    the same code)."""
    parts = [
        subprocess.run(  # noqa: S603
            command,
            capture_output=True,
            cwd=ROOT,
            check=False,
        ).stdout
        for command in (
            ["git", "ls-files", "-s", "--", *CODE],
            ["git", "diff", "HEAD", "--", *CODE],
        )
    ]
    return hashlib.sha256(b"\0".join(parts)).hexdigest()[:16]


def seeded(scales: list[int], *, reseed: bool) -> dict[int, Path]:
    """{scale: a directory with the seeded database and media}: reused from var/bench-seed/
    when the code has not changed; otherwise migrated once and seeded in parallel."""
    store = ROOT / "var" / "bench-seed"
    version = fingerprint()
    found = {n: store / f"scale-{n}-{version}" for n in scales}
    missing = [n for n, path in found.items() if reseed or not (path / "db.sqlite3").exists()]
    if not missing:
        print("Seeded databases of this code found in var/bench-seed/: reused.", flush=True)
        return found
    for old in store.glob("scale-*"):  # older code's copies
        if old not in found.values():
            shutil.rmtree(old, ignore_errors=True)
    started = time.monotonic()
    template = store / f"migrated-{version}"
    shutil.rmtree(template, ignore_errors=True)
    template.mkdir(parents=True)
    child = [sys.executable, "-m", "bench.scales"]
    subprocess.run([*child, f"--migrate-into={template}"], cwd=ROOT, check=True)  # noqa: S603
    env = {**os.environ, "BENCH_SEEDING": "1"}
    running = []
    for n in missing:
        shutil.rmtree(found[n], ignore_errors=True)
        shutil.copytree(template, found[n])
        running.append(
            subprocess.Popen(  # noqa: S603
                [*child, f"--seed-into={found[n]}", f"--scale={n}"], cwd=ROOT, env=env
            )
        )
    if any(proc.wait() for proc in running):
        for n in missing:
            shutil.rmtree(found[n], ignore_errors=True)
        raise SystemExit("seeding failed")
    shutil.rmtree(template, ignore_errors=True)
    print(f"Seeded scales {missing} in {time.monotonic() - started:.0f} s", flush=True)
    return found


# ----- one data size (a child process: Django is set up once per database) -------------


@dataclass
class Target:
    name: str
    url: str
    headers: dict = field(default_factory=dict)
    method: str = "GET"
    body: object = None  # for POST: fn(connection, n) -> bytes
    rendered: bool = True  # also measured with a session cookie


def prepare_targets() -> list[Target]:
    """The targets in a seeded database."""
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

    training = TrainingPage.objects.live().order_by("path").first()
    landing = TargetGroupPage.objects.live().order_by("path").first()
    sheet = InfoSheetPage.objects.live().order_by("path").first()
    show = PodcastShowPage.objects.live().order_by("path").first()
    episode = PodcastEpisodePage.objects.live().exclude(audio=None).order_by("-path").first()
    targets = [
        Target("minimal view", "/bench/minimal/", rendered=False),
        Target("home page", "/"),
        Target("catalogue /trainingen/", "/trainingen/"),
        Target("catalogue filtered", "/trainingen/?level=basic&free=on"),
        Target("webinars /webinars/", "/webinars/"),
        Target("training page", training.url),
        Target("products /producten/", "/producten/"),
        Target("products filtered", "/producten/?type=infosheet"),
        Target("target-group landing page", landing.url),
        Target("theme page", "/thema/radicalisering/"),
        Target("info sheet page", sheet.url),
        Target("search /zoeken/?q=...", "/zoeken/?q=radicalisering"),
        Target("search filtered by type", "/zoeken/?q=radicalisering&type=training"),
        Target("podcasts /podcasts/", "/podcasts/"),
        Target("podcast show page", show.url),
        Target("podcast episode page", episode.url),
        Target("podcast feed", show.url + "feed/"),
    ]
    if episode is not None and episode.audio_id:
        audio = reverse(
            "podcasts:audio", kwargs={"key": episode.enclosure_uuid, "ext": episode.audio_type}
        )
        targets.append(Target("audio Range request", audio, {"Range": "bytes=0-65535"}))
    registration = registration_target()
    if registration is not None:
        targets.append(registration)
    return targets


def registration_target() -> Target | None:
    """A registration POST (a new address each time) for an open session of a public
    training, with the CSRF cookie and token a browser would send: answered with a
    redirect to the registration's page (on the waiting list once the places are gone)."""
    from django.test import Client  # noqa: PLC0415 (after django.setup())
    from django.urls import reverse  # noqa: PLC0415 (after django.setup())
    from django.utils import timezone  # noqa: PLC0415 (after django.setup())

    from learning.forms import RegistrationForm  # noqa: PLC0415 (after django.setup())
    from learning.models import Session  # noqa: PLC0415 (after django.setup())
    from website.models import TargetGroup  # noqa: PLC0415 (after django.setup())

    form = RegistrationForm()
    municipality = next(
        value
        for value, label in _flat(form.fields["municipality"].choices)
        if value not in ("", None)
    )
    fields = {
        "first_name": "Bench",
        "last_name": "Gebruiker",
        "organisation": "Gemeente Bench",
        "function": "Beleidsmedewerker",
        "municipality": municipality,
        "target_group": str(TargetGroup.objects.order_by("pk").first().pk),
        "needs": "",
        "consent": "on",
        "website": "",
    }
    client = Client(HTTP_HOST="127.0.0.1")
    sessions = Session.objects.filter(page__live=True, date__gte=timezone.localdate()).order_by(
        "date", "pk"
    )[:20]
    for session in sessions:
        url = reverse("learning:register", kwargs={"session_id": session.pk})
        page = client.get(url)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.content)
        if page.status_code != 200 or token is None or "csrftoken" not in client.cookies:
            continue
        data = {form.add_prefix(k): v for k, v in fields.items()}
        data["csrfmiddlewaretoken"] = token.group(1).decode()
        tried = client.post(url, {**data, form.add_prefix("email"): "probe@bench.example.nl"})
        if tried.status_code not in (302, 303):
            continue
        run = uuid.uuid4().hex[:8]

        def body(conn, n, data=data, run=run):
            address = f"bench-{run}-{conn}-{n}-{time.monotonic_ns()}@bench.example.nl"
            return urlencode({**data, form.add_prefix("email"): address}).encode()

        headers = {
            "Cookie": f"csrftoken={client.cookies['csrftoken'].value}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        return Target("registration POST", url, headers, method="POST", body=body, rendered=False)
    print("  ! no open session to register for: registration POST left out", file=sys.stderr)
    return None


def _flat(choices):
    for value, label in choices:
        if isinstance(label, (list, tuple)):
            yield from _flat(label)
        else:
            yield value, label


def add_feed_show(episodes: int) -> str:
    """A second show with ``episodes`` published episodes (copies of a demo episode, with
    its audio): the URL of its feed."""
    from django.utils import timezone  # noqa: PLC0415 (after django.setup())

    from podcasts.models import (  # noqa: PLC0415 (after django.setup())
        PodcastEpisodePage,
        PodcastShowPage,
    )

    shows = PodcastShowPage.objects.live().order_by("path")
    model = PodcastEpisodePage.objects.live().exclude(audio=None).order_by("path").first()
    show = shows.first().copy(
        to=shows.first().get_parent(),
        update_attrs={"slug": "bench-feed", "title": "Bench feed"},
        copy_revisions=False,
        recursive=False,
        keep_live=True,
    )
    now = timezone.now()
    for n in range(episodes):
        model.copy(
            to=show,
            update_attrs={
                "slug": f"aflevering-{n}",
                "title": f"Aflevering {n}",
                "publication_date": now - dt.timedelta(days=n + 1),
                "episode_number": n + 1,
            },
            copy_revisions=False,
            keep_live=True,
            log_action=None,
        )
    return show.url + "feed/"


def _extra(headers: dict) -> dict:
    return {"HTTP_" + k.upper().replace("-", "_"): v for k, v in headers.items()}


def _client(rendered: bool):
    from django.test import Client  # noqa: PLC0415 (after django.setup())

    client = Client(HTTP_HOST="127.0.0.1")
    if rendered:
        client.cookies["sessionid"] = UNCACHED_SESSION
    return client


def _request(client, target: Target):
    headers = {k: v for k, v in target.headers.items() if k not in ("Cookie", "Content-Type")}
    if target.method == "POST":
        body = target.body(0, time.monotonic_ns())
        return client.generic(
            "POST", target.url, body, "application/x-www-form-urlencoded", **_extra(headers)
        )
    response = client.get(target.url, **_extra(headers))
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def query_counts(targets: list[Target], **overrides) -> dict[str, int]:
    """Queries of a repeated request (warm caches), with the given settings."""
    from django.core.cache import cache  # noqa: PLC0415 (after django.setup())
    from django.db import connection  # noqa: PLC0415 (after django.setup())
    from django.test.utils import (  # noqa: PLC0415 (after django.setup())
        CaptureQueriesContext,
        override_settings,
    )

    cache.clear()
    counts = {}
    with override_settings(**overrides):
        for target in targets:
            client = _client(rendered=bool(overrides))
            _request(client, target)
            with CaptureQueriesContext(connection) as ctx:
                response = _request(client, target)
            assert response.status_code in (200, 206, 302, 303), (target.url, response.status_code)
            counts[target.name] = len(ctx.captured_queries)
    return counts


def cpu_times(targets: list[Target], *, repeat: int) -> dict[str, dict[str, float]]:
    """In-process CPU milliseconds per request (median of ``repeat``, Django's test
    client, every cache warm): {name: {"anonymous": ms, "rendered": ms}}."""
    found = {}
    for target in targets:
        found[target.name] = {}
        for mode in ("anonymous", "rendered") if target.rendered else ("anonymous",):
            client = _client(rendered=mode == "rendered")
            found[target.name][mode] = cpu_ms(
                lambda c=client, t=target: _request(c, t), repeat=repeat
            )
    return found


def measure(port: int, targets: list[Target], args) -> dict[str, dict[str, tuple]]:
    """{name: {mode: (requests per second of each round, latencies)}} over gunicorn."""
    found = {
        t.name: {m: ([], []) for m in (("anonymous", "rendered") if t.rendered else ("anonymous",))}
        for t in targets
    }
    for target in targets:  # warm up every worker
        hammer(port, target.url, 0.3, target.headers, method=target.method, body=target.body, ok=OK)
    for round_no in range(args.rounds):
        for target in targets:
            for mode, (rps, latencies) in found[target.name].items():
                headers = {**target.headers, **(UNCACHED if mode == "rendered" else {})}
                got, lat = hammer(
                    port,
                    target.url,
                    args.seconds,
                    headers,
                    method=target.method,
                    body=target.body,
                    ok=OK,
                )
                rps.append(got)
                latencies.extend(lat)
        print(f"  scale {args.scale}: round {round_no + 1}/{args.rounds} done", flush=True)
    return found


def run_scale(args) -> dict:
    """Count queries, time in process, start gunicorn and measure every target at one
    scale, on a copy of the seeded database."""
    with tempfile.TemporaryDirectory(prefix="cter-bench-") as tmp:
        var_dir = Path(tmp) / "var"
        shutil.copytree(args.seeded, var_dir)
        os.environ["BENCH_QUEUE_TASKS"] = "1"  # e-mails queued for a worker (bench.settings)
        _setup(var_dir)
        from django.db import connection  # noqa: PLC0415 (after django.setup())
        from wagtail.models import Page  # noqa: PLC0415 (after django.setup())

        from learning.models import Session  # noqa: PLC0415 (after django.setup())

        targets = prepare_targets()
        size = {"pages": Page.objects.live().count(), "sessions": Session.objects.count()}
        if args.feed_episodes:
            targets.append(
                Target(
                    f"podcast feed, {args.feed_episodes} episodes",
                    add_feed_show(args.feed_episodes),
                )
            )
        counts = query_counts(targets)
        fresh = query_counts(
            targets,
            PAGE_CACHE_SECONDS=0,
            LEARNING_CACHE_SECONDS=0,
            CARD_CACHE_SECONDS=0,
            PODCASTS_CACHE_SECONDS=0,
        )
        cpu = cpu_times(targets, repeat=args.cpu_repeat)
        connection.close()  # gunicorn gets the database (SQLite: no open writer here)
        port = args.port or free_port()
        env = {
            "VAR_DIR": str(var_dir),
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "BENCH_QUEUE_TASKS": "1",
        }
        server = start_gunicorn(port, workers=args.workers, env=env)
        try:
            wait_for(port)
            found = measure(port, targets, args)
        finally:
            stop(server)
    return {
        "scale": args.scale,
        "size": size,
        "targets": [
            {
                "name": t.name,
                "url": t.url,
                "method": t.method,
                **{
                    mode: {
                        **summary(*found[t.name][mode]),
                        "queries": (fresh if mode == "rendered" else counts)[t.name],
                        "cpu_ms": cpu[t.name][mode],
                    }
                    for mode in ("anonymous", "rendered")
                    if mode in found[t.name]
                },
            }
            for t in targets
        ],
    }


def summary(rps: list[float], latencies: list[float]) -> dict:
    ordered = sorted(latencies)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] if ordered else 0.0
    return {
        "rps": statistics.median(rps) if rps else 0.0,
        "median_ms": statistics.median(ordered) * 1000 if ordered else 0.0,
        "p99_ms": p99 * 1000,
    }


# ----- the whole run -----------------------------------------------------------------------


def _ratio(cost: float, floor: float) -> str:
    """1/x: ``cost`` is x times ``floor`` (requests per second: pass floor, value)."""
    return f"1/{cost / floor:.1f}" if cost and floor else "-"


def table(result: dict) -> list[str]:
    floor = result["targets"][0]["anonymous"]["rps"]
    cpu_floor = result["targets"][0]["anonymous"]["cpu_ms"]
    lines = [
        "| target | anonymous median / p99 ms | req/s | ratio | CPU ms (ratio) | queries "
        "| rendered median / p99 ms | req/s | ratio | CPU ms (ratio) | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for target in result["targets"]:
        cells = [target["name"]]
        for mode in ("anonymous", "rendered"):
            m = target.get(mode)
            if not m:
                cells += ["", "", "", "", ""]
                continue
            cells += [
                f"{m['median_ms']:.1f} / {m['p99_ms']:.1f}",
                f"{m['rps']:.0f}",
                _ratio(floor, m["rps"]),
                f"{m['cpu_ms']:.2f} ({_ratio(m['cpu_ms'], cpu_floor)})",
                str(m["queries"]),
            ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def growth(small: dict, large: dict) -> tuple[list[str], list[str]]:
    """Per rendered page, how its cost grew from the small to the large scale. Judged on
    its cost relative to the minimal view in the same run (the minimal view's req/s over
    the page's), so that a machine that was busier during one scale's run does not count
    as growth; the raw median latency and the in-process CPU time are shown beside it."""
    lines = [
        f"| target | relative cost, scale {small['scale']} | scale {large['scale']} | growth "
        f"| rendered median ms, scale {small['scale']} → {large['scale']} | latency growth "
        "| CPU ms in process | CPU growth | queries |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    over = []
    before = {t["name"]: t for t in small["targets"]}
    floors = (small["targets"][0]["anonymous"]["rps"], large["targets"][0]["anonymous"]["rps"])
    for target in large["targets"]:
        first = before.get(target["name"])
        if not first or not target.get("rendered") or not first.get("rendered"):
            continue
        a, b = first["rendered"], target["rendered"]
        cost_a = floors[0] / a["rps"] if a["rps"] else float("inf")
        cost_b = floors[1] / b["rps"] if b["rps"] else float("inf")
        ratio = cost_b / cost_a if cost_a else float("inf")
        latency = b["median_ms"] / a["median_ms"] if a["median_ms"] else float("inf")
        cpu_ratio = b["cpu_ms"] / a["cpu_ms"] if a["cpu_ms"] else float("inf")
        if ratio > GROWTH_LIMIT:
            over.append(target["name"])
        lines.append(
            f"| {target['name']} | {cost_a:.1f} | {cost_b:.1f} | {ratio:.2f}x "
            f"| {a['median_ms']:.1f} → {b['median_ms']:.1f} | {latency:.2f}x "
            f"| {a['cpu_ms']:.2f} → {b['cpu_ms']:.2f} | {cpu_ratio:.2f}x "
            f"| {a['queries']} → {b['queries']} |"
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


def report(results: list[dict], args, seconds: float, seed_note: str) -> str:
    out = [
        "# Benchmarks at two data sizes",
        "",
        "Written by `make bench-scales` (`bench/scales.py`); do not edit by hand.",
        "",
        f"- Run: {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC, {seconds / 60:.1f} minutes "
        f"({seed_note}).",
        f"- Machine: {machine()}.",
        f"- gunicorn {args.workers} workers x 4 threads (gthread), DEBUG off, "
        f"{CONCURRENCY} keep-alive connections; {args.rounds} interleaved rounds of "
        f"{args.seconds:g} s per target and mode.",
        "- *anonymous*: as visitors get the page (whole-page cache); *rendered*: with a "
        "session cookie, which bypasses the whole-page cache (an editor, a signed-in "
        "visitor); the fragment and card caches stay warm, as between two publishes. "
        "Queries: of a repeated request; for *rendered* with every cache switched off "
        "(the first request after a publish).",
        "- Ratios are requests per second of the minimal view (a Django view without "
        "template or query) divided by the target's, in the same run: on a busy machine "
        "they are noisy; compare within one run. *CPU ms*: in-process CPU time per "
        f"request (Django's test client, median of {args.cpu_repeat}, caches warm) and its "
        "ratio to the minimal view's in the same process: steadier than wall time, but "
        "without the server's share of every request, so its ratios are far larger.",
        "- The registration POST registers a new address each time (on the waiting list "
        "once the places are gone); the feed of 300 episodes is a second show added at the "
        "largest scale after seeding.",
        "",
    ]
    for result in results:
        size = result["size"]
        out += [
            f"## Scale {result['scale']} ({size['pages']} live pages, {size['sessions']} sessions)",
            "",
            *table(result),
            "",
        ]
    if len(results) >= 2:
        lines, over = growth(results[0], results[-1])
        out += [
            f"## Growth from scale {results[0]['scale']} to scale {results[-1]['scale']}",
            "",
            "Rendered, judged on the cost relative to the minimal view in the same run "
            f"(the goal: at most {GROWTH_LIMIT}x; the minimal view's req/s over the page's), "
            "with the raw median latency and the in-process CPU time beside it.",
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
    parser.add_argument("--seconds", type=float, default=1.0)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--cpu-repeat", type=int, default=15)
    parser.add_argument("--feed-episodes", type=int, default=300, help="0: no such feed")
    parser.add_argument("--port", type=int, default=0, help="0: a free port")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--reseed", action="store_true", help="seed even when a copy exists")
    parser.add_argument("--output", default=str(ROOT / "docs" / "benchmarks-scales.md"))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--seed-only", action="store_true", help="seed (or find) the databases, measure nothing"
    )
    # the child processes
    parser.add_argument("--migrate-into", help=argparse.SUPPRESS)
    parser.add_argument("--seed-into", help=argparse.SUPPRESS)
    parser.add_argument("--scale", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--seeded", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.migrate_into:
        migrate_into(Path(args.migrate_into))
        return 0
    if args.seed_into:
        seed_into(Path(args.seed_into), args.scale)
        return 0
    if args.json:  # one data size
        Path(args.json).write_text(json.dumps(run_scale(args)), encoding="utf-8")
        return 0

    started = time.monotonic()
    scales = [int(s) for s in args.scales.split(",") if s.strip()]
    print(f"Seeding the demo at scales {scales} (or reusing a copy) ...", flush=True)
    dirs = seeded(scales, reseed=args.reseed)
    if args.seed_only:
        return 0
    seed_note = f"seeding and copies {time.monotonic() - started:.0f} s"
    results = []
    with tempfile.TemporaryDirectory(prefix="cter-bench-out-") as tmp:
        for scale in scales:
            print(f"Scale {scale}: measuring ...", flush=True)
            out = Path(tmp) / f"scale-{scale}.json"
            subprocess.run(  # noqa: S603
                [
                    sys.executable,
                    "-m",
                    "bench.scales",
                    f"--scale={scale}",
                    f"--seeded={dirs[scale]}",
                    f"--json={out}",
                    f"--seconds={args.seconds}",
                    f"--rounds={args.rounds}",
                    f"--cpu-repeat={args.cpu_repeat}",
                    f"--feed-episodes={args.feed_episodes if scale == max(scales) else 0}",
                    f"--port={args.port}",
                    f"--workers={args.workers}",
                ],
                cwd=ROOT,
                check=True,
            )
            results.append(json.loads(out.read_text(encoding="utf-8")))
    text = report(results, args, time.monotonic() - started, seed_note)
    print()
    print(text)
    if not args.no_write:
        Path(args.output).parent.mkdir(exist_ok=True)
        Path(args.output).write_text(text, encoding="utf-8")
        print(f"\nWritten to {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
