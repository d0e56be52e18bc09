"""Keys of rendered fragments (``{% cache cache_seconds name fragment_key request.get_host %}``)
for what the whole-page cache does not serve (editors, visitors with a session, the first
render after a change): the release and content stamp of the request (every publish and
every change to facts pages show moves it; ``website.routing.stamp_for``, read once per
request), a five-minute time bucket (time-driven changes show within it) and the caller's
parts (the page, the query string)."""

from __future__ import annotations

import time

from website.routing import stamp_for

BUCKET_SECONDS = 300


def fragment_context(request, *parts, seconds: int) -> dict:
    """``fragment_key`` and ``cache_seconds`` for a template's ``{% cache %}`` blocks."""
    bucket = int(time.time() // BUCKET_SECONDS)
    key = ":".join(str(part) for part in (stamp_for(request), bucket, *parts))
    return {"fragment_key": key, "cache_seconds": seconds}
