"""Fewer queries per rendered page: what every page needs and rarely changes (the
site, the route from a URL to a page, the breadcrumb trail, the site settings) is kept
in the shared cache under the content stamp (``website.stamps``), so a change anywhere
is seen at once on every app server and nothing has to be purged by hand.

Wagtail walks a URL one level at a time (a child lookup plus a ``.specific`` fetch per
level); a cached route holds the specific page itself, so routing reads no row. A route
that ends inside a routable page (extra path after the page's own URL, e.g. a feed) keeps
the page and the rest of the path: the page routes the rest itself on every request.
"""

from __future__ import annotations

import logging

from django.core.cache import cache
from wagtail.models import Site
from wagtail.url_routing import RouteResult

from website import stamps
from website.release import release

logger = logging.getLogger(__name__)

TIMEOUT = 60 * 60  # entries are keyed on the stamp; the timeout only frees memory


def stamp_for(request=None) -> str:
    """Release, content and facts stamps, read once per request (``request`` None: outside
    one): the version part of every cache key of rendered output (a whole page, a
    fragment, cards)."""
    stamp = getattr(request, "_rendered_stamp", None)
    if stamp is None:
        stamp = f"{content_stamp_for(request)}.{stamps.facts()}"
        if request is not None:
            request._rendered_stamp = stamp
    return stamp


def content_stamp_for(request=None) -> str:
    """Release and content stamp: the version part of the cache keys of what only
    content changes (routes, pages, the site, settings, view restrictions, reference
    data), so that a registration (a fact) re-renders pages without routing them again."""
    stamp = getattr(request, "_content_stamp", None)
    if stamp is None:
        stamp = f"{release()}.{stamps.current()}"
        if request is not None:
            request._content_stamp = stamp
    return stamp


def cache_get(key):
    """The shared cache, or None when it is unavailable (logged, never raised)."""
    try:
        return cache.get(key)
    except Exception:
        logger.exception("Cache unavailable")
        return None


def cache_set(key, value, timeout: int = TIMEOUT) -> None:
    """Store in the shared cache; an outage is logged, never raised."""
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.exception("Cache unavailable")


def cache_get_many(keys) -> dict:
    """Several entries of the shared cache ({} when it is unavailable: logged)."""
    try:
        return cache.get_many(keys)
    except Exception:
        logger.exception("Cache unavailable")
        return {}


def cache_set_many(values: dict, timeout: int = TIMEOUT) -> None:
    """Store several entries in the shared cache; an outage is logged, never raised."""
    try:
        cache.set_many(values, timeout)
    except Exception:
        logger.exception("Cache unavailable")


def cached(key: str, load, timeout: int = TIMEOUT):
    """What ``load()`` returns, from the shared cache under ``key`` (which names the
    content stamp, so a change shows at once): loaded and stored on a miss, or on every
    call while the cache is unavailable. A None result or an exception is not stored."""
    found = cache_get(key)
    if found is None:
        found = load()
        if found is not None:
            cache_set(key, found, timeout)
    return found


def prime_site(request) -> None:
    """Set the site Wagtail would look up for this request (``request._wagtail_site``),
    with its root page already specific, from the cache."""
    if hasattr(request, "_wagtail_site"):
        return
    try:
        host = request.get_host()
    except Exception:  # DisallowedHost: let Django answer it later
        return

    def load():
        site = Site.find_for_request(request)
        if site is not None:
            site.root_page = site.root_page.specific
        return site

    site = cached(f"site:{content_stamp_for(request)}:{host.lower()}:{request.get_port()}", load)
    if site is not None:
        request._wagtail_site = site


class CachedRouteMixin:
    """For the site's root page type: routes to pages below it from the cache."""

    def route(self, request, path_components):
        if not path_components:
            return super().route(request, path_components)
        key = f"page:{content_stamp_for(request)}:{self.pk}:{'/'.join(path_components)}"
        hit = cache_get(key)
        if hit is not None:
            page, rest = hit
            return page.route(request, rest)
        result = super().route(request, path_components)
        page = result.page if isinstance(result, RouteResult) else result[0]
        wanted = self.url_path + "/".join(path_components) + "/"
        if wanted.startswith(page.url_path):
            # The specific page itself (not only its id): a routed request reads no page
            # row. Keyed on the content stamp, which every save or publish moves. What
            # follows a routable page's own path (its feed) it routes itself each time.
            rest = [part for part in wanted[len(page.url_path) :].split("/") if part]
            cache_set(key, (page, rest))
        return result


def cached_page(request, model, page_id: int):
    """The ``model`` page with ``page_id`` from the shared cache under the request's
    content stamp (every save, publish or move moves it), else from the database."""
    key = f"page-id:{content_stamp_for(request)}:{model._meta.label_lower}:{page_id}"
    return cached(key, lambda: model.objects.get(pk=page_id))


def breadcrumb_trail(request, page) -> list[tuple[str, str, int]]:
    """(url, title, depth) of the page's ancestors below the tree root, cached."""
    site = getattr(request, "_wagtail_site", None)
    key = f"crumbs:{content_stamp_for(request)}:{site.pk if site else 0}:{page.pk}"
    return cached(
        key,
        lambda: [
            (ancestor.get_url(request=request), ancestor.title, ancestor.depth)
            for ancestor in page.get_ancestors().filter(depth__gt=1)
        ],
    )


def cached_setting(model, request, load):
    """A site-wide setting row from the cache (``load`` reads it from the database)."""
    return cached(f"setting:{content_stamp_for(request)}:{model._meta.label_lower}", load)
