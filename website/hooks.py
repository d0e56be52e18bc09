"""Where the apps meet: every cross-app hook, its protocol and the helpers to call it.

``website`` is the ground floor. Apps (``learning``, ``outreach``, ``podcasts`` and any
later one) import ``website`` and never each other (import-linter checks this in
``make lint``). What one app contributes to a screen that another app or ``website``
owns goes through a Wagtail hook named here, registered in the contributing app's
``wagtail_hooks.py``::

    from wagtail import hooks

    from website import hooks as cter

    @hooks.register(cter.CARD_SOURCES, order=20)
    def card_source():
        return cter.CardSource(kinds=Kind.choices, cards=selectors.cards)

Consumers call the helpers below (``card_sources()``, ``card_kinds()``,
``reach_figures()``, ``reach_totals()``, ``activity_lines()``, ``activities()``,
``exclude_unlisted()``, ``seed_demo_content()``, ``scheduled_jobs()``,
``email_delivered_hooks()``); none of them names an app, so a new app plugs in by
registering its functions and nothing else changes.

The hooks (name: what a registered function is called with and returns):

``CARD_SOURCES`` (``cter_card_sources``)
    ``fn() -> CardSource``: the kinds of card an app lists (value, Dutch label) and its
    card function ``cards(*, target_group, theme, kinds, now, limit) -> list[Card]``
    (see ``website.cards``). Provided by outreach (products), learning (trainings,
    webinars), podcasts (episodes); consumed by ``website.cards.collect_cards``: the
    product overview, target-group and theme pages, search's type filter.
``REACH_SOURCES`` (``cter_reach_sources``)
    ``fn(*, page_ids, since, until, by_month) -> Iterable[ReachFigure]``: how often the
    pages ``page_ids`` (None: every page the app knows) were viewed, downloaded, played
    or registered for between the dates ``since`` and ``until`` (inclusive, None: open),
    as a total per page and metric, or per month with ``by_month``. A constant number of
    queries, however many pages. Provided by outreach (page views of every page,
    document downloads of its products), podcasts (episode plays, IAB rules), learning
    (registrations per training); consumed by the communication plan and the
    coordinator dashboard.
``ACTIVITY_SOURCES`` (``cter_activity_sources``)
    ``fn() -> ActivitySource``: the target lines an app delivers towards (value, Dutch
    label) and ``count(*, year, now) -> Iterable[ActivityCount]``: how many it delivered,
    has not yet completed and has planned in a calendar year (Europe/Amsterdam).
    Provided by learning (sessions of basic and in-depth trainings and webinars);
    consumed by the yearly targets of the coordinator dashboard. Network events add a
    line of their own.
``UNLISTED_PAGES`` (``cter_unlisted_pages``)
    ``fn() -> QuerySet | Iterable[int]``: ids of live pages an app keeps out of public
    listings though they are published (e.g. a query ``.values("pk")``, used as a
    subquery). Provided by learning (trainings not listed publicly: in-company
    sessions, reachable only through private registration links); consumed by site
    search. The app's own listings, feeds and sitemap entries leave them out themselves.
``PAGE_CACHE_HIT`` (``cter_page_cache_hit``)
    ``fn(request, page_id) -> None``: work a page view must still do when the whole-page
    cache answers (``website.pagecache``); ``page_id`` is None for shared views that are
    not pages (search). Provided by outreach (reach counting) and website (popular
    searches). Must never raise into the response (failures are logged).
``DEMO_CONTENT`` (``cter_demo_content``)
    ``fn(*, scale, stdout) -> None``: create or update the app's demo content,
    idempotently. Run by ``manage.py seed_demo`` in hook order (register with
    ``order=``): website 0, learning 20, podcasts 30, insights 35, outreach 40 (it shows
    what the others publish).
``SCHEDULED_JOBS`` (``cter_scheduled_jobs``)
    ``fn(*, now) -> str``: periodic work, run in hook order by ``manage.py run_scheduled``
    (once, from cron, or ``--every SECONDS``, what ``make run`` starts); returns one
    line for the log (counts, never personal data). Must be safe to run again and by
    several schedulers at once (claim what you send). A job that raises is logged and
    does not stop the others. Provided by learning (reminders, surveys, anonymisation,
    order 20) and website (outbox retries, order 100).
``EMAIL_DELIVERED`` (``cter_email_delivered``)
    ``fn(*, tag, now) -> None``: an e-mail stored with ``tag`` (``website.mail``) was
    just delivered; called inside the delivery's transaction (in a savepoint of its
    own: a hook that raises is logged and the delivery stands), so a count kept here
    is exact. Only for e-mails with a non-empty tag.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import models
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks

if TYPE_CHECKING:
    from website.cards import Card

CARD_SOURCES = "cter_card_sources"
REACH_SOURCES = "cter_reach_sources"
ACTIVITY_SOURCES = "cter_activity_sources"
UNLISTED_PAGES = "cter_unlisted_pages"
PAGE_CACHE_HIT = "cter_page_cache_hit"
DEMO_CONTENT = "cter_demo_content"
SCHEDULED_JOBS = "cter_scheduled_jobs"
EMAIL_DELIVERED = "cter_email_delivered"


# ----- cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSource:
    kinds: Sequence[tuple[str, Any]]  # (Card.kind, Dutch label) the source can list
    cards: Callable[..., list[Card]]  # cards(*, target_group, theme, kinds, now, limit)


def card_sources() -> list[CardSource]:
    return [fn() for fn in hooks.get_hooks(CARD_SOURCES)]


def card_kinds() -> list[tuple[str, Any]]:
    """Every kind of card on the site, in hook order: the type filters' choices."""
    seen: dict[str, Any] = {}
    for source in card_sources():
        for value, label in source.kinds:
            seen.setdefault(str(value), label)
    return list(seen.items())


# ----- reach --------------------------------------------------------------------------


class ReachMetric(models.TextChoices):
    VIEWS = "views", _("views")
    DOWNLOADS = "downloads", _("downloads")
    PLAYS = "plays", _("plays")
    REGISTRATIONS = "registrations", _("registrations")


@dataclass(frozen=True)
class ReachFigure:
    page_id: int
    metric: str  # a ReachMetric value
    value: int
    month: dt.date | None = None  # the first day of the month, with ``by_month``


def reach_figures(
    *,
    page_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    by_month: bool = False,
) -> list[ReachFigure]:
    """The figures of every reach source (one or a few queries per source)."""
    ids = None if page_ids is None else sorted(set(page_ids))
    if ids == []:
        return []
    found: list[ReachFigure] = []
    for fn in hooks.get_hooks(REACH_SOURCES):
        found.extend(fn(page_ids=ids, since=since, until=until, by_month=by_month))
    return found


def in_period(rows, field: str, *, since: dt.date | None, until: dt.date | None):
    """``rows`` whose ``field`` (a date, or a moment by its local date) lies between
    ``since`` and ``until``, both inclusive; on a moment as a range, so indexes help."""
    if isinstance(rows.model._meta.get_field(field), models.DateTimeField):
        zone = timezone.get_current_timezone()
        if since is not None:
            rows = rows.filter(**{f"{field}__gte": dt.datetime.combine(since, dt.time.min, zone)})
        if until is not None:
            next_day = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, zone)
            rows = rows.filter(**{f"{field}__lt": next_day})
        return rows
    if since is not None:
        rows = rows.filter(**{f"{field}__gte": since})
    if until is not None:
        rows = rows.filter(**{f"{field}__lte": until})
    return rows


def month_of(field: str) -> TruncMonth:
    """The first day of the (local) month of a date or moment field, as a date."""
    return TruncMonth(field, output_field=models.DateField())


def figures_per_page(
    rows,
    *,
    page: str,
    day: str,
    metric: str,
    value,
    page_ids: Iterable[int] | None,
    since: dt.date | None,
    until: dt.date | None,
    by_month: bool,
) -> list[ReachFigure]:
    """What most reach sources do, in one query: ``rows`` of the pages ``page_ids`` (the
    page field ``page``) in the period, grouped by page (and the month of ``day``),
    ``value`` an aggregate such as ``Count("pk")`` or ``Sum("count")``."""
    if page_ids is not None:
        rows = rows.filter(**{f"{page}__in": list(page_ids)})
    rows = in_period(rows, day, since=since, until=until)
    fields = [page]
    if by_month:
        rows = rows.annotate(month=month_of(day))
        fields.append("month")
    return [
        ReachFigure(row[page], metric, row["value"], row.get("month"))
        for row in rows.values(*fields).annotate(value=value).order_by()
    ]


def reach_totals(
    *,
    page_ids: Iterable[int] | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> dict[int, dict[str, int]]:
    """{page id: {metric: total}}; a metric no source reported for a page is absent."""
    totals: dict[int, dict[str, int]] = defaultdict(dict)
    for figure in reach_figures(page_ids=page_ids, since=since, until=until):
        metrics = totals[figure.page_id]
        metrics[figure.metric] = metrics.get(figure.metric, 0) + figure.value
    return dict(totals)


# ----- activities towards the yearly targets -------------------------------------------


class ActivityStatus(models.TextChoices):
    DELIVERED = "delivered", _("delivered")
    UNCONFIRMED = "unconfirmed", _("not yet completed")
    PLANNED = "planned", _("planned")


@dataclass(frozen=True)
class ActivityCount:
    line: str  # a target line of the source, e.g. "basic_training"
    status: str  # an ActivityStatus value
    count: int
    url: str = ""  # where a coordinator sees what is behind the number (may be empty)


@dataclass(frozen=True)
class ActivitySource:
    lines: Sequence[tuple[str, Any]]  # (line, Dutch label)
    count: Callable[..., Iterable[ActivityCount]]  # count(*, year, now)


def activity_sources() -> list[ActivitySource]:
    return [fn() for fn in hooks.get_hooks(ACTIVITY_SOURCES)]


def activity_lines() -> list[tuple[str, Any]]:
    """Every target line on the site, in hook order (the targets' choices)."""
    return [line for source in activity_sources() for line in source.lines]


def activities(*, year: int, now: dt.datetime) -> list[ActivityCount]:
    return [found for source in activity_sources() for found in source.count(year=year, now=now)]


# ----- pages kept out of public listings -------------------------------------------------


def exclude_unlisted(pages: models.QuerySet) -> models.QuerySet:
    """``pages`` without the pages any app keeps out of public listings."""
    for fn in hooks.get_hooks(UNLISTED_PAGES):
        pages = pages.exclude(pk__in=fn())
    return pages


# ----- page cache hits and demo content --------------------------------------------------


def page_cache_hit_hooks() -> list[Callable]:
    return hooks.get_hooks(PAGE_CACHE_HIT)


def seed_demo_content(*, scale: int, stdout) -> list[str]:
    """Run every app's demo seeding in hook order; the names of the functions run."""
    done = []
    for fn in hooks.get_hooks(DEMO_CONTENT):
        fn(scale=scale, stdout=stdout)
        done.append(f"{fn.__module__}.{fn.__name__}")
    return done


# ----- scheduled jobs and e-mail delivery ------------------------------------------------


def scheduled_jobs() -> list[Callable[..., str]]:
    return hooks.get_hooks(SCHEDULED_JOBS)


def email_delivered_hooks() -> list[Callable[..., None]]:
    return hooks.get_hooks(EMAIL_DELIVERED)
