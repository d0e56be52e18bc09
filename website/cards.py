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

A source also answers ``about(*, page_ids, now)``: the cards of exactly those pages
(live, public), with ``target_groups`` (ids) and ``themes`` (tag slugs) filled in, so a
subscription can tell what a newly published page is about without importing its app.
``with_topics`` fills them for a page model with ``target_groups`` and ``tags``;
``cards_about`` asks every source.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models
from django.utils import timezone

from website.hooks import card_sources
from website.models import TargetGroup


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
