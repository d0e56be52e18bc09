"""Reads for pages, cards and reports: prefetched and annotated, constant query count."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    FloatField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from learning.models import (
    ACTIVE_STATUSES,
    AMSTERDAM,
    ActivityLine,
    Attendance,
    DistinctOrganisations,
    Evaluation,
    Kind,
    Level,
    Organisation,
    Participant,
    Registration,
    RegistrationStatus,
    RequestStatus,
    Session,
    SessionStatus,
    SignInToken,
    TrainingPage,
    TrainingRequest,
    TrainingTag,
    Workshop,
    WorkshopChoice,
)
from learning.services.organisations import similar
from website.cards import Card, card_entries, sort_cards, with_topics
from website.hooks import (
    ActivityCount,
    ActivityStatus,
    OpenRequest,
    Participation,
    ParticipationBy,
    PersonalRecord,
    ReachFigure,
    ReachMetric,
    UpcomingActivity,
    figures_per_page,
)
from website.models import Region, TargetGroup
from website.queries import Prepared, public_pages
from website.routing import cached_page


def registrations_counted(status: str):
    """The outer session's registrations with ``status``, counted in a subquery on the
    (session, status, created_at) index: evaluated only for the sessions a filter or LIMIT
    keeps, where a JOIN with GROUP BY would make SQLite sort every registration row
    together with all the selected session and page columns."""
    counted = (
        Registration.objects.filter(session=OuterRef("pk"), status=status)
        .order_by()
        .values("session")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted), 0)


def sessions_with_counts():
    """Sessions with their region and confirmed and waiting counts (a JOIN grouped by the
    session's and region's columns only: select no page with it, see
    ``registrations_counted``)."""
    return Session.objects.select_related("region").annotate(
        confirmed_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)
        ),
        waiting_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITING)
        ),
    )


def coordinator_sessions(sessions=None):
    """Sessions for the coordinators' list (``sessions``: those the user may see):
    training, kind and level in the same query, confirmed and waiting counts annotated
    (one query for the whole page)."""
    sessions = Session.objects.all() if sessions is None else sessions
    return sessions.select_related("page", "region").annotate(
        confirmed=registrations_counted(RegistrationStatus.CONFIRMED),
        waiting=registrations_counted(RegistrationStatus.WAITING),
    )


def coordinator_registrations(*, session_id: int, workshops: bool = False):
    """A session's registrations with everything the screen and the export show, and the
    waiting-list position (1 = next to be promoted: the order `promote` uses). With
    ``workshops`` (a network event with rounds) each one's workshop choices come along in one
    more query."""
    registrations = (
        Registration.objects.filter(session_id=session_id)
        .select_related("participant", "organisation", "municipality", "target_group")
        .annotate(
            position_in_status=Window(
                RowNumber(), partition_by=[F("status")], order_by=[F("created_at"), F("pk")]
            )
        )
    )
    if workshops:
        registrations = registrations.prefetch_related(
            Prefetch(
                "workshop_choices",
                queryset=WorkshopChoice.objects.select_related("workshop").order_by("round"),
            )
        )
    return registrations


# What a participant has in their calendar: a change to one of these means an updated invitation.
SCHEDULE_FIELDS = ("date", "start_time", "end_time", "online", "location", "join_url")


def sessions_with_registrants(*, page_id: int) -> dict[int, dict]:
    """The stored schedule of a training's sessions that people are registered for
    (confirmed or waiting), with how many: one query."""
    rows = (
        Session.objects.filter(page_id=page_id)
        .annotate(
            active=Count("registrations", filter=Q(registrations__status__in=ACTIVE_STATUSES))
        )
        .filter(active__gt=0)
        .values("pk", "active", "starts_at", *SCHEDULE_FIELDS)
    )
    return {row["pk"]: row for row in rows}


def schedule_changed(stored: dict, values: dict) -> bool:
    return any(stored[name] != values.get(name) for name in SCHEDULE_FIELDS)


def decorate_session(session: Session, now: dt.datetime) -> Session:
    """Adds places_left, is_full, is_open and badge texts to an annotated session."""
    session.places_left = max(session.capacity - session.confirmed_count, 0)
    session.is_full = session.places_left == 0
    closes_at = session.deadline or session.starts_at
    session.is_open = session.status == SessionStatus.PLANNED and now < closes_at
    session.is_past = session.ends_at <= now
    session.badge, session.badge_tone = badge_for(session)
    return session


def badge_for(session) -> tuple[str, str]:
    if session.status == SessionStatus.CANCELLED:
        return _("Cancelled"), "error"
    if not session.is_open:
        return _("Registration closed"), "error"
    if session.is_full:
        return _("Full, waiting list open"), "warning"
    return (
        ngettext("%(count)d place left", "%(count)d places left", session.places_left)
        % {"count": session.places_left},
        "ok",
    )


@dataclass
class CatalogueEntry:
    page: TrainingPage
    sessions: list[Session] = field(default_factory=list)

    @property
    def next_session(self) -> Session | None:
        return self.sessions[0] if self.sessions else None


def _matching(*, kinds=None, level=None, fmt=None, target_group=None, theme=None):
    pages = public_pages(TrainingPage.objects.live().filter(unlisted=False))
    if kinds:
        pages = pages.filter(kind__in=list(kinds))
    if level:
        pages = pages.filter(level=level)
    if fmt:
        pages = pages.filter(format=fmt)
    if target_group is not None:
        slug = getattr(target_group, "slug", target_group)
        pages = pages.filter(target_groups__slug=slug)
    if theme:
        pages = pages.filter(
            pk__in=TrainingPage.objects.filter(tagged_items__tag__slug=theme).values("pk")
        )
    return pages


def _pages(*, kinds=None, level=None, fmt=None, target_group=None, theme=None, now):
    pages = _matching(kinds=kinds, level=level, fmt=fmt, target_group=target_group, theme=theme)
    upcoming = (
        sessions_with_counts()
        .filter(status=SessionStatus.PLANNED, ends_at__gt=now)
        .order_by("starts_at", "pk")
    )
    return (
        pages.distinct()
        .select_related("prior_training")
        .prefetch_related(Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions"))
        .order_by("title")
    )


def _listed_sessions(*, filters: dict, now):
    """The sessions a catalogue entry lists (upcoming, and matching the session filters:
    region, month, free places), as a subquery of a training (``OuterRef("pk")``)."""
    sessions = Session.objects.filter(
        page=OuterRef("pk"), status=SessionStatus.PLANNED, ends_at__gt=now
    )
    if filters.get("region"):
        sessions = sessions.filter(region__slug=filters["region"])
    if filters.get("month"):
        year, month = filters["month"]
        first = dt.datetime(year, month, 1, tzinfo=AMSTERDAM)
        after = dt.datetime(year + month // 12, month % 12 + 1, 1, tzinfo=AMSTERDAM)
        sessions = sessions.filter(starts_at__gte=first, starts_at__lt=after)
    if filters.get("free"):  # open (before the deadline or the start) with a place left
        confirmed = (
            Registration.objects.filter(session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED)
            .order_by()
            .values("session")
            .annotate(n=Count("pk"))
            .values("n")
        )
        sessions = sessions.filter(
            Q(deadline__gt=now) | Q(deadline__isnull=True, starts_at__gt=now),
            capacity__gt=Coalesce(Subquery(confirmed), 0),
        )
    return sessions


class CatalogueEntries:
    """The catalogue's trainings in order, filtered, sorted, counted and sliced in the
    database: a ``Paginator`` counts them with one query and builds entries (with their
    sessions) only for the page it shows."""

    def __init__(self, pages, *, filters: dict, now):
        self.pages, self.filters, self.now = pages, filters, now

    def count(self) -> int:
        return self.pages.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self._entry(page) for page in self.pages[index]]
        return self._entry(self.pages[index])

    def _entry(self, page) -> CatalogueEntry:
        filters, now = self.filters, self.now
        sessions = [decorate_session(s, now) for s in page.upcoming_sessions]
        if filters.get("region"):
            sessions = [s for s in sessions if s.region and s.region.slug == filters["region"]]
        if filters.get("month"):
            year, month = filters["month"]
            sessions = [
                s
                for s in sessions
                if (s.starts_at.astimezone(AMSTERDAM).year, s.starts_at.astimezone(AMSTERDAM).month)
                == (year, month)
            ]
        if filters.get("free"):
            sessions = [s for s in sessions if s.is_open and not s.is_full]
        return CatalogueEntry(page=page, sessions=sessions)


def catalogue(*, filters: dict | None = None, only_kind: str = "", now=None) -> CatalogueEntries:
    """Trainings with their upcoming sessions, soonest first (then by title; without
    one last); filters as cleaned by ``CatalogueFilterForm`` (level, kind, format,
    target_group, theme, region, month, free). A session filter leaves out trainings
    without a matching session. Sorted and counted in the database; entries are built
    only for the slice asked for (a page of the catalogue)."""
    now = now or timezone.now()
    filters = filters or {}
    kinds = [only_kind] if only_kind else ([filters["kind"]] if filters.get("kind") else None)
    pages = _pages(
        kinds=kinds,
        level=filters.get("level"),
        fmt=filters.get("format"),
        target_group=filters.get("target_group"),
        theme=filters.get("theme"),
        now=now,
    )
    listed = _listed_sessions(filters=filters, now=now)
    pages = pages.annotate(
        next_start=Subquery(listed.order_by("starts_at", "pk").values("starts_at")[:1])
    )
    if any(filters.get(k) for k in ("region", "month", "free")):
        pages = pages.filter(next_start__isnull=False)
    pages = pages.order_by(F("next_start").asc(nulls_last=True), "title", "pk")
    return CatalogueEntries(pages, filters=filters, now=now)


def training_detail(*, page: TrainingPage, now=None) -> dict:
    now = now or timezone.now()
    sessions = [
        decorate_session(s, now)
        for s in sessions_with_counts()
        .filter(page=page, ends_at__gt=now)
        .order_by("starts_at", "pk")
    ]
    return {
        "sessions": sessions,
        "target_groups": list(page.target_groups.select_related("landing_page")),
        "tags": list(page.tags.all()),
        "prior_training": page.prior_training
        if page.prior_training_id and page.prior_training.live and not page.prior_training.unlisted
        else None,
    }


@dataclass
class TrackRegion:
    """One region of a connection track: its meetings and where it stands."""

    region: Region | None
    sessions: list[Session]
    state: str  # "done", "running", "next" or "later"
    open_sessions: list[Session]
    label: str = ""

    @property
    def first(self) -> Session:
        return self.sessions[0]


def _track_regions(sessions: list[Session]) -> list[TrackRegion]:
    groups: dict[int | None, list[Session]] = {}
    for session in sessions:
        groups.setdefault(session.region_id, []).append(session)
    regions = []
    next_found = False
    for group in sorted(groups.values(), key=lambda g: g[0].starts_at):
        if all(s.is_past for s in group):
            state = "done"
        elif any(s.is_past for s in group):
            state = "running"
        elif not next_found:
            state, next_found = "next", True
        else:
            state = "later"
        regions.append(
            TrackRegion(
                region=group[0].region,
                sessions=group,
                state=state,
                open_sessions=[s for s in group if s.is_open],
            )
        )
    return regions


def event_detail(*, page, now=None) -> dict:
    """A network event page: its meetings (a track also shows the past ones, grouped by
    region), the workshop rounds with places left for the next meeting, target groups,
    themes. Constant queries (five), whatever the number of meetings or workshops."""
    now = now or timezone.now()
    all_sessions = [
        decorate_session(s, now)
        for s in sessions_with_counts().filter(page=page).order_by("starts_at", "pk")
    ]
    upcoming = [s for s in all_sessions if not s.is_past]
    workshops = list(page.workshops.all())
    taken: dict[tuple[int, int], int] = {}
    if workshops:
        rows = (
            WorkshopChoice.objects.filter(
                registration__session__page=page, registration__status__in=ACTIVE_STATUSES
            )
            .values_list("registration__session_id", "workshop_id")
            .annotate(n=Count("pk"))
            .order_by()
        )
        taken = {(session_id, workshop_id): n for session_id, workshop_id, n in rows}
    next_open = next((s for s in upcoming if s.is_open), None)
    rounds: dict[int, list] = {}
    for workshop in workshops:
        used = taken.get((next_open.pk, workshop.pk), 0) if next_open else 0
        workshop.places_left = max(workshop.capacity - used, 0)
        rounds.setdefault(workshop.round, []).append(workshop)
    return {
        "sessions": upcoming,
        "regions": _track_regions(all_sessions) if page.is_track else [],
        "rounds": sorted(rounds.items()),
        "target_groups": list(page.target_groups.select_related("landing_page")),
        "tags": list(page.tags.all()),
    }


def track_regions_open(*, page, now=None) -> list[TrackRegion]:
    """Regions of a connection track with meetings open for registration, each with a
    label for the form ("Noord-Holland Noord: 3 meetings from 12 March 2027"). One query."""
    now = now or timezone.now()
    sessions = [
        decorate_session(s, now)
        for s in sessions_with_counts().filter(page=page).order_by("starts_at", "pk")
    ]
    regions = [r for r in _track_regions(sessions) if r.open_sessions and r.region]
    for region in regions:
        count = len(region.open_sessions)
        region.label = ngettext(
            "%(region)s: %(count)d meeting from %(date)s",
            "%(region)s: %(count)d meetings from %(date)s",
            count,
        ) % {
            "region": region.region.name,
            "count": count,
            "date": long_date(region.open_sessions[0].starts_at),
        }
    return regions


def track_outcome(*, page_id: int, registration_ids) -> list[Registration]:
    """The registrations a track registration just made, with their meetings (one query)."""
    return list(
        Registration.objects.filter(pk__in=list(registration_ids)[:50], session__page_id=page_id)
        .select_related("session__region")
        .order_by("session__starts_at", "pk")
    )


def workshop_rounds(*, page_id: int, session_id: int) -> list[tuple[int, list]]:
    """Workshops per round for the registration form and the coordinator's session screen,
    with places taken (confirmed or waiting) and left on this meeting (two queries)."""
    workshops = list(Workshop.objects.filter(page_id=page_id).order_by("round", "sort_order"))
    if not workshops:
        return []
    taken = dict(
        WorkshopChoice.objects.filter(
            registration__session_id=session_id, registration__status__in=ACTIVE_STATUSES
        )
        .values_list("workshop_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    rounds: dict[int, list] = {}
    for workshop in workshops:
        workshop.taken = taken.get(workshop.pk, 0)
        workshop.places_left = max(workshop.capacity - workshop.taken, 0)
        rounds.setdefault(workshop.round, []).append(workshop)
    return sorted(rounds.items())


# The reads of every registration (form and POST), compiled once (website.queries).
_session_by_id = Prepared(lambda pk: Session.objects.filter(pk=pk).order_by()[:1], (int,))
_counts_by_status = Prepared(
    lambda session_id: (
        Registration.objects.filter(session_id=session_id)
        .order_by()
        .values_list("status")
        .annotate(Count("pk"))
    ),
    (int,),
)


def session_for_registration(
    session_id: int | None = None, *, private_token: str | None = None, request=None
) -> Session | None:
    """The session to register for, by id or by its private link's token, with its
    training page from the shared cache (``request``: under the request's content stamp).
    Without its places: a registration POST decides under the lock, and ``count_places``
    adds them when the form is shown."""
    if private_token is not None:
        session = Session.objects.filter(private_link__token=private_token).first()
    else:
        session = _session_by_id.first(session_id)
    if session is not None:
        session.page = (
            cached_page(request, TrainingPage, session.page_id) if request else session.page
        )
    return session


def count_places(session: Session, now) -> Session:
    """The session's places taken and left, in a plain query on the (session, status)
    index whatever the length of its waiting list (building and compiling the same counts
    as two subqueries of the session's query cost the ORM about 7 ms)."""
    counts = dict(_counts_by_status(session.pk))
    session.confirmed_count = counts.get(RegistrationStatus.CONFIRMED, 0)
    session.waiting_count = counts.get(RegistrationStatus.WAITING, 0)
    return decorate_session(session, now)


def unlisted_pages():
    """Trainings not listed publicly (website.hooks.UNLISTED_PAGES): a subquery."""
    return TrainingPage.objects.filter(unlisted=True).values("pk")


def organisation_suggestions(limit: int = 200) -> list[str]:
    """Names offered on the registration form: checked organisations only, never what
    an earlier visitor typed (that would show one person's free text to everyone)."""
    return list(
        Organisation.objects.filter(verified=True, merged_into__isnull=True)
        .order_by("name")
        .values_list("name", flat=True)[:limit]
    )


def registration_counts(page_ids) -> dict[int, int]:
    """Active (confirmed + waiting) registrations per TrainingPage id, one query."""
    rows = (
        Registration.objects.filter(session__page_id__in=list(page_ids), status__in=ACTIVE_STATUSES)
        .values("session__page_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {row["session__page_id"]: row["n"] for row in rows}


def long_date(value) -> str:
    return date_format(value.astimezone(AMSTERDAM), "j F Y")


def meta_for(page: TrainingPage) -> tuple[str, ...]:
    level = "" if page.kind == Kind.NETWORK_EVENT else page.get_level_display()
    return tuple(x for x in (level, page.get_format_display(), page.duration_label) if x)


def entries(*, target_group=None, theme=None, kinds=None, now=None):
    """Card source (website.cards): matching trainings and webinars with their sort
    columns; the next session (the first open one, else the first planned one) makes
    a card upcoming, as in ``cards``."""
    now = now or timezone.now()
    if kinds is not None:
        kinds = [k for k in kinds if k in Kind.values]
        if not kinds:
            return TrainingPage.objects.none()
    planned = Session.objects.filter(
        page=OuterRef("pk"), status=SessionStatus.PLANNED, ends_at__gt=now
    ).order_by("starts_at", "pk")
    open_ = planned.filter(Q(deadline__gt=now) | Q(deadline__isnull=True, starts_at__gt=now))
    pages = _matching(kinds=kinds, target_group=target_group, theme=theme)
    return card_entries(
        pages,
        kind=F("kind"),
        upcoming_at=Coalesce(
            Subquery(open_.values("starts_at")[:1]), Subquery(planned.values("starts_at")[:1])
        ),
        published_at=F("first_published_at"),
    )


def cards_by_id(*, page_ids, now=None) -> list[Card]:
    """Card source (website.cards): the cards of these trainings and webinars."""
    return cards(now=now, page_ids=page_ids)


def cards(
    *, target_group=None, theme=None, kinds=None, now=None, limit=None, page_ids=None
) -> list[Card]:
    now = now or timezone.now()
    if kinds is not None:
        kinds = [k for k in kinds if k in Kind.values]
        if not kinds:
            return []
    pages = _pages(kinds=kinds, target_group=target_group, theme=theme, now=now)
    if page_ids is not None:
        pages = pages.filter(pk__in=list(page_ids))
    found = []
    for page in pages:
        sessions = [decorate_session(s, now) for s in page.upcoming_sessions]
        nxt = next((s for s in sessions if s.is_open), sessions[0] if sessions else None)
        if nxt:
            date, upcoming = nxt.starts_at, True
            date_label = _("Next session: %(date)s") % {"date": long_date(nxt.starts_at)}
            badge, tone = nxt.badge, nxt.badge_tone
        else:
            date, upcoming = page.first_published_at, False
            date_label, badge, tone = _("No sessions planned"), "", ""
        found.append(
            Card(
                kind=page.kind,
                kind_label=str(Kind(page.kind).label),
                title=page.title,
                url=page.url,
                page_id=page.pk,
                summary=page.intro,
                date=date,
                date_label=date_label,
                upcoming=upcoming,
                meta=meta_for(page),
                badge=badge,
                badge_tone=tone,
            )
        )

    ordered = sort_cards(found)
    return ordered[:limit] if limit else ordered


def cards_about(*, page_ids, now=None) -> list[Card]:
    """The cards of these trainings and webinars with their target groups and themes."""
    return with_topics(cards(page_ids=page_ids, now=now), TrainingPage)


def feed_sessions(*, target_group=None, now=None) -> list[Session]:
    now = now or timezone.now()
    pages = public_pages(TrainingPage.objects.live().filter(unlisted=False)).values("pk")
    sessions = Session.objects.filter(
        page__in=pages, status=SessionStatus.PLANNED, ends_at__gt=now
    ).select_related("page")
    if target_group is not None:
        sessions = sessions.filter(page__target_groups=target_group)
    return list(sessions.order_by("starts_at", "pk").distinct())


FILTER_CHOICES_KEY = "learning:filter-choices"


def filter_choices() -> dict:
    """Target groups, themes and regions for the catalogue filters; cached briefly so
    the catalogue does not spend three queries on them per request."""

    def load():
        return {
            "target_group": list(TargetGroup.objects.values_list("slug", "name")),
            "theme": sorted(
                set(TrainingTag.objects.values_list("tag__slug", "tag__name")),
                key=lambda x: x[1],
            ),
            "region": list(Region.objects.values_list("slug", "name")),
        }

    return cache.get_or_set(FILTER_CHOICES_KEY, load, 60)


# ----- after the session (issue 4) -----------------------------------------------------------


def _with_evaluation_flag(registrations):
    return registrations.annotate(
        has_evaluation=Exists(Evaluation.objects.filter(registration=OuterRef("pk")))
    )


def registrations_for_email(*, email: str, now: dt.datetime) -> dict:
    """Everything registered under an address ("Mijn trainingen"): one query."""
    rows = list(
        _with_evaluation_flag(Registration.objects.filter(participant__email__iexact=email.strip()))
        .select_related("session__page", "participant")
        .order_by("session__starts_at", "pk")
    )
    for registration in rows:
        session = registration.session
        registration.dayparts = session.dayparts()
        registration.is_past = session.ends_at <= now
        registration.can_certify = registration.attended
        registration.can_evaluate = (
            registration.can_certify and registration.is_past and not registration.has_evaluation
        )
    return {
        "upcoming": [r for r in rows if not r.is_past],
        "past": sorted(
            (r for r in rows if r.is_past), key=lambda r: r.session.starts_at, reverse=True
        ),
    }


def registration_by_token(token: str):
    return (
        _with_evaluation_flag(Registration.objects.filter(token=token))
        .select_related("session__page", "session__region", "participant")
        .first()
    )


def attendance_counts(session_id: int) -> dict[str, int]:
    rows = (
        Registration.objects.filter(session_id=session_id, status=RegistrationStatus.CONFIRMED)
        .values_list("attendance")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return dict(rows)


def _evaluation_aggregates(prefix: str = "") -> dict:
    p = prefix
    present = Q(**{f"{p}attendance": "present", f"{p}status": RegistrationStatus.CONFIRMED})
    answered = Q(**{f"{p}evaluation__isnull": False})
    return {
        "present": Count(f"{p}pk", filter=present, distinct=True),
        "surveys_sent": Count(f"{p}pk", filter=Q(**{f"{p}survey_sent_at__isnull": False})),
        "responses": Count(f"{p}evaluation", distinct=True),
        "avg_overall": Avg(f"{p}evaluation__overall", output_field=FloatField()),
        "avg_usefulness": Avg(f"{p}evaluation__usefulness", output_field=FloatField()),
        "recommend_yes": Count(
            f"{p}evaluation",
            filter=answered & Q(**{f"{p}evaluation__recommend": True}),
            distinct=True,
        ),
    }


def _rates(row: dict) -> dict:
    present, responses = row["present"], row["responses"]
    row["response_rate"] = round(100 * responses / present) if present else None
    row["recommend_rate"] = round(100 * row["recommend_yes"] / responses) if responses else None
    return row


def evaluation_by_training(*, now: dt.datetime) -> list[dict]:
    """Per training: sessions that took place, attendees, surveys sent, responses, response
    rate, averages (one query)."""
    rows = (
        Registration.objects.filter(session__status=SessionStatus.PLANNED)
        .values("session__page_id", "session__page__title")
        .annotate(
            **_evaluation_aggregates(),
            sessions=Count("session", distinct=True, filter=Q(session__ends_at__lte=now)),
        )
        .filter(present__gt=0)
        .order_by("session__page__title")
    )
    return [_rates(dict(row)) for row in rows]


def evaluation_for_training(*, page_id: int) -> dict:
    """Per session of one training, plus its comments (two queries)."""

    sessions = [
        _rates(dict(row))
        for row in Registration.objects.filter(session__page_id=page_id)
        .values("session_id", "session__starts_at")
        .annotate(**_evaluation_aggregates())
        .filter(present__gt=0)
        .order_by("-session__starts_at")
    ]
    totals = _rates(
        Registration.objects.filter(session__page_id=page_id).aggregate(**_evaluation_aggregates())
    )
    comments = list(
        Evaluation.objects.filter(registration__session__page_id=page_id)
        .exclude(improvement="")
        .select_related("registration__session")
        .order_by("-created_at")
    )
    return {"sessions": sessions, "totals": totals, "comments": comments}


def evaluation_for_session(*, session_id: int) -> dict:
    totals = _rates(
        Registration.objects.filter(session_id=session_id).aggregate(**_evaluation_aggregates())
    )
    comments = list(
        Evaluation.objects.filter(registration__session_id=session_id)
        .exclude(improvement="")
        .order_by("-created_at")
    )
    return {"totals": totals, "comments": comments}


def _organisation_counts(rows):
    return rows.annotate(
        registration_count=Count("registrations", distinct=True),
        attended_count=Count(
            "registrations",
            filter=Q(
                registrations__attendance=Attendance.PRESENT,
                registrations__status=RegistrationStatus.CONFIRMED,
            ),
            distinct=True,
        ),
    )


def organisations_with_counts(*, query: str = ""):
    rows = (
        _organisation_counts(Organisation.objects.filter(merged_into__isnull=True))
        .filter(registration_count__gt=0)
        .select_related("sector", "municipality")
    )
    if query:
        rows = rows.filter(name__icontains=query)
    return rows.order_by("name")


def organisations_counts(*, ids) -> list[Organisation]:
    """The organisations ``ids`` with their registration and attendance counts."""
    return list(_organisation_counts(Organisation.objects.filter(pk__in=list(ids))))


def similar_organisations(*, organisation: Organisation, limit: int = 5) -> list[Organisation]:
    """Organisations in use whose names are most like ``organisation``'s, best first
    (``similarity`` set on each). One query."""
    live = {
        o.pk: o
        for o in Organisation.objects.filter(merged_into__isnull=True).only("pk", "name", "key")
    }
    live[organisation.pk] = organisation
    found = similar(
        {organisation.pk: organisation.key}, {pk: o.key for pk, o in live.items()}, limit=limit
    )
    result = []
    for pk, score in found.get(organisation.pk, []):
        live[pk].similarity = score
        result.append(live[pk])
    return result


@dataclass(frozen=True)
class DuplicateSuggestion:
    organisation: Organisation  # merge this one ...
    match: Organisation  # ... into this one
    score: int  # 0-100


def organisation_duplicates(*, limit: int = 200) -> list[DuplicateSuggestion]:
    """Organisations that are probably the same, for coordinators to merge or keep apart:
    every unchecked organisation with the names most alike (``services.organisations
    .similar``), pairs judged distinct left out. Suggests merging into the checked one,
    else into the one with more registrations. Two queries."""
    live = {
        o.pk: o
        for o in _organisation_counts(Organisation.objects.filter(merged_into__isnull=True))
        .select_related("sector", "municipality")
        .order_by("pk")
    }
    distinct = set(DistinctOrganisations.objects.values_list("first_id", "second_id"))
    found = similar(
        {pk: o.key for pk, o in live.items() if not o.verified},
        {pk: o.key for pk, o in live.items()},
    )
    seen, suggestions = set(), []
    for pk, matches in found.items():
        for other, score in matches:
            pair = (min(pk, other), max(pk, other))
            if pair in distinct or pair in seen:
                continue
            seen.add(pair)
            source, target = live[pk], live[other]
            if not target.verified and (
                (source.registration_count, -source.pk) > (target.registration_count, -target.pk)
            ):
                source, target = target, source
            suggestions.append(DuplicateSuggestion(organisation=source, match=target, score=score))
    suggestions.sort(key=lambda s: (-s.score, s.organisation.name.casefold(), s.organisation.pk))
    return suggestions[:limit]


def organisation_history(*, organisation_id: int) -> list[Registration]:
    """Who from an organisation registered for which session, and whether they came."""
    return list(
        Registration.objects.filter(organisation_id=organisation_id)
        .select_related("session__page", "participant", "target_group")
        .order_by("-session__starts_at", "participant__last_name", "pk")
    )


# ----- figures for other apps (website.hooks: reach and activity sources) ---------------


def reach_figures(*, page_ids=None, since=None, until=None, by_month=False) -> list[ReachFigure]:
    """Reach source: active (confirmed and waiting) registrations per training page,
    by the day they were made (Europe/Amsterdam). One query."""
    return figures_per_page(
        Registration.objects.filter(status__in=ACTIVE_STATUSES),
        page="session__page_id",
        day="created_at",
        metric=ReachMetric.REGISTRATIONS,
        value=Count("pk"),
        page_ids=page_ids,
        since=since,
        until=until,
        by_month=by_month,
    )


ACTIVITY_LINE = Case(
    # First: a network event counts on its own line whatever level it carries (never
    # towards the 4/2/6 training and webinar targets).
    When(page__kind=Kind.NETWORK_EVENT, then=Value(ActivityLine.NETWORK_EVENT.value)),
    When(page__kind=Kind.WEBINAR, then=Value(ActivityLine.WEBINAR.value)),
    When(page__level=Level.BASIC, then=Value(ActivityLine.BASIC_TRAINING.value)),
    When(page__level=Level.IN_DEPTH, then=Value(ActivityLine.IN_DEPTH_TRAINING.value)),
    default=Value(""),
)


def with_activity(sessions, *, now: dt.datetime):
    """Sessions annotated with the target line they count for (``activity_line``) and how
    (``activity_status``: an ActivityStatus value, or "" for not at all), by the counting
    rule of the yearly targets. A cancelled session never counts. A session that has
    taken place is delivered when at least one participant was marked present, not yet
    completed while attendance is unrecorded and someone was confirmed, and counts for
    nothing when attendance was recorded without anyone present (or nobody came).
    Sessions still to end are planned. Trainings count by level; webinars whatever
    their level; network events on their own line. In SQL, so lists and counts use the same rule."""
    confirmed = Registration.objects.filter(
        session=OuterRef("pk"), status=RegistrationStatus.CONFIRMED
    )
    status = Case(
        When(status=SessionStatus.CANCELLED, then=Value("")),
        When(ends_at__gt=now, then=Value(ActivityStatus.PLANNED.value)),
        When(
            Exists(confirmed.filter(attendance=Attendance.PRESENT)),
            then=Value(ActivityStatus.DELIVERED.value),
        ),
        When(Exists(confirmed.exclude(attendance=Attendance.UNKNOWN)), then=Value("")),
        When(Exists(confirmed), then=Value(ActivityStatus.UNCONFIRMED.value)),
        default=Value(""),
    )
    return sessions.annotate(activity_line=ACTIVITY_LINE, activity_status=status)


def in_year(sessions, year: int):
    """Sessions that start in ``year`` (Europe/Amsterdam)."""
    return sessions.filter(
        starts_at__gte=dt.datetime(year, 1, 1, tzinfo=AMSTERDAM),
        starts_at__lt=dt.datetime(year + 1, 1, 1, tzinfo=AMSTERDAM),
    )


def sessions_url(**params) -> str:
    """The coordinators' session list, filtered (``year``, ``line``, ``activity``, ...)."""
    return reverse("learning_admin:sessions") + "?" + urlencode(params)


def activity_counts(*, year: int, now: dt.datetime) -> list[ActivityCount]:
    """Activity source: sessions per target line and status in ``year`` (by their start,
    Europe/Amsterdam), by the rule of ``with_activity``; each count links to the sessions
    behind it. One query."""
    rows = (
        with_activity(in_year(Session.objects.all(), year), now=now)
        .exclude(activity_line="")
        .exclude(activity_status="")
        .values("activity_line", "activity_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return [
        ActivityCount(
            line=row["activity_line"],
            status=row["activity_status"],
            count=row["n"],
            url=sessions_url(year=year, line=row["activity_line"], activity=row["activity_status"]),
        )
        for row in rows
    ]


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=AMSTERDAM)


def _day_range(rows, field: str, since, until):
    """``rows`` whose moment ``field`` (a lookup across a relation: ``website.hooks.
    in_period`` takes the model's own fields only) falls on the days since..until."""
    if since is not None:
        rows = rows.filter(**{f"{field}__gte": _day_start(since)})
    if until is not None:
        rows = rows.filter(**{f"{field}__lt": _day_start(until + dt.timedelta(days=1))})
    return rows


PARTICIPATION_KEYS = {
    ParticipationBy.TARGET_GROUP: "target_group_id",
    ParticipationBy.MUNICIPALITY: "municipality_id",
    ParticipationBy.REGION: "municipality__region_id",
}


def participation(
    *, by, since=None, until=None, region_id=None, target_group_id=None
) -> list[Participation]:
    """Participation source: registrations for sessions that started in the period and
    were not cancelled (cancelled registrations left out), per target group, municipality
    or region of the person. Unique people by their surrogate person key. One query."""
    rows = _day_range(
        Registration.objects.filter(
            status__in=ACTIVE_STATUSES, session__status=SessionStatus.PLANNED
        ),
        "session__starts_at",
        since,
        until,
    )
    if region_id is not None:
        rows = rows.filter(municipality__region_id=region_id)
    if target_group_id is not None:
        rows = rows.filter(target_group_id=target_group_id)
    confirmed = Q(status=RegistrationStatus.CONFIRMED)
    present = confirmed & Q(attendance=Attendance.PRESENT)
    # Rows are counted by a column of learning_reg_report_idx (``session``, never null),
    # not the primary key, so PostgreSQL reads them from that index alone (an index-only
    # scan per session of the period) instead of every row of the table.
    aggregates = {
        "registrations": Count("*"),
        "participants": Count("person", filter=confirmed, distinct=True),
        "present": Count("session", filter=present),
        "absent": Count("session", filter=confirmed & Q(attendance=Attendance.ABSENT)),
        "organisations": Count("organisation", filter=confirmed, distinct=True),
        "municipalities": Count("municipality", filter=confirmed, distinct=True),
        "activities_attended": Count("session", filter=present, distinct=True),
    }
    if by == ParticipationBy.TOTAL:
        found = rows.aggregate(**aggregates)
        return [Participation(key=None, **found)] if found["registrations"] else []
    key = PARTICIPATION_KEYS[by]
    return [
        Participation(**row) for row in rows.values(key=F(key)).annotate(**aggregates).order_by()
    ]


def audiences(*, page_ids=None) -> list[tuple[int, int]]:
    """Audience source: (training page id, target group id). One query."""
    rows = TrainingPage.target_groups.through.objects.all()
    if page_ids is not None:
        rows = rows.filter(trainingpage_id__in=list(page_ids))
    return list(rows.values_list("trainingpage_id", "targetgroup_id"))


def upcoming_activities(*, now, limit=8, waiting_only=False) -> list[UpcomingActivity]:
    """Sessions still to end with places taken and waiting, soonest first. One query."""
    sessions = (
        Session.objects.select_related("page")
        .filter(status=SessionStatus.PLANNED, ends_at__gt=now)
        .annotate(
            confirmed_count=registrations_counted(RegistrationStatus.CONFIRMED),
            waiting_count=registrations_counted(RegistrationStatus.WAITING),
        )
    )
    if waiting_only:
        sessions = sessions.filter(waiting_count__gt=0)
    return [
        UpcomingActivity(
            title=session.page.title,
            starts_at=session.starts_at,
            url=reverse("learning_admin:session", args=[session.pk]),
            capacity=session.capacity,
            confirmed=session.confirmed_count,
            waiting=session.waiting_count,
        )
        for session in sessions.order_by("starts_at", "pk")[:limit]
    ]


def open_requests(*, now, limit=8) -> list[OpenRequest]:
    """Requests (in company, pressure cooker) not yet scheduled or declined, oldest first.
    One query."""
    found = (
        TrainingRequest.objects.filter(status__in=[RequestStatus.NEW, RequestStatus.IN_PROGRESS])
        .select_related("municipality")
        .order_by("created_at", "pk")[:limit]
    )
    return [
        OpenRequest(
            kind=str(request.get_kind_display()),
            label=request.organisation
            or (request.municipality.name if request.municipality else ""),
            status=str(request.get_status_display()),
            received_at=request.created_at,
            url=reverse("wagtailsnippets_learning_trainingrequest:edit", args=[request.pk]),
        )
        for request in found
    ]


# ----- personal data (data-subject rights, issue 14) -------------------------------------------


def _label(model, name: str) -> str:
    return str(model._meta.get_field(name).verbose_name)


def personal_records(*, email: str) -> list[PersonalRecord]:
    """Everything learning stores about one e-mail address, with Dutch field names: its
    registrations (with participant details and evaluation), sign-in links and requests
    (the outgoing e-mails are website's). Three queries, however much there is."""
    records = []
    registrations = (
        Registration.objects.filter(participant__email__iexact=email)
        .select_related(
            "session__page",
            "participant",
            "organisation",
            "municipality",
            "target_group",
            "evaluation",
        )
        .order_by("created_at", "pk")
    )
    for reg in registrations:
        person = reg.participant
        fields = [
            (_("Training"), reg.session.page.title),
            (_label(Registration, "session"), reg.session.starts_at),
            (_label(Registration, "status"), reg.get_status_display()),
            (_label(Registration, "attendance"), reg.get_attendance_display()),
            (_label(Registration, "created_at"), reg.created_at),
            (_label(Participant, "first_name"), person.first_name),
            (_label(Participant, "last_name"), person.last_name),
            (_label(Participant, "email"), person.email),
            (_label(Participant, "function"), person.function),
            (_label(Registration, "organisation"), reg.organisation.name),
            (
                _label(Registration, "municipality"),
                reg.municipality.name if reg.municipality else reg.get_municipality_scope_display(),
            ),
            (_label(Registration, "target_group"), reg.target_group.name),
            (_label(Participant, "needs"), person.needs),
        ]
        evaluation = getattr(reg, "evaluation", None)
        if evaluation is not None:
            fields += [
                (_label(Evaluation, "overall"), evaluation.overall),
                (_label(Evaluation, "usefulness"), evaluation.usefulness),
                (_label(Evaluation, "recommend"), evaluation.recommend),
                (_label(Evaluation, "improvement"), evaluation.improvement),
                (_label(Evaluation, "created_at"), evaluation.created_at),
            ]
        records.append(PersonalRecord(_label_of(Registration), fields))
    for link in SignInToken.objects.filter(email__iexact=email).order_by("created_at"):
        records.append(
            PersonalRecord(
                _label_of(SignInToken),
                [
                    (_label(SignInToken, "email"), link.email),
                    (_label(SignInToken, "created_at"), link.created_at),
                    (_label(SignInToken, "expires_at"), link.expires_at),
                    (_label(SignInToken, "used_at"), link.used_at),
                ],
            )
        )
    for req in (
        TrainingRequest.objects.filter(contact_email__iexact=email)
        .select_related("municipality")
        .order_by("created_at")
    ):
        records.append(
            PersonalRecord(
                _label_of(TrainingRequest),
                [
                    (_label(TrainingRequest, "kind"), req.get_kind_display()),
                    (_label(TrainingRequest, "status"), req.get_status_display()),
                    (_label(TrainingRequest, "organisation"), req.organisation),
                    (
                        _label(TrainingRequest, "municipality"),
                        req.municipality.name if req.municipality else "",
                    ),
                    (_label(TrainingRequest, "contact_name"), req.contact_name),
                    (_label(TrainingRequest, "contact_email"), req.contact_email),
                    (_label(TrainingRequest, "contact_phone"), req.contact_phone),
                    (_label(TrainingRequest, "wanted"), req.wanted),
                    (_label(TrainingRequest, "preferred_period"), req.preferred_period),
                    (_label(TrainingRequest, "group_size"), req.group_size),
                    (_label(TrainingRequest, "remarks"), req.remarks),
                    (_label(TrainingRequest, "created_at"), req.created_at),
                ],
            )
        )
    return records


def _label_of(model) -> str:
    return str(model._meta.verbose_name).capitalize()
