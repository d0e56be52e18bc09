"""Reach counting: a hit per visitor per object per day, without storing who."""

from __future__ import annotations

import hashlib
import logging
import re
import secrets

from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from website.clients import client_address

from .models import DailySalt, ReachCount, VisitorMark

logger = logging.getLogger(__name__)

BOT_PATTERN = re.compile(
    r"bot|crawl|spider|slurp|archiver|facebookexternalhit|preview|monitor|uptime|"
    r"curl|wget|python-requests|python-urllib|httpx|go-http-client|java/|libwww|headless|"
    r"lighthouse|pingdom|scrapy",
    re.IGNORECASE,
)


def is_bot(user_agent: str) -> bool:
    return not user_agent or bool(BOT_PATTERN.search(user_agent))


def salt_for(*, day) -> str:
    """Today's salt, shared by every app server through the database; old ones deleted."""
    key = f"outreach:salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt:
        return salt
    row, created = DailySalt.objects.get_or_create(
        day=day, defaults={"salt": secrets.token_hex(32)}
    )
    if created:
        DailySalt.objects.filter(day__lt=day).delete()
        VisitorMark.objects.filter(day__lt=day).delete()
    cache.set(key, row.salt, 60 * 60 * 25)
    return row.salt


def record_hit(*, kind: str, object_id: int, ip: str, user_agent: str, now) -> bool:
    """Count one view or download; False when this visitor was already counted today."""
    day = timezone.localdate(now)
    salt = salt_for(day=day)
    digest = hashlib.sha256(f"{salt}|{ip}|{user_agent}|{kind}|{object_id}".encode()).hexdigest()
    with transaction.atomic():
        try:
            with transaction.atomic():
                VisitorMark.objects.create(day=day, digest=digest)
        except IntegrityError:
            return False
        updated = ReachCount.objects.filter(kind=kind, object_id=object_id, day=day).update(
            count=F("count") + 1
        )
        if not updated:
            try:
                with transaction.atomic():
                    ReachCount.objects.create(kind=kind, object_id=object_id, day=day, count=1)
            except IntegrityError:
                ReachCount.objects.filter(kind=kind, object_id=object_id, day=day).update(
                    count=F("count") + 1
                )
    return True


def count_request(request, *, kind: str, object_id: int, now=None) -> None:
    """Count a GET from a person; never raises (a failure is logged, the page serves)."""
    try:
        if request.method != "GET" or getattr(request, "is_preview", False):
            return
        user_agent = request.headers.get("User-Agent", "")[:500]
        if is_bot(user_agent):
            return
        range_header = request.headers.get("Range", "")
        if range_header and not range_header.replace(" ", "").startswith("bytes=0-"):
            return  # a later chunk of a download already counted
        # A savepoint: a database error here never breaks the request's own transaction.
        with transaction.atomic():
            record_hit(
                kind=kind,
                object_id=object_id,
                ip=client_address(request, "LEARNING_CLIENT_IP_HEADER"),
                user_agent=user_agent,
                now=now or timezone.now(),
            )
    except Exception:
        logger.exception("Reach counting failed for %s %s", kind, object_id)
