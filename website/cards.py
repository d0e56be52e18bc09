"""The shared listing card.

Everything the communication plan publishes (info sheets, animations, webinar
recordings in `outreach`; trainings and webinars in `learning`; podcast episodes
in `podcasts`) is listed through one card, rendered by
`templates/components/card.html`, without copying data between apps.

Each app registers a card source (``website.hooks.CARD_SOURCES``): the kinds it lists
and a function::

    def cards(*, target_group=None, theme=None, kinds=None, now=None, limit=None) -> list[Card]

- ``target_group``: a ``website.TargetGroup`` (or None for all)
- ``theme``: a taggit tag slug (str) (or None)
- ``kinds``: an iterable of ``Card.kind`` values to include (or None for all)
- ``now``: the current time (aware datetime), for "next session" and "published" rules

It returns live, public items only, in a constant number of queries however
many items there are. `collect_cards` merges what every source gives.

Listings that page (the product overview, target-group and theme pages, search's
filters) use two optional functions of a source instead, so they filter, sort and
page in the database and build only the cards shown (``card_page``):

    def entries(*, target_group=None, theme=None, kinds=None, now=None) -> QuerySet

      the source's matching pages with the sort columns ``card_entries()`` adds (one
      queryset: ``card_page`` unions every source's and orders, counts and slices it);

    def cards_by_id(*, page_ids, now=None) -> list[Card]

      the cards of those pages (any order), in a constant number of queries.

A source without them still works: its listings then build every card in Python.
Listings read at the current time (no ``now`` given) keep what they build in the shared
cache for ``CARD_CACHE_SECONDS`` (0: off): the ordered entries of each filter and each
page's card, under keys that carry the release, the content stamp (moved by every
change to published content and to the facts cards show, such as places left) and a
time bucket, so a change shows at once on every server and a time-driven one (a session
that starts, a product whose publication date arrives) within the bucket. A card is
built once per stamp, whichever listing shows it first.

A source also answers ``about(*, page_ids, now)``: the cards of exactly those pages
(live, public), with ``target_groups`` (ids) and ``themes`` (tag slugs) filled in, so a
subscription can tell what a newly published page is about without importing its app.
``with_topics`` fills them for a page model with ``target_groups`` and ``tags``;
``cards_about`` asks every source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, zip_longest
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Case, ExpressionWrapper, F, Value, When, Window
from django.db.models.functions import Cast, RowNumber
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language

from website.hooks import card_sources
from website.models import TargetGroup
from website.routing import cache_get_many, cache_set_many, cached, stamp_for

CARD_TEMPLATE = "components/card.html"


@dataclass(frozen=True)
class Card:
    kind: str  # machine value, e.g. "training", "webinar", "episode", "infosheet"
    kind_label: str  # Dutch label shown on the card, e.g. "Training"
    title: str
    url: str
    page_id: int | None = None
    summary: str = ""
    # The date the listing sorts on: next session for trainings, publication date otherwise.
    date: dt.datetime | dt.date | None = None
    date_label: str = ""  # e.g. "Volgende sessie: 3 maart 2027"
    upcoming: bool = False  # True when `date` is a future event (sorted first, soonest first)
    meta: tuple[str, ...] = ()  # short facts: "Online", "2 uur", "Basis"
    badge: str = ""  # e.g. "Nog 3 plekken"
    badge_tone: str = ""  # "", "ok", "warning", "error"
    image: Any = None  # a wagtail Image, rendered as a rendition when present
    extra: dict = field(default_factory=dict)
    # Only from a source's ``about``: what the page is about.
    target_groups: tuple[int, ...] = ()  # website.TargetGroup ids
    themes: tuple[str, ...] = ()  # taggit tag slugs
    # Only from the card cache: the card rendered as listings show it (heading level 3).
    html: str = ""


def _sort_key(card: Card):
    """Upcoming events first (soonest first), then the rest newest first."""
    when = card.date
    if isinstance(when, dt.date) and not isinstance(when, dt.datetime):
        when = dt.datetime.combine(when, dt.time.min, tzinfo=timezone.get_current_timezone())
    stamp = when.timestamp() if when else float("-inf")
    return (0, stamp) if card.upcoming else (1, -stamp)


def sort_cards(cards: list[Card]) -> list[Card]:
    return sorted(cards, key=_sort_key)


def collect_cards(*, target_group=None, theme=None, kinds=None, now=None, limit=None):
    """Cards from every app, upcoming first, then newest first."""
    now = now or timezone.now()
    found: list[Card] = []
    for source in card_sources():
        found.extend(source.cards(target_group=target_group, theme=theme, kinds=kinds, now=now))
    ordered = sort_cards(found)
    return ordered[:limit] if limit else ordered


def with_topics(cards: list[Card], model, *, groups="target_groups", themes="tags") -> list[Card]:
    """``cards`` with the target groups and themes of their pages (``model``), in three
    queries however many cards."""
    ids = [card.page_id for card in cards if card.page_id]
    if not ids:
        return cards
    pages = model.objects.filter(pk__in=ids).prefetch_related(
        models.Prefetch(groups, queryset=TargetGroup.objects.only("pk")),
        themes,
    )
    topics = {
        page.pk: (
            tuple(sorted(g.pk for g in getattr(page, groups).all())),
            tuple(sorted(t.slug for t in getattr(page, themes).all())),
        )
        for page in pages
    }
    return [
        dataclasses.replace(
            card,
            target_groups=topics.get(card.page_id, ((), ()))[0],
            themes=topics.get(card.page_id, ((), ()))[1],
        )
        for card in cards
    ]


def cards_about(*, page_ids: Iterable[int], now=None) -> dict[int, Card]:
    """{page id: card with target groups and themes} for the pages any source lists."""
    ids = sorted(set(page_ids))
    if not ids:
        return {}
    now = now or timezone.now()
    found: dict[int, Card] = {}
    for source in card_sources():
        if source.about is None:
            continue
        for card in source.about(page_ids=ids, now=now):
            if card.page_id is not None:
                found.setdefault(card.page_id, card)
    return found


# ----- the card cache ----------------------------------------------------------------------


def _cache_seconds() -> int:
    return int(getattr(settings, "CARD_CACHE_SECONDS", 0) or 0)


def cache_prefix(*, now=None) -> str | None:
    """The version part of card cache keys (release, content and facts stamps, time bucket
    and language: one query), or None when nothing is cached: the cache is off, or the
    caller asks about a given moment (``now``) rather than the present."""
    seconds = _cache_seconds()
    if not seconds or now is not None:
        return None
    bucket = int(time.time() // seconds)
    return f"cards:{stamp_for()}:{bucket}:{get_language() or ''}"


def _cached_rows(prefix: str | None, build, *parts) -> list[dict]:
    """The entry rows ``build()`` returns, from the cache under ``prefix`` and ``parts``."""
    if prefix is None:
        return build()
    key = f"{prefix}:rows:" + hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return cached(key, build, 2 * _cache_seconds())


# ----- paging in the database ------------------------------------------------------------

COLUMNS = ("card_page", "card_kind", "card_rank", "card_upcoming_at", "card_published_at")


def card_entries(rows, *, kind, published_at, upcoming_at=None):
    """What a source's ``entries`` returns: its pages ``rows`` (already filtered) with
    the sort columns: ``kind`` (an expression or a str), ``published_at`` (when it was
    published: newest first) and ``upcoming_at`` (the start of its next event, or None:
    upcoming events come first, soonest first)."""
    # Only sorted on, never read back: a field without converters (SQLite would hand
    # the date column's values to a datetime converter).
    when = models.TextField()
    kind = Value(kind, output_field=models.CharField()) if isinstance(kind, str) else kind
    # A typed NULL: PostgreSQL's UNION cannot match an untyped (text) one with a timestamp.
    no_event = ExpressionWrapper(Cast(Value(None), models.DateTimeField()), output_field=when)
    upcoming = no_event if upcoming_at is None else upcoming_at
    # No casts: PostgreSQL's UNION resolves date and timestamp columns to timestamp, and
    # SQLite compares the ISO texts; a cast only costs compile time on every request.
    return (
        rows.order_by()
        .annotate(
            card_page=F("pk"),
            card_kind=kind,
            card_upcoming_at=upcoming,
            card_published_at=ExpressionWrapper(published_at, output_field=when),
        )
        .annotate(
            card_rank=Case(
                When(card_upcoming_at__isnull=False, then=Value(0)),
                default=Value(1),
                output_field=models.IntegerField(),
            )
        )
    )


def _ordering():
    return [
        F("card_rank").asc(),
        F("card_upcoming_at").asc(),
        F("card_published_at").desc(),
        F("card_page").desc(),
    ]


def _union(*, target_group, theme, kinds, now, page_ids=None, exclude_ids=(), interleave=False):
    """One query over every source's entries ([] when none can match), or None when a
    source has no ``entries``."""
    sources = card_sources()
    if any(getattr(s, "entries", None) is None for s in sources):
        return None
    positions = {str(value): i for i, (value, _label) in enumerate(_all_kinds(sources))}
    kind_order = Case(
        *[When(card_kind=value, then=Value(i)) for value, i in positions.items()],
        default=Value(len(positions)),
        output_field=models.IntegerField(),
    )
    members = []
    for source in sources:
        rows = source.entries(target_group=target_group, theme=theme, kinds=kinds, now=now)
        if rows.query.is_empty():  # e.g. a filter on a kind this source does not list
            continue
        if page_ids is not None:
            rows = rows.filter(pk__in=list(page_ids))
        if exclude_ids:
            rows = rows.exclude(pk__in=list(exclude_ids))
        rows = rows.annotate(
            card_order=kind_order,
            # the n-th card of its kind: the unfiltered overview shows the kinds in turn
            card_round=Window(RowNumber(), partition_by=[F("card_kind")], order_by=_ordering()),
        )
        members.append(rows.values(*COLUMNS, "card_order", "card_round"))
    if not members:
        return []
    union = members[0].union(*members[1:], all=True) if len(members) > 1 else members[0]
    if interleave:
        return union.order_by("card_round", "card_order")
    return union.order_by("card_rank", "card_upcoming_at", "-card_published_at", "-card_page")


def _all_kinds(sources):
    seen = {}
    for source in sources:
        for value, label in source.kinds:
            seen.setdefault(str(value), label)
    return list(seen.items())


def _with_html(card: Card) -> Card:
    """The card with its HTML as listings show it: cached with it, so a listing renders
    no card template and asks for no image rendition of a card it showed before."""
    html = render_to_string(CARD_TEMPLATE, {"card": card, "heading_level": 3})
    return dataclasses.replace(card, html=html)


def cards_for_rows(rows, *, now, prefix=None) -> list[Card]:
    """The cards of entry rows (dicts with ``card_page`` and ``card_kind``), in their
    order: one call of each source's ``cards_by_id`` for the kinds it lists (with a
    cache ``prefix``: only for the cards not in the cache)."""
    found: dict[int, Card] = {}
    if prefix is not None:
        keys = {f"{prefix}:card:{row['card_page']}": row["card_page"] for row in rows}
        found = {keys[key]: card for key, card in cache_get_many(list(keys)).items()}
    by_source: dict[int, list[int]] = {}
    sources = card_sources()
    owner = {str(value): i for i, s in enumerate(sources) for value, _label in s.kinds}
    for row in rows:
        if row["card_page"] not in found:
            by_source.setdefault(owner.get(row["card_kind"], -1), []).append(row["card_page"])
    built: dict[int, Card] = {}
    for index, page_ids in by_source.items():
        if index < 0:
            continue
        for card in sources[index].cards_by_id(page_ids=page_ids, now=now):
            built[card.page_id] = card
    if prefix is not None and built:
        built = {pk: _with_html(card) for pk, card in built.items()}
        cache_set_many(
            {f"{prefix}:card:{pk}": card for pk, card in built.items()}, 2 * _cache_seconds()
        )
    found.update(built)
    return [found[row["card_page"]] for row in rows if row["card_page"] in found]


def _entry_rows(prefix, parts, **union_kwargs) -> list[dict] | None:
    """The ordered entry rows of ``_union(**union_kwargs)`` (from the cache under
    ``prefix`` and ``parts`` when they are there: the union is then not even built), or
    None when a source has no ``entries``."""
    if any(getattr(s, "entries", None) is None for s in card_sources()):
        return None

    def build():
        return list(_union(**union_kwargs) or [])

    return _cached_rows(prefix, build, *parts)


def card_page(
    *,
    target_group=None,
    theme=None,
    kinds=None,
    now=None,
    page_number=None,
    per_page=12,
    interleave=False,
    exclude_ids=(),
):
    """One page of cards (a ``django.core.paginator.Page`` of Card), filtered and sorted
    in the database: one union query for the ordered entries and the queries of the
    sources' ``cards_by_id`` for the page's cards, whatever the number of items. Unfiltered
    overviews pass ``interleave``: one card of each kind in turn."""
    prefix = cache_prefix(now=now)
    now = now or timezone.now()
    # One query returns the ordered entries (page id, kind and the sort columns: small
    # rows) of every match: the count and the page come from it, which costs less than
    # compiling the union twice (COUNT, then LIMIT/OFFSET). Only the page's cards are built.
    group_id = target_group.pk if target_group is not None else None
    kinds = sorted(kinds) if kinds else None
    entries = _entry_rows(
        prefix,
        ("page", group_id, theme, kinds, sorted(exclude_ids), interleave),
        target_group=target_group,
        theme=theme,
        kinds=kinds,
        now=now,
        exclude_ids=exclude_ids,
        interleave=interleave,
    )
    if entries is None:  # a source without ``entries``: every card built in Python
        found = collect_cards(target_group=target_group, theme=theme, kinds=kinds, now=now)
        found = [c for c in found if c.page_id not in set(exclude_ids)]
        if interleave:
            found = interleave_kinds(found)
        return Paginator(found, per_page).get_page(page_number)
    page = Paginator(entries, per_page).get_page(page_number)
    rows = list(page.object_list)
    page.object_list = cards_for_rows(rows, now=now, prefix=prefix) if rows else []
    return page


def cards_by_ids(page_ids, *, now=None) -> list[Card]:
    """The cards of the given pages in the given order (e.g. an editor's pinned items);
    pages no source lists (not live, not public) are left out."""
    ids = [pk for pk in page_ids if pk]
    if not ids:
        return []
    prefix = cache_prefix(now=now)
    now = now or timezone.now()
    rows = _entry_rows(
        prefix,
        ("ids", sorted(ids)),
        target_group=None,
        theme=None,
        kinds=None,
        now=now,
        page_ids=ids,
    )
    if rows is None:
        by_id = {c.page_id: c for c in collect_cards(now=now) if c.page_id in set(ids)}
    else:
        by_id = {c.page_id: c for c in cards_for_rows(rows, now=now, prefix=prefix)}
    return [by_id[pk] for pk in ids if pk in by_id]


def card_page_ids(*, kinds=None, target_group=None, now=None) -> list[int]:
    """Ids of every page the sources list for these filters (search narrows to them)."""
    prefix = cache_prefix(now=now)
    now = now or timezone.now()
    kinds = sorted(kinds) if kinds else None
    rows = _entry_rows(
        prefix,
        ("all", target_group.pk if target_group is not None else None, kinds),
        target_group=target_group,
        theme=None,
        kinds=kinds,
        now=now,
    )
    if rows is None:
        found = collect_cards(target_group=target_group, kinds=kinds, now=now)
        return [card.page_id for card in found if card.page_id]
    return [row["card_page"] for row in rows]


def interleave_kinds(cards: list) -> list:
    """One card of each kind in turn, each kind in its own order (upcoming, then newest)."""
    by_kind: dict[str, list] = {}
    for card in cards:
        by_kind.setdefault(card.kind, []).append(card)
    rounds = zip_longest(*by_kind.values())
    return [card for card in chain.from_iterable(rounds) if card is not None]
