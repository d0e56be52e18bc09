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
``personal_data_sources()``, ``exclude_unlisted()``, ``participation()``, ``audiences()``,
``planned_products()``, ``upcoming_activities()``, ``open_requests()``,
``local_picture_municipalities()``, ``seed_demo_content()``, ``seed_volume_content()``,
``scheduled_jobs()``, ``email_delivered_hooks()``); none of them names an app, so a new app plugs in by
registering its functions and nothing else changes.

The hooks (name: what a registered function is called with and returns):

``CARD_SOURCES`` (``cter_card_sources``)
    ``fn() -> CardSource``: the kinds of card an app lists (value, Dutch label) and its
    card function ``cards(*, target_group, theme, kinds, now, limit, page_ids) -> list[Card]``
    (see ``website.cards``), plus ``about(*, page_ids, now) -> list[Card]``: the cards of
    exactly those pages with their target groups and themes filled in (what a published
    page is about, for mailings). Optional (add them: listings then filter, sort and page
    in the database and build only the cards shown): ``entries(*, target_group, theme,
    kinds, now) -> QuerySet`` (the source's pages with ``card_entries()``'s sort columns)
    and ``cards_by_id(*, page_ids, now) -> list[Card]``. Provided by outreach
    (products), learning (trainings, webinars), podcasts (episodes); consumed by
    ``website.cards.card_page`` (product overview, target-group and theme pages),
    ``card_page_ids`` (search's filters), ``collect_cards`` and ``cards_about``
    (subscriptions).
``REACH_SOURCES`` (``cter_reach_sources``)
    ``fn(*, page_ids, since, until, by_month) -> Iterable[ReachFigure]``: how often the
    pages ``page_ids`` (None: every page the app knows) were viewed, downloaded, played
    or registered for between the dates ``since`` and ``until`` (inclusive, None: open),
    as a total per page and metric, or per month with ``by_month``. A constant number of
    queries, however many pages. Provided by outreach (page views of every page,
    document downloads of its products), podcasts (episode plays, IAB rules), learning
    (registrations per training), subscriptions (e-mails that announced the page and
    clicks on their links); consumed by the communication plan and the coordinator
    dashboard.
``ACTIVITY_SOURCES`` (``cter_activity_sources``)
    ``fn() -> ActivitySource``: the target lines an app delivers towards (value, Dutch
    label) and ``count(*, year, now) -> Iterable[ActivityCount]``: how many it delivered,
    has not yet completed and has planned in a calendar year (Europe/Amsterdam).
    Provided by learning (sessions of basic and in-depth trainings and webinars);
    consumed by the yearly targets of the coordinator dashboard. Network events add a
    line of their own.
``PERSONAL_DATA`` (``cter_personal_data``)
    ``fn() -> PersonalDataSource``: everything an app stores about one e-mail address
    (data-subject rights, issue 14): ``find(*, email) -> list[PersonalRecord]`` (records
    with Dutch field names, for the coordinator's screen and the exports),
    ``blockers(*, email, now) -> list[str]`` (Dutch reasons the data cannot be erased
    yet, e.g. a registration for a session still to come) and ``erase(*, email, now) ->
    dict[str, int]`` (wipe or delete it, keeping the facts reports need, as the retention
    job does; the number of records per kind). Provided by learning (registrations,
    participant details, evaluations, sign-in links, requests) and website (the outgoing
    e-mails of every app); consumed by ``website.personal_data`` (the coordinator's screen under Settings and
    "Mijn trainingen"'s own export).
``UNLISTED_PAGES`` (``cter_unlisted_pages``)
    ``fn() -> QuerySet | Iterable[int]``: ids of live pages an app keeps out of public
    listings though they are published (e.g. a query ``.values("pk")``, used as a
    subquery). Provided by learning (trainings not listed publicly: in-company
    sessions, reachable only through private registration links); consumed by site
    search. The app's own listings, feeds and sitemap entries leave them out themselves.
``PARTICIPATION_SOURCES`` (``cter_participation_sources``)
    ``fn(*, by, since, until, region_id, target_group_id) -> Iterable[Participation]``:
    who took part in the app's activities that started between the dates ``since`` and
    ``until`` (inclusive, Europe/Amsterdam, None: open), one row per target group,
    municipality or region (``by``, a ``ParticipationBy`` value; ``key`` None is "no
    listed municipality", or the single row of ``by="total"``), optionally only people
    from ``region_id`` or of ``target_group_id``. Unique people are counted by a
    surrogate person key kept through anonymisation. ONE aggregate query (GROUP BY).
    Provided by learning (registrations for sessions); consumed by the reach report
    and the year overview of the coordinator dashboard (``reporting``).
``AUDIENCE_SOURCES`` (``cter_audience_sources``)
    ``fn(*, page_ids) -> Iterable[tuple[int, int]]``: (page id, target group id) for the
    pages the app made for target groups (None: all of them). ONE query. Provided by
    outreach (products), learning (trainings, webinars), podcasts (episodes); consumed by
    the reach report ("views and downloads of the products made for a group").
``PLANNED_PRODUCTS`` (``cter_planned_products``)
    ``fn(*, years) -> Iterable[PlannedProduct]``: the products of the communication plans
    of those years (title, target group, planned month, linked page if published). ONE
    query. Provided by outreach; consumed by the reach report (per product per month).
``UPCOMING_ACTIVITIES`` (``cter_upcoming_activities``)
    ``fn(*, now, limit, waiting_only) -> Iterable[UpcomingActivity]``: the next
    activities people register for, with places taken (``waiting_only``: only those with
    people on a waiting list), soonest first. ONE query. Provided by learning (sessions);
    consumed by the coordinator dashboard.
``OPEN_REQUESTS`` (``cter_open_requests``)
    ``fn(*, now, limit) -> Iterable[OpenRequest]``: requests waiting for a coordinator,
    oldest first. ONE query. Provided by learning (in company, pressure cooker); consumed
    by the coordinator dashboard.
``LOCAL_PICTURES`` (``cter_local_pictures``)
    ``fn(*, years) -> Iterable[int]``: ids of the municipalities that delivered a local
    CTER picture in any of ``years`` (calendar years of the delivery date). ONE query,
    whatever the number of years. Provided by the regional picture (``insights``: its
    Lokale beelden); consumed by the municipality coverage of the reach report, next to
    what coordinators record themselves for pictures not entered there.
``PAGE_CACHE_HIT`` (``cter_page_cache_hit``)
    ``fn(request, page_id) -> None``: work a page view must still do when the whole-page
    cache answers (``website.pagecache``); ``page_id`` is None for shared views that are
    not pages (search). Provided by outreach (reach counting) and website (popular
    searches). Must never raise into the response (failures are logged).
``VOLUME_CONTENT`` (``cter_volume_content``)
    ``fn(*, registrations, counts, years, now, stdout) -> int``: bulk-create a large,
    realistic history over the last ``years`` calendar years on top of the demo content
    (``manage.py seed_volume``, for benchmarks): learning ``registrations``
    registrations; the counting apps up to ``counts`` daily view/download rows (podcasts
    a tenth, outreach the rest, in hook order). Returns the number of count rows made.
    Idempotent: an app that finds its volume data already there does nothing.
``DEMO_CONTENT`` (``cter_demo_content``)
    ``fn(*, scale, stdout) -> None``: create or update the app's demo content,
    idempotently. Run by ``manage.py seed_demo`` in hook order (register with
    ``order=``): website 0, learning 20, podcasts 30, insights 35, outreach 40 (it shows
    what the others publish), reporting 50 (targets and municipality coverage).
``SCHEDULED_JOBS`` (``cter_scheduled_jobs``)
    ``fn(*, now) -> str``: periodic work, run in hook order by ``manage.py run_scheduled``
    (once, from cron, or ``--every SECONDS``, what ``make run`` starts); returns one
    line for the log (counts, never personal data). Must be safe to run again and by
    several schedulers at once (claim what you send). A job that raises is logged and
    does not stop the others. Provided by learning (reminders, surveys, anonymisation,
    order 20), subscriptions (mailings still sending, monthly overviews, clean-up of
    unconfirmed subscriptions and old claims, order 30) and website (outbox retries,
    order 100; the task worker's heartbeat for ``/health/``, order 110).
``SITE_LINKS`` (``cter_site_links``)
    ``fn() -> SiteLink``: a link every page may offer (name, Dutch label, URL, short
    Dutch description), e.g. subscriptions' "Houd mij op de hoogte". The footer lists
    them all; a template asks for one by name with ``{% site_link "subscribe" as link %}``
    (``site_tags``), so landing pages link to it without knowing the app. No queries.
``EMAIL_DELIVERED`` (``cter_email_delivered``)
    ``fn(*, tag, now) -> None``: an e-mail stored with ``tag`` (``website.mail``) was
    just delivered; called once per e-mail, inside the short transaction that records
    the delivery (in a savepoint of its own: a hook that raises is logged and the
    delivery stands), so a count kept here is exact. Only for e-mails with a non-empty
    tag. Provided by subscriptions (messages delivered per mailing).
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
PARTICIPATION_SOURCES = "cter_participation_sources"
AUDIENCE_SOURCES = "cter_audience_sources"
PLANNED_PRODUCTS = "cter_planned_products"
UPCOMING_ACTIVITIES = "cter_upcoming_activities"
OPEN_REQUESTS = "cter_open_requests"
LOCAL_PICTURES = "cter_local_pictures"
VOLUME_CONTENT = "cter_volume_content"
PAGE_CACHE_HIT = "cter_page_cache_hit"
PERSONAL_DATA = "cter_personal_data"
DEMO_CONTENT = "cter_demo_content"
SCHEDULED_JOBS = "cter_scheduled_jobs"
SITE_LINKS = "cter_site_links"
EMAIL_DELIVERED = "cter_email_delivered"


# ----- cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class CardSource:
    kinds: Sequence[tuple[str, Any]]  # (Card.kind, Dutch label) the source can list
    cards: Callable[..., list[Card]]  # cards(*, target_group, theme, kinds, now, limit)
    # Optional, for listings that page in the database (website.cards.card_page):
    # entries(*, target_group, theme, kinds, now) -> QuerySet (website.cards.card_entries)
    entries: Callable[..., Any] | None = None
    # cards_by_id(*, page_ids, now) -> list[Card]
    cards_by_id: Callable[..., list[Card]] | None = None
    # about(*, page_ids, now): cards of these pages with target groups and themes
    about: Callable[..., list[Card]] | None = None


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
    MAILED = "mailed", _("e-mails to subscribers")
    MAIL_CLICKS = "mail_clicks", _("clicks from e-mails")


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


# ----- personal data (data-subject rights) -------------------------------------------------


@dataclass(frozen=True)
class PersonalRecord:
    kind: Any  # Dutch name of the kind of record, e.g. "Aanmelding"
    fields: Sequence[tuple[Any, Any]]  # (Dutch field name, value), in reading order


@dataclass(frozen=True)
class PersonalDataSource:
    label: Any  # Dutch name of the part of the site, e.g. "Trainingen"
    find: Callable[..., list[PersonalRecord]]  # find(*, email)
    blockers: Callable[..., list[str]]  # blockers(*, email, now)
    erase: Callable[..., dict[str, int]]  # erase(*, email, now) -> {kind: records}


def personal_data_sources() -> list[PersonalDataSource]:
    return [fn() for fn in hooks.get_hooks(PERSONAL_DATA)]


# ----- pages kept out of public listings -------------------------------------------------


def exclude_unlisted(pages: models.QuerySet) -> models.QuerySet:
    """``pages`` without the pages any app keeps out of public listings."""
    for fn in hooks.get_hooks(UNLISTED_PAGES):
        pages = pages.exclude(pk__in=fn())
    return pages


# ----- participation, audiences, the plan (the reach report) ---------------------------


class ParticipationBy(models.TextChoices):
    TARGET_GROUP = "target_group", _("target group")
    MUNICIPALITY = "municipality", _("municipality")
    REGION = "region", _("region")
    TOTAL = "total", _("total")


@dataclass(frozen=True)
class Participation:
    """Who took part, for one target group, municipality or region (``key``, its id)."""

    key: int | None
    registrations: int = 0  # not cancelled, for activities that were not cancelled
    participants: int = 0  # unique people with a confirmed place
    present: int = 0  # confirmed and marked present
    absent: int = 0  # confirmed and marked absent (attendance rate: present / both)
    organisations: int = 0  # unique organisations of the confirmed places
    municipalities: int = 0  # unique (listed) municipalities of the confirmed places
    activities_attended: int = 0  # activities with at least one of them present

    def __add__(self, other: Participation) -> Participation:
        # Unique counts of two sources add up: someone in both counts twice.
        return Participation(
            self.key,
            *(
                getattr(self, name) + getattr(other, name)
                for name in (
                    "registrations",
                    "participants",
                    "present",
                    "absent",
                    "organisations",
                    "municipalities",
                    "activities_attended",
                )
            ),
        )

    @property
    def attendance_rate(self) -> int | None:
        """Percentage present of the confirmed places whose attendance was recorded."""
        recorded = self.present + self.absent
        return round(100 * self.present / recorded) if recorded else None


def participation(
    *,
    by: str,
    since: dt.date | None = None,
    until: dt.date | None = None,
    region_id: int | None = None,
    target_group_id: int | None = None,
) -> dict[int | None, Participation]:
    """{key: Participation} over every participation source (one query per source)."""
    found: dict[int | None, Participation] = {}
    for fn in hooks.get_hooks(PARTICIPATION_SOURCES):
        for row in fn(
            by=by,
            since=since,
            until=until,
            region_id=region_id,
            target_group_id=target_group_id,
        ):
            found[row.key] = found[row.key] + row if row.key in found else row
    return found


def audiences(*, page_ids: Iterable[int] | None = None) -> dict[int, set[int]]:
    """{page id: {target group ids}} of every page made for target groups."""
    ids = None if page_ids is None else sorted(set(page_ids))
    found: dict[int, set[int]] = defaultdict(set)
    if ids == []:
        return {}
    for fn in hooks.get_hooks(AUDIENCE_SOURCES):
        for page_id, group_id in fn(page_ids=ids):
            found[page_id].add(group_id)
    return dict(found)


@dataclass(frozen=True)
class PlannedProduct:
    year: int
    title: str
    target_group_id: int | None
    month: int | None = None  # planned month (1-12)
    status: str = ""  # Dutch label of the plan's status
    page_id: int | None = None  # the published product, once linked


def planned_products(*, years: Iterable[int]) -> list[PlannedProduct]:
    years = sorted(set(years))
    return [found for fn in hooks.get_hooks(PLANNED_PRODUCTS) for found in fn(years=years)]


# ----- the coordinator's agenda ---------------------------------------------------------


@dataclass(frozen=True)
class UpcomingActivity:
    title: str
    starts_at: dt.datetime
    url: str  # where a coordinator manages it
    capacity: int
    confirmed: int
    waiting: int = 0

    @property
    def fill_rate(self) -> int:
        return round(100 * self.confirmed / self.capacity) if self.capacity else 100


def upcoming_activities(
    *, now: dt.datetime, limit: int = 8, waiting_only: bool = False
) -> list[UpcomingActivity]:
    found = [
        item
        for fn in hooks.get_hooks(UPCOMING_ACTIVITIES)
        for item in fn(now=now, limit=limit, waiting_only=waiting_only)
    ]
    return sorted(found, key=lambda item: item.starts_at)[:limit]


@dataclass(frozen=True)
class OpenRequest:
    kind: str  # Dutch label: "Training in company", "Pressure cooker"
    label: str  # who asks (organisation or municipality)
    status: str  # Dutch label
    received_at: dt.datetime
    url: str


def open_requests(*, now: dt.datetime, limit: int = 8) -> list[OpenRequest]:
    found = [item for fn in hooks.get_hooks(OPEN_REQUESTS) for item in fn(now=now, limit=limit)]
    return sorted(found, key=lambda item: item.received_at)[:limit]


def local_picture_municipalities(*, years: Iterable[int]) -> set[int]:
    years = sorted(set(years))
    return {pk for fn in hooks.get_hooks(LOCAL_PICTURES) for pk in fn(years=years)}


# ----- page cache hits and demo content --------------------------------------------------


def page_cache_hit_hooks() -> list[Callable]:
    return hooks.get_hooks(PAGE_CACHE_HIT)


def seed_volume_content(
    *, registrations: int, counts: int, years: int, now: dt.datetime, stdout
) -> int:
    """Run every app's volume seeding in hook order; the count rows made in all."""
    made = 0
    for fn in hooks.get_hooks(VOLUME_CONTENT):
        made += fn(
            registrations=registrations,
            counts=max(counts - made, 0),
            years=years,
            now=now,
            stdout=stdout,
        )
    return made


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


# ----- links every page may offer --------------------------------------------------------


@dataclass(frozen=True)
class SiteLink:
    name: str  # what templates ask for, e.g. "subscribe"
    label: Any  # Dutch link text
    url: str
    description: Any = ""  # one Dutch sentence, for pages that explain the link


def site_links() -> dict[str, SiteLink]:
    """Every site-wide link, by name, in hook order."""
    found: dict[str, SiteLink] = {}
    for fn in hooks.get_hooks(SITE_LINKS):
        link = fn()
        found.setdefault(link.name, link)
    return found
