"""Is a page visible to the public (or to this visitor)? One answer for every view and feed.

Wagtail's page serving checks view restrictions (login, password, groups, on the page or
an ancestor) and live status; views of our own that take an id (registration form,
session .ics) and feeds (agenda .ics, podcast feed and enclosures) must do the same:

- ``public_pages(queryset)`` (``website.queries``, re-exported here) narrows a page
  queryset to pages without a restriction on themselves or an ancestor; feeds and
  listings use it, since calendar and podcast apps never sign in.
- ``visible_to(page, request)`` is true for a live page whose restrictions this visitor
  passes (signed in, in the group, or the password given earlier in this session): the
  check for views that take an id.
"""

from __future__ import annotations

from website.queries import public_pages

__all__ = ["is_public", "public_pages", "visible_to"]


def is_public(page) -> bool:
    """Live and without a view restriction on the page or an ancestor."""
    return bool(page.live) and not page.get_view_restrictions().exists()


def visible_to(page, request) -> bool:
    """Live, and every view restriction on the page or an ancestor lets this request in."""
    if not page.live:
        return False
    return all(r.accept_request(request) for r in page.get_view_restrictions())
