"""Whole-page cache for anonymous visitors of Wagtail pages.

Most visitors are anonymous professionals reading the same public pages, so a rendered
page is kept in the shared cache (Redis in production, so every app server shares it)
and served again without routing, queries or template rendering. Correctness rules:

- Only GET/HEAD requests without a session or messages cookie, so editors, people who
  just posted a form and anyone with a login never get (or fill) a shared copy.
- Only responses from Wagtail's page serving (marked by the ``on_serve_page`` hook in
  ``website.wagtail_hooks``) of page types that allow it (``page_cache = True``, the
  default), with status 200, no cookie set (a page with a form and a CSRF token always
  sets the CSRF cookie, so it is never shared) and no private Cache-Control.
  ``Vary: Cookie`` alone is allowed: the site's layout reads ``request.user`` (Wagtail's
  user bar), which marks every page as varying on the session cookie, and requests that
  carry a session cookie never touch the shared copy.
- The key leaves out campaign parameters (utm_*, fbclid, ...), which change nothing.
- The key carries the release (``website.release``) and the content stamp
  (``website.stamps``), bumped on every change to
  published content and to the facts pages show (places left), so a change is visible
  at once on every server; and a time bucket, so time-driven changes (a deadline that
  passes, an episode whose publication time arrives) show within ``PAGE_CACHE_SECONDS``.
  Each path's bucket is offset by its hash, so pages do not all expire at once.
- Work a page view must still do on a hit (privacy-friendly reach counting) runs
  through the ``cter_page_cache_hit`` hook: ``fn(request, page_id)`` (page_id None for
  shared views and non-HTML sub-routes such as a feed).
- Shared copies carry ``Cache-Control`` (``PAGE_CACHE_CONTROL``, default ``public,
  max-age=0, must-revalidate``), an ``ETag`` (a fingerprint of the content) and
  ``Last-Modified``, so browsers and a reverse proxy revalidate: a conditional request
  gets a 304 without a body, on a hit and on a miss.
- No stampede after a publish: the first request for a page after the stamp moves
  takes a render lock in the shared cache (``cache.add``, so it holds across app
  servers); requests for that page meanwhile get the previous copy (``X-Page-Cache:
  stale``, the latest copy of the path within this release) or, when there is none,
  wait up to ``PAGE_CACHE_WAIT_SECONDS`` for the fresh copy before rendering themselves.
"""

from __future__ import annotations

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.urls import Resolver404, get_urlconf, resolve
from django.utils.cache import cc_delim_re, get_conditional_response, set_response_etag
from django.utils.http import http_date, parse_http_date_safe, urlencode
from wagtail.views import serve as wagtail_serve

from website.hooks import page_cache_hit_hooks
from website.release import release
from website.routing import prime_site, stamp_for

logger = logging.getLogger(__name__)

MARK = "cter_page_cache_page_id"
VIEW = "view"  # the mark of a shared view's response (not a page)
SKIP_PREFIXES = ("/admin/", "/django-admin/", "/documents/", "/media/", "/static/")


def _seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_SECONDS", 0) or 0)


def request_is_cacheable(request) -> bool:
    if request.method not in ("GET", "HEAD"):
        return False
    if request.path.startswith(SKIP_PREFIXES):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    return "HTTP_AUTHORIZATION" not in request.META


def _is_page_path(path: str) -> bool:
    """Only Wagtail's page serving and views decorated with ``shared_for_anonymous`` can
    fill the cache; other views pay nothing."""
    try:
        func = resolve(path).func
    except Resolver404:
        return False
    return func is wagtail_serve or getattr(func, "page_cacheable", False)


def shared_for_anonymous(view):
    """Let a public, read-only view's responses be shared like pages (e.g. search).
    Work a hit must still do goes in a ``cter_page_cache_hit`` hook (page_id None)."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        setattr(response, MARK, VIEW)
        return response

    wrapper.page_cacheable = True
    return wrapper


def response_is_cacheable(request, response) -> bool:
    if request.method != "GET" or not getattr(response, MARK, None):
        return False
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", ""))}
    if "*" in vary or vary - {"", "cookie", "accept-language", "accept-encoding"}:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    return not any(word in cache_control for word in ("private", "no-store", "no-cache"))


# Campaign and click-tracking parameters change nothing on a page: one shared copy.
TRACKING_PARAMS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid", "_ga"})


def keyed_path(request) -> str:
    """The path and the query parameters that can change the page, in request order."""
    kept = [
        (name, value)
        for name, values in request.GET.lists()
        if not name.lower().startswith("utm_") and name.lower() not in TRACKING_PARAMS
        for value in values
    ]
    return request.path + ("?" + urlencode(kept) if kept else "")


def cache_key(request, *, seconds: int) -> str:
    path = hashlib.sha256(keyed_path(request).encode()).hexdigest()
    # Each page's time bucket starts at its own offset, so copies do not all expire in
    # the same second (no stampede of re-renders every PAGE_CACHE_SECONDS).
    offset = int(path[:8], 16) % seconds
    bucket = int((time.time() + offset) // seconds)
    host = request.get_host().lower()
    return f"pagecache:{stamp_for(request)}:{bucket}:{host}:{path}"


# A render in progress (per page and stamp) holds a lock in the shared cache, so after
# a publish one app server renders a page while the others serve the previous copy
# (stale-while-revalidate) or, without one, wait briefly for the fresh copy.
LOCK_SECONDS = 30  # a crashed renderer's lock runs out after this
POLL_SECONDS = 0.05


def _wait_seconds() -> float:
    return float(getattr(settings, "PAGE_CACHE_WAIT_SECONDS", 5))


def _stale_seconds() -> int:
    return int(getattr(settings, "PAGE_CACHE_STALE_SECONDS", 24 * 60 * 60))


def stale_key(request) -> str:
    """The latest copy of a path, whatever the stamp: served while another server
    renders the fresh one. Within one release only (a deploy may change the assets)."""
    path = hashlib.sha256(keyed_path(request).encode()).hexdigest()
    return f"pagecache-stale:{release()}:{request.get_host().lower()}:{path}"


def cache_control() -> str:
    return getattr(settings, "PAGE_CACHE_CONTROL", "public, max-age=0, must-revalidate")


@functools.lru_cache(maxsize=4096)
def _is_page_path_cached(urlconf, path: str) -> bool:
    return _is_page_path(path)


class PageCacheMiddleware:
    """Sits just inside WhiteNoise, before the session middleware: a hit skips the rest
    of the stack; the stored headers already include what the inner middleware added.

    A hit costs the content stamp (one query), one cache read and the
    ``cter_page_cache_hit`` hooks; the site is looked up (from the cache) only when a
    page is rendered."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or not _is_page_path_cached(
            get_urlconf(settings.ROOT_URLCONF), request.path_info
        ):
            return self.get_response(request)
        seconds = _seconds()
        if not seconds or not request_is_cacheable(request):
            return self.render(request)
        try:
            key = cache_key(request, seconds=seconds)
            entry = cache.get(key)
        except Exception:  # a cache outage must not take the site down
            logger.exception("Page cache unavailable")
            return self.render(request)
        if entry is not None:
            if entry.get("pass"):  # this page's responses cannot be shared (a form)
                return self.render(request)
            return self.replay(request, entry, "hit")
        if request.method == "HEAD":
            # Rendered, neither stored nor remembered as "cannot be shared": a monitor's
            # HEAD must not keep the page out of the cache for the GETs after it.
            return self.render(request)
        return self.fill(request, key, seconds)

    def render(self, request):
        try:
            prime_site(request)  # cached site and content stamp, also for editors
        except Exception:
            logger.exception("Site lookup from the cache failed")
        return self.get_response(request)

    def fill(self, request, key: str, seconds: int):
        """A miss: render and store, unless another server is rendering this page right
        now (its lock is in the shared cache); then serve the previous copy, or wait for
        the fresh one (and render after all when it does not come)."""
        lock = f"{key}:rendering"
        stale = stale_key(request)
        try:
            locked = cache.add(lock, 1, LOCK_SECONDS)
            if not locked:
                previous = cache.get(stale)
                if previous is not None:
                    return self.replay(request, previous, "stale")
                entry = self.wait_for(key)
                if entry is not None and not entry.get("pass"):
                    return self.replay(request, entry, "hit")
        except Exception:
            logger.exception("Page cache unavailable")
            locked = False
        try:
            response = self.render(request)
            if response_is_cacheable(request, response):
                entry = self.store(request, response, key, stale, seconds)
                response["X-Page-Cache"] = "miss"
                return self.conditional(request, response) if entry else response
            if response.status_code in (404, 410):
                _forget(stale)  # an unpublished page: never served stale again
            # Nothing to share (a form with a CSRF cookie, a 404): say so, so that requests
            # waiting for this render, and the next ones, render without the lock.
            _remember(key, PASS, seconds)
            return response
        finally:
            if locked:
                _forget(lock)

    def wait_for(self, key: str):
        deadline = time.monotonic() + _wait_seconds()
        while time.monotonic() < deadline:
            time.sleep(POLL_SECONDS)
            entry = cache.get(key)
            if entry is not None:
                return entry
        return None

    def store(self, request, response, key: str, stale: str, seconds: int):
        mark = getattr(response, MARK)
        is_html = response.get("Content-Type", "").startswith("text/html")
        # Revalidation by proxies and browsers: a fingerprint of the content (the same
        # after a re-render that changed nothing) and the time it was rendered.
        set_response_etag(response)
        if not response.has_header("Last-Modified"):
            response["Last-Modified"] = http_date()
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = cache_control()
        entry = {
            # a hit counts as a view of the page only when it is the page itself (not
            # its feed or another sub-route)
            "page_id": None if mark == VIEW or not is_html else mark,
            "status": response.status_code,
            "headers": [(k, v) for k, v in response.items() if k.lower() != "set-cookie"],
            "content": response.content,
        }
        try:
            cache.set(key, entry, seconds)
            cache.set(stale, entry, _stale_seconds())
        except Exception:
            logger.exception("Page cache unavailable")
            return None
        return entry

    def replay(self, request, entry, state: str):
        response = HttpResponse(entry["content"], status=entry["status"])
        for header, value in entry["headers"]:
            response[header] = value
        response["X-Page-Cache"] = state
        response = self.conditional(request, response)
        for fn in page_cache_hit_hooks():
            try:
                fn(request, entry["page_id"])
            except Exception:
                logger.exception("Page cache hit hook failed")
        return response

    @staticmethod
    def conditional(request, response):
        """A stored ETag or Last-Modified answers conditional requests (browsers,
        proxies, feed readers and podcast apps poll with If-None-Match): 304, no body."""
        if response.has_header("ETag") or response.has_header("Last-Modified"):
            return (
                get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                    response=response,
                )
                or response
            )
        return response


PASS = {"pass": True}


def _remember(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception:
        logger.exception("Page cache unavailable")


def _forget(key: str) -> None:
    try:
        cache.delete(key)
    except Exception:
        logger.exception("Page cache unavailable")


def mark_cacheable(page, request, response) -> None:
    """Page types opt out with ``page_cache = False``; a single response (e.g. a feed
    route that answers conditional requests itself) with ``response.page_cache = False``."""
    if (
        getattr(page, "page_cache", True)
        and getattr(response, "page_cache", True)
        and not getattr(request, "is_preview", False)
    ):
        setattr(response, MARK, page.pk)
