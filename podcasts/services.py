"""Podcast rules: file facts for episodes, the podcast GUID, and download counting.

Download counting follows the IAB Podcast Technical Measurement Guidelines v2.3:

- a download counts when the listener has fetched the file's first bytes up to the
  header plus one minute of audio (``download_threshold``; the whole file when the
  episode is shorter than a minute). The byte ranges of one listener are joined, so a
  player that fetches the file in many small ranges counts once it has the minute;
- one download per episode per listener per **fixed calendar day (Europe/Amsterdam)**,
  the guideline's "fixed 24-hour window" type. The day is also the life of the salt: a
  listener is a SHA-256 of a salt that rotates daily (then deleted, with the progress
  rows of earlier days), the IP address (IPv6 cut to its first 64 bits) and the user
  agent (the site's counting layer, ``website.counting``). No IP address or user agent
  is stored;
- not counted: HEAD requests, ``bytes=0-1`` (and other two-byte) probes, 304 answers,
  bots and crawlers (the site's list, ``website/data/user_agents.json``) and Apple
  Watch requests, which repeat a download the paired iPhone already made.

Counting runs after the response has been sent (a response closer) inside its own
savepoint; a failure is logged without personal data and never reaches the listener.
"""

from __future__ import annotations

import logging
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from website import counting

from . import audio as audio_files
from . import useragents
from .models import DownloadCount, ListenerProgress

logger = logging.getLogger(__name__)

# Podcasting 2.0: podcast:guid is a UUIDv5 of the feed URL (no scheme, no trailing slash)
# in this namespace.
PODCAST_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
PROBE_BYTES = 2  # ranges of at most two bytes (bytes=0-1) are probes


# ----- episode files ------------------------------------------------------------


def _read(document, limit: int) -> bytes:
    with document.file.open("rb") as handle:
        return handle.read(limit + 1)


def read_episode_files(page) -> dict:
    """Fill the episode's audio and transcript facts from its files; {field: message}."""
    errors = {}
    if page.audio_id:
        document = page.audio
        source = f"{document.pk}:{document.file.name}"
        if source != page.audio_source or not page.audio_size:
            try:
                with document.file.open("rb") as handle:
                    facts = audio_files.inspect_audio(handle, name=document.file.name)
            except audio_files.FileCheckError as exc:
                errors["audio"] = str(exc)
            except OSError:
                errors["audio"] = _("The audio file could not be read; upload it again.")
            else:
                if (
                    page.audio_type
                    and facts.extension != page.audio_type
                    and (page.first_published_at)
                ):
                    errors["audio"] = _(
                        "This episode was published as %(old)s; replace the audio with an "
                        "%(old)s file too, or podcast apps would download it again."
                    ) % {"old": page.audio_type.upper()}
                else:
                    page.audio_source = source
                    page.audio_type = facts.extension
                    page.audio_size = facts.size
                    page.audio_duration = facts.duration
                    page.download_threshold = facts.threshold
    if page.transcript_id:
        document = page.transcript
        try:
            kind, cues = audio_files.parse_transcript(
                _read(document, audio_files.MAX_TRANSCRIPT_BYTES), name=document.file.name
            )
        except audio_files.FileCheckError as exc:
            errors["transcript"] = str(exc)
        except OSError:
            errors["transcript"] = _("The transcript file could not be read; upload it again.")
        else:
            page.transcript_type = kind
            page.transcript_text = audio_files.readable_transcript(cues)
    else:
        page.transcript_type = ""
        page.transcript_text = ""
    if page.chapters_id:
        document = page.chapters
        try:
            page.chapter_list = audio_files.check_chapters(
                _read(document, audio_files.MAX_CHAPTERS_BYTES), name=document.file.name
            )
        except audio_files.FileCheckError as exc:
            errors["chapters"] = str(exc)
        except OSError:
            errors["chapters"] = _("The chapters file could not be read; upload it again.")
    else:
        page.chapter_list = []
    return errors


# ----- the show ------------------------------------------------------------------


def base_url() -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/")


def absolute(url: str) -> str:
    """An absolute URL: ``url`` as is when it has a scheme, else under ``BASE_URL``."""
    return url if url.startswith(("http://", "https://")) else base_url() + url


def feed_url(show) -> str:
    """The canonical, absolute feed URL (BASE_URL plus the show's path)."""
    return absolute(show.get_url() or show.url_path) + show.reverse_subpage("feed")


def podcast_guid_for(url: str) -> uuid.UUID:
    """UUIDv5 of the feed URL without its scheme and trailing slash (Podcasting 2.0)."""
    bare = url.split("://", 1)[-1].rstrip("/")
    return uuid.uuid5(PODCAST_NAMESPACE, bare)


def fix_podcast_guid(*, show) -> uuid.UUID:
    """Give a show its GUID when it is first published; never change it afterwards."""
    if show.podcast_guid:
        return show.podcast_guid
    guid = podcast_guid_for(feed_url(show))
    type(show).objects.filter(pk=show.pk, podcast_guid__isnull=True).update(podcast_guid=guid)
    show.podcast_guid = type(show).objects.values_list("podcast_guid", flat=True).get(pk=show.pk)
    return show.podcast_guid


# ----- download counting ------------------------------------------------------------


def merge_ranges(ranges) -> list[list[int]]:
    """Sorted, joined inclusive byte ranges ([0, 9] and [10, 19] become [0, 19])."""
    merged: list[list[int]] = []
    for start, end in sorted((int(s), int(e)) for s, e in ranges):
        if merged and start <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return merged


def covers(ranges, threshold: int) -> bool:
    """Do the ranges hold every byte from the start up to ``threshold``?"""
    return bool(ranges) and ranges[0][0] == 0 and ranges[0][1] >= threshold - 1


def listener_digest(*, ip: str, user_agent: str, day) -> str:
    """A listener within one day (the site's daily salt, IPv6 cut to its /64)."""
    return counting.visitor_digest(ip=ip, user_agent=user_agent, scope="podcast", day=day)


def _forget_earlier_days(day) -> None:
    if cache.add(f"podcasts:forgotten:{day.isoformat()}", 1, 60 * 60 * 25):
        ListenerProgress.objects.filter(day__lt=day).delete()


def _add_download(*, day, show_id: int, episode_id: int, app: str) -> None:
    counting.add_to_count(
        DownloadCount,
        key={"day": day, "episode_id": episode_id, "app": app},
        defaults={"show_id": show_id},
    )


def record_range(
    *,
    episode_id: int,
    show_id: int,
    threshold: int,
    listener: str,
    app: str,
    start: int,
    end: int,
    day,
) -> bool:
    """Add the byte range ``start``-``end`` (inclusive) a listener fetched; True when
    this completes a download. The listener's row is locked, so concurrent range
    requests of one listener join their ranges and count once."""
    if end - start + 1 <= PROBE_BYTES or threshold <= 0:
        return False
    key = {"day": day, "episode_id": episode_id, "listener": listener}
    with transaction.atomic():
        row = ListenerProgress.objects.select_for_update().filter(**key).first()
        if row is None:
            try:
                with transaction.atomic():
                    row = ListenerProgress.objects.create(ranges=[], **key)
            except IntegrityError:
                row = ListenerProgress.objects.select_for_update().get(**key)
        if row.counted:
            return False
        row.ranges = merge_ranges([*row.ranges, [start, end]])
        row.counted = covers(row.ranges, threshold)
        row.save(update_fields=["ranges", "counted"])
        if row.counted:
            _add_download(day=day, show_id=show_id, episode_id=episode_id, app=app)
        return row.counted


def client_ip(request) -> str:
    """The listener's address: ``PODCASTS_CLIENT_IP_HEADER`` (default:
    ``LEARNING_CLIENT_IP_HEADER``) behind a proxy."""
    return counting.client_address(
        request, "PODCASTS_CLIENT_IP_HEADER", "LEARNING_CLIENT_IP_HEADER"
    )


def countable(request) -> bool:
    """GETs from people: not HEAD, not bots and crawlers, not an Apple Watch."""
    return counting.countable(request) and not useragents.is_apple_watch(
        request.headers.get("User-Agent", "")
    )


def count_range(request, *, episode, start: int, end: int, now=None) -> bool:
    """Count the bytes ``start``-``end`` one request fetched. Never raises."""
    try:
        if not countable(request):
            return False
        now = now or timezone.now()
        day = timezone.localdate(now)
        user_agent = request.headers.get("User-Agent", "")[:500]
        with transaction.atomic():  # a savepoint: errors never leak into the caller
            _forget_earlier_days(day)
            return record_range(
                episode_id=episode.pk,
                show_id=episode.show_id,
                threshold=episode.download_threshold,
                listener=listener_digest(ip=client_ip(request), user_agent=user_agent, day=day),
                app=useragents.app_name(user_agent),
                start=start,
                end=end,
                day=day,
            )
    except Exception:
        logger.exception("Download counting failed for episode %s", getattr(episode, "pk", "?"))
        return False
