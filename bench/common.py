"""What both benchmarks share: a free port, gunicorn started and stopped, a target
hammered with CONCURRENCY keep-alive connections, and in-process CPU time per request
(steadier than wall time on a busy machine)."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONCURRENCY = 8


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port: int, *, workers: int, env: dict) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "website.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=gthread",
            "--threads=4",
            "--keep-alive=5",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    try:  # gunicorn waits for keep-alive connections (graceful timeout)
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()
        server.wait()


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


def hammer(
    port: int,
    url: str,
    seconds: float,
    headers: dict | None = None,
    *,
    method: str = "GET",
    body: Callable[[int, int], bytes] | None = None,
    ok: tuple[int, ...] = (200, 206),
) -> tuple[float, list[float]]:
    """(requests per second, latencies in seconds) of ``url`` with CONCURRENCY
    connections for ``seconds``. ``body(connection, n)`` gives the n-th request body of
    a connection (e.g. a form with a unique address); statuses outside ``ok`` count as
    errors."""
    latencies: list[list[float]] = [[] for _ in range(CONCURRENCY)]
    errors = [0] * CONCURRENCY
    stop_at = time.monotonic() + seconds

    def worker(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        n = 0
        while time.monotonic() < stop_at:
            started = time.perf_counter()
            n += 1
            try:
                conn.request(method, url, body=body(i, n) if body else None, headers=headers or {})
                response = conn.getresponse()
                response.read()
                if response.status in ok:
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
        print(f"  ! {sum(errors)} errors on {method} {url}", file=sys.stderr)
    done = [x for per in latencies for x in per]
    return len(done) / (time.monotonic() - started), done


def cpu_ms(request: Callable[[], object], *, repeat: int, warm: int = 3) -> float:
    """Median in-process CPU milliseconds of ``request()`` (e.g. a Django test client
    call), after ``warm`` calls."""
    for _ in range(warm):
        request()
    times = []
    for _ in range(repeat):
        started = time.process_time()
        request()
        times.append(time.process_time() - started)
    return statistics.median(times) * 1000
