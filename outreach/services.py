"""Reach counting: a view of a page or a download of a document, once per visitor per
day, through the privacy-safe counting layer (``website.counting``)."""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import timezone

from website import counting

from .models import ReachCount

logger = logging.getLogger(__name__)


def record_hit(*, kind: str, object_id: int, ip: str, user_agent: str, now) -> bool:
    """Count one view or download; False when this visitor was already counted today."""
    day = timezone.localdate(now)
    digest = counting.visitor_digest(
        ip=ip, user_agent=user_agent, scope=f"{kind}|{object_id}", day=day
    )
    with transaction.atomic():
        if not counting.first_today(digest=digest, day=day):
            return False
        counting.add_to_count(ReachCount, key={"kind": kind, "object_id": object_id, "day": day})
    return True


def count_request(request, *, kind: str, object_id: int, now=None) -> None:
    """Count a GET from a person; never raises (a failure is logged, the page serves)."""
    try:
        if not counting.countable(request):
            return
        range_header = request.headers.get("Range", "")
        if range_header and not range_header.replace(" ", "").startswith("bytes=0-"):
            return  # a later chunk of a download already counted
        ip = counting.client_address(request, "LEARNING_CLIENT_IP_HEADER")
        user_agent = request.headers.get("User-Agent", "")[:500]
        now = now or timezone.now()
        # A returning visitor (the usual case on a cached page): known from the shared
        # cache, without a query or a transaction.
        day = timezone.localdate(now)
        scope = f"{kind}|{object_id}"
        if counting.counted_today(ip=ip, user_agent=user_agent, scope=scope, day=day):
            return
        # A savepoint: a database error here never breaks the request's own transaction.
        with transaction.atomic():
            record_hit(kind=kind, object_id=object_id, ip=ip, user_agent=user_agent, now=now)
    except Exception:
        logger.exception("Reach counting failed for %s %s", kind, object_id)
