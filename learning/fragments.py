"""The rendered-fragment cache of the catalogue and training pages: keys carry the
release and content stamp of the request (``website.routing.stamp_for``: the same stamp
the whole-page cache uses, read once per request) and a five-minute time bucket, so
deadlines that pass without any write show within five minutes."""

from __future__ import annotations

import time

from website.routing import stamp_for

BUCKET_SECONDS = 300


def fragment_key(request, *parts) -> str:
    bucket = int(time.time() // BUCKET_SECONDS)
    return ":".join(str(p) for p in (stamp_for(request), bucket, *parts))
