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
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from website.hooks import card_sources


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
