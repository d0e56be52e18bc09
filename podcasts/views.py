"""The feed, the counting enclosure endpoint and range-capable audio delivery."""

from __future__ import annotations

import hashlib
import logging
from functools import partial

from django.conf import settings
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response
from django.utils.http import http_date
from django.views.decorators.http import require_safe

from website.routing import cache_get, cache_set, cached, content_stamp_for

from . import feeds, selectors, services
from .delivery import Unsatisfiable, parse_range, ranged_file_response
from .models import PodcastEpisodePage

logger = logging.getLogger(__name__)

FEED_TYPE = "application/rss+xml; charset=utf-8"
FEED_MAX_AGE = 300


def audio_delivery() -> str:
    """ "django": the enclosure redirects to our own range-capable view (the default);
    "storage": it redirects to the file's storage URL (nginx, whitenoise or an S3
    bucket that serves ranges itself; counting then uses the requested ranges)."""
    return getattr(settings, "PODCASTS_AUDIO_DELIVERY", "django")


class _FeedUrls:
    def __init__(self, base: str):
        self.base = base

    def page(self, episode) -> str:
        return selectors.absolute(episode.get_url() or episode.url_path)

    def enclosure(self, episode) -> str:
        return self.base + selectors.enclosure_path(episode)

    def document(self, document) -> str:
        return selectors.absolute(document.url)


def build_feed(show, *, now) -> dict:
    data = selectors.feed_data(show, now=now)
    show = data.show
    feed_url = services.feed_url(show)
    guid = show.podcast_guid or services.podcast_guid_for(feed_url)
    artwork_url = ""
    if show.artwork_id:
        try:
            rendition = show.artwork.get_rendition(show.feed_artwork_spec)
        except Exception:  # a missing or broken image file must not break the feed
            logger.exception("Artwork rendition failed for show %s", show.pk)
        else:
            artwork_url = selectors.absolute(rendition.url)
    body = feeds.render_feed(
        data=data,
        feed_url=feed_url,
        guid=guid,
        show_url=selectors.absolute(show.get_url() or show.url_path),
        base_url=selectors.base_url(),
        artwork_url=artwork_url,
        urls=_FeedUrls(selectors.base_url()),
    )
    return {
        "body": body,
        "etag": '"' + hashlib.sha256(body).hexdigest()[:32] + '"',
        "last_modified": int(data.last_modified.timestamp()),
        "valid_until": data.valid_until,
    }


def feed_response(request, *, show):
    """The show's feed: cached under the content stamp (bumped on every publish, change
    or unpublish) until the next scheduled episode is due; ETag and Last-Modified
    answer conditional requests with 304, also when served from the whole-page cache
    (website.pagecache replays the stored ETag and Last-Modified)."""
    now = timezone.now()
    preview = getattr(request, "is_preview", False)
    key = f"podcasts:feed:{content_stamp_for(request)}:{show.pk}"
    entry = None if preview else cache_get(key)
    if entry is None or (entry["valid_until"] and entry["valid_until"] <= now):
        entry = build_feed(show, now=now)
        if not preview:
            cache_set(key, entry, 60 * 60)
    response = get_conditional_response(
        request, etag=entry["etag"], last_modified=entry["last_modified"]
    )
    if response is None:
        response = HttpResponse(entry["body"], content_type=FEED_TYPE)
    response["ETag"] = entry["etag"]
    response["Last-Modified"] = http_date(entry["last_modified"])
    response["Cache-Control"] = f"public, max-age={FEED_MAX_AGE}"
    return response


def _episode(request, key, ext) -> PodcastEpisodePage:
    """The public episode with this enclosure, with its audio document: from the shared
    cache under the content stamp (a podcast app asks for the same file many times, in
    chunks); an unknown key is asked of the database each time (never remembered)."""

    def load():
        episode = (
            selectors.with_show_id(selectors.public_episodes())
            .select_related("audio")
            .filter(enclosure_uuid=key, audio_type=ext)
            .first()
        )
        if episode is None or not episode.audio_id:
            raise Http404
        return episode

    return cached(f"podcasts:enclosure:{content_stamp_for(request)}:{key}:{ext}", load)


@require_safe
def enclosure(request, key, ext):
    """The enclosure URL in the feed: stable once published; redirects to the file."""
    episode = _episode(request, key, ext)
    if audio_delivery() == "storage":
        target = episode.audio.file.url
        response = HttpResponseRedirect(target)
        requested = _requested_range(request, episode.audio_size)
        if requested and services.countable(request):
            response._resource_closers.append(
                partial(
                    services.count_range,
                    request,
                    episode=episode,
                    start=requested[0],
                    end=requested[1],
                )
            )
    else:
        target = reverse("podcasts:audio", kwargs={"key": key, "ext": ext})
        response = HttpResponseRedirect(target)
    response["Cache-Control"] = "no-store"
    return response


def _requested_range(request, size):
    try:
        wanted = parse_range(request.headers.get("Range", ""), size)
    except Unsatisfiable:
        return None
    return wanted or (0, size - 1)


@require_safe
def audio(request, key, ext):
    """The audio bytes with Range support; counts the bytes it actually sent."""
    episode = _episode(request, key, ext)
    document = episode.audio
    size = episode.audio_size
    etag = '"' + hashlib.sha256(episode.audio_source.encode()).hexdigest()[:24] + '"'
    try:
        return _serve(request, episode, document, size, etag, ext)
    except OSError:
        logger.warning("Audio file missing for episode %s", episode.pk)
        raise Http404 from None


def _serve(request, episode, document, size, etag, ext):
    return ranged_file_response(
        request,
        open_file=lambda: document.file.open("rb"),
        size=size,
        content_type=episode.audio_mime_type,
        etag=etag,
        on_sent=partial(_count_sent, request, episode),
        filename=f"{episode.slug}.{ext}",
    )


def _count_sent(request, episode, start, end):
    services.count_range(request, episode=episode, start=start, end=end)
