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
- ``view_restrictions(page, request)``: the restrictions on the page and its ancestors,
  from the shared cache under the content stamp (a restriction's change, a page's move
  or publish moves it), so neither check queries on every request.
"""

from __future__ import annotations

from wagtail.models import Page

from website.queries import public_pages
from website.routing import cached, content_stamp_for

__all__ = ["is_public", "public_pages", "view_restrictions", "visible_to"]


def is_public(page) -> bool:
    """Live and without a view restriction on the page or an ancestor."""
    return bool(page.live) and not page.get_view_restrictions().exists()


def visible_to(page, request) -> bool:
    """Live, and every view restriction on the page or an ancestor lets this request in."""
    if not page.live:
        return False
    return all(r.accept_request(request) for r in view_restrictions(page, request))


def view_restrictions(page, request) -> list:
    """The view restrictions of the page and its ancestors (aliases resolved, as
    Wagtail's ``Page.get_view_restrictions``), from the shared cache."""
    key = f"restrictions:{content_stamp_for(request)}:{page.pk}"
    return cached(key, lambda: list(Page.get_view_restrictions(page)))
