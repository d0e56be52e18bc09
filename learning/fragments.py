"""The rendered-fragment cache of the catalogue and training pages: its version (read)
and the bump after trainings, sessions or registrations change (write)."""

from __future__ import annotations

import secrets
import time

from django.db.models import F

from learning.models import ChangeStamp
from website import stamps as website_stamps
from website.release import release

STAMP = "learning"


def cache_version() -> int:
    """Changes whenever trainings, sessions or registrations change (signals and
    services); one small query, shared by every app server."""
    version = ChangeStamp.objects.filter(name=STAMP).values_list("version", flat=True).first()
    return version or 0


def bump_cache_version() -> None:
    if not ChangeStamp.objects.filter(name=STAMP).update(version=F("version") + 1):
        # a random start, like the content stamp: a fresh database never meets the cache
        # entries of an earlier one
        ChangeStamp.objects.get_or_create(name=STAMP, defaults={"version": secrets.randbits(48)})
    website_stamps.bump()  # whole pages show places left and next dates too


def fragment_key(*parts) -> str:
    """Release + version + a five-minute time bucket (deadlines pass without any write)."""
    bucket = int(time.time() // 300)
    return ":".join(str(p) for p in (release(), cache_version(), bucket, *parts))
