"""Reads for the coordinator dashboard, the reach report and the year overview.

Every figure of another app comes through ``website.hooks`` (activity, participation,
audience, reach, planned-product, agenda and local-picture sources); this module only
adds them up and lays them out. Each source answers in one aggregate query, so the
number of queries here does not grow with the data (tests pin it at two sizes).
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from website import charts
from website import hooks as cter
from website.hooks import ActivityStatus, ParticipationBy, ReachMetric
from website.models import Municipality, Region, TargetGroup

from .models import DEFAULT_TARGETS, OFFER_MADE, MunicipalityYear, SupportOffer
from .models import Target as TargetRow

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
MAX_MONTHS = 36


def current_year(now: dt.datetime) -> int:
    return timezone.localtime(now, AMSTERDAM).year


def number(value) -> str:
    return "" if value is None else formats.number_format(value, use_l10n=True, force_grouping=True)


def percentage(value) -> str:
    return "" if value is None else f"{value}%"


def long_date(value: dt.date | dt.datetime) -> str:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value, AMSTERDAM)
    return formats.date_format(value, "j F Y")


def short_date(value: dt.date | None) -> str:
    return "" if value is None else formats.date_format(value, "d-m-Y")


# ----- the yearly targets ---------------------------------------------------------------


class TargetStatus:
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    MISSED = "missed"

    LABELS = {
        ACHIEVED: gettext_lazy("achieved"),
        ON_TRACK: gettext_lazy("on track"),
        AT_RISK: gettext_lazy("at risk"),
        MISSED: gettext_lazy("not achieved"),
    }


def target_status(
    *, target: int, delivered: int, unconfirmed: int, planned: int, closed: bool
) -> str:
    """Achieved once delivered reaches the target; in a year that is over, anything else
    is not achieved; otherwise at risk when delivered + not yet completed + planned stay
    below the target, and on track when they reach it."""
    if delivered >= target:
        return TargetStatus.ACHIEVED
    if closed:
        return TargetStatus.MISSED
    if delivered + unconfirmed + planned < target:
        return TargetStatus.AT_RISK
    return TargetStatus.ON_TRACK


@dataclass
class TargetLine:
    line: str
    label: str
    target: int
    delivered: int = 0
    unconfirmed: int = 0
    planned: int = 0
    urls: dict[str, str] = field(default_factory=dict)
    status: str = ""

    @property
    def status_label(self) -> str:
        return str(TargetStatus.LABELS[self.status])

    @property
    def summary(self) -> str:
        return _(
            "%(delivered)s delivered, %(unconfirmed)s not yet completed, %(planned)s planned, target %(target)s"
        ) % {
            "delivered": self.delivered,
            "unconfirmed": self.unconfirmed,
            "planned": self.planned,
            "target": self.target,
        }


@dataclass
class YearTargets:
    year: int
    lines: list[TargetLine]
    defaults: bool  # no targets recorded for the year: the plan's defaults are shown
    edit_url: str = ""

    @property
    def chart(self) -> charts.ProgressChart:
        return charts.progress_chart(
            [
                (
                    line.label,
                    _("%(delivered)s delivered, target %(target)s")
                    % {"delivered": line.delivered, "target": line.target},
                    line.delivered,
                    line.unconfirmed,
                    line.planned,
                    line.target,
                )
                for line in self.lines
            ]
        )

    @property
    def description(self) -> str:
        return "; ".join(
            f"{line.label}: {line.summary} ({line.status_label})" for line in self.lines
        )


def recorded_targets(year: int) -> tuple[bool, list[tuple[str, int]]]:
    """(recorded, [(line, minimum)]): the year's targets, or the plan's defaults when none
    are recorded (the admin keeps at least one line per recorded year). One query."""
    rows = list(
        TargetRow.objects.filter(target_year__year=year)
        .order_by("sort_order", "pk")
        .values_list("line", "minimum")
    )
    return (True, rows) if rows else (False, list(DEFAULT_TARGETS))


def year_targets(*, year: int, now: dt.datetime) -> YearTargets:
    """Delivered / not yet completed / planned against each target line of ``year``, by
    the counting rule of the activity sources, with the status against the calendar."""
    recorded, targets = recorded_targets(year)
    labels = dict(cter.activity_lines())
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    urls: dict[str, dict[str, str]] = defaultdict(dict)
    for found in cter.activities(year=year, now=now):
        counts[found.line][found.status] += found.count
        if found.url:
            urls[found.line][found.status] = found.url
    closed = year < current_year(now)
    lines = []
    for line, minimum in targets:
        got = counts[line]
        delivered = got[ActivityStatus.DELIVERED]
        unconfirmed = got[ActivityStatus.UNCONFIRMED]
        planned = got[ActivityStatus.PLANNED]
        lines.append(
            TargetLine(
                line=line,
                label=str(labels.get(line, line)),
                target=minimum,
                delivered=delivered,
                unconfirmed=unconfirmed,
                planned=planned,
                urls=urls[line],
                status=target_status(
                    target=minimum,
                    delivered=delivered,
                    unconfirmed=unconfirmed,
                    planned=planned,
                    closed=closed,
                ),
            )
        )
    return YearTargets(year=year, lines=lines, defaults=not recorded)


# ----- the dashboard panel --------------------------------------------------------------


@dataclass(frozen=True)
class AgedRequest:
    request: cter.OpenRequest
    days: int

    @property
    def age(self) -> str:
        return ngettext("%(days)d day", "%(days)d days", self.days) % {"days": self.days}


def dashboard(*, now: dt.datetime, limit: int = 6) -> dict:
    """The admin home panel: this year's targets, the next sessions with their fill rate,
    open waiting lists and open requests with their age."""
    year = current_year(now)
    requests = [
        AgedRequest(item, max((now - item.received_at).days, 0))
        for item in cter.open_requests(now=now, limit=limit)
    ]
    return {
        "targets": year_targets(year=year, now=now),
        "upcoming": cter.upcoming_activities(now=now, limit=limit),
        "waiting": cter.upcoming_activities(now=now, limit=limit, waiting_only=True),
        "requests": requests,
    }


# ----- filters of the report --------------------------------------------------------------


class Breakdown:
    TARGET_GROUP = "target_group"
    MUNICIPALITY = "municipality"
    PRODUCT = "product"

    CHOICES = (
        (TARGET_GROUP, gettext_lazy("Per target group")),
        (MUNICIPALITY, gettext_lazy("Per municipality")),
        (PRODUCT, gettext_lazy("Per product of the communication plan, per month")),
    )


@dataclass(frozen=True)
class Period:
    since: dt.date
    until: dt.date

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(dt.date(year, 1, 1), dt.date(year, 12, 31))

    @property
    def years(self) -> list[int]:
        return list(range(self.since.year, self.until.year + 1))

    @property
    def whole_year(self) -> int | None:
        """The year, when the period is exactly one calendar year."""
        if self == Period.year(self.since.year):
            return self.since.year
        return None

    @property
    def label(self) -> str:
        if self.whole_year:
            return str(self.whole_year)
        return f"{short_date(self.since)} - {short_date(self.until)}"

    @property
    def months(self) -> list[dt.date]:
        found, day = [], self.since.replace(day=1)
        while day <= self.until:
            found.append(day)
            day = (day + dt.timedelta(days=32)).replace(day=1)
        return found


@dataclass(frozen=True)
class ReportFilters:
    period: Period
    region: Region | None = None
    target_group: TargetGroup | None = None
    breakdown: str = Breakdown.TARGET_GROUP


# ----- municipality coverage ------------------------------------------------------------------


@dataclass
class MunicipalityCoverage:
    municipality: Municipality
    offers: int = 0  # offers made (planned ones not counted)
    first_offer: dt.date | None = None
    pressure_cookers: int = 0
    local_picture: bool = False

    @property
    def offered(self) -> bool:
        return self.offers > 0


@dataclass
class RegionCoverage:
    region: Region
    municipalities: list[MunicipalityCoverage]

    @property
    def local_pictures(self) -> list[str]:
        return [m.municipality.name for m in self.municipalities if m.local_picture]

    @property
    def offered(self) -> int:
        return sum(1 for m in self.municipalities if m.offered)

    @property
    def pressure_cookers(self) -> int:
        return sum(m.pressure_cookers for m in self.municipalities)


@dataclass
class Coverage:
    period: Period
    regions: list[RegionCoverage]

    @property
    def municipalities(self) -> list[MunicipalityCoverage]:
        return [m for region in self.regions for m in region.municipalities]

    @property
    def missing(self) -> list[str]:
        return [m.municipality.name for m in self.municipalities if not m.offered]

    @property
    def sentence(self) -> str:
        found = self.municipalities
        offered = sum(1 for m in found if m.offered)
        text = ngettext(
            "%(offered)d of %(total)d municipality has received a support offer",
            "%(offered)d of %(total)d municipalities have received a support offer",
            len(found),
        ) % {"offered": offered, "total": len(found)}
        missing = self.missing
        if missing and len(missing) <= 8:
            text += "; " + _("not yet: %(names)s") % {"names": ", ".join(missing)}
        return text + "."


def coverage(*, period: Period, region: Region | None = None) -> Coverage:
    """Per region and municipality (all of them, zeros included) the support offers made,
    pressure cookers held and local CTER pictures delivered in the years of ``period``:
    what coordinators recorded, plus local pictures reported by other apps (the regional
    picture, through ``cter_local_pictures``). One query plus one per local-picture source."""
    records = MunicipalityYear.objects.filter(municipality=OuterRef("pk"), year__in=period.years)
    made = SupportOffer.objects.filter(
        record__municipality=OuterRef("pk"),
        record__year__in=period.years,
        status__in=OFFER_MADE,
    )
    municipalities = (
        Municipality.objects.select_related("region")
        .annotate(
            offer_count=Coalesce(
                Subquery(made.values("record__municipality").annotate(n=Count("pk")).values("n")),
                0,
            ),
            first_offer=Subquery(made.order_by("offered_on").values("offered_on")[:1]),
            cookers=Coalesce(
                Subquery(
                    records.values("municipality").annotate(n=Sum("pressure_cookers")).values("n")
                ),
                0,
            ),
            picture=Exists(records.filter(local_picture_on__isnull=False)),
        )
        .order_by("region__name", "name")
    )
    if region is not None:
        municipalities = municipalities.filter(region=region)
    pictures = cter.local_picture_municipalities(years=period.years)
    by_region: dict[int, RegionCoverage] = {}
    for municipality in municipalities:
        entry = MunicipalityCoverage(
            municipality=municipality,
            offers=municipality.offer_count,
            first_offer=municipality.first_offer,
            pressure_cookers=municipality.cookers,
            local_picture=municipality.picture or municipality.pk in pictures,
        )
        if municipality.region_id not in by_region:
            by_region[municipality.region_id] = RegionCoverage(municipality.region, [])
        by_region[municipality.region_id].municipalities.append(entry)
    return Coverage(period=period, regions=list(by_region.values()))


def filter_lists() -> tuple[list[Region], list[TargetGroup]]:
    """The regions (by name) and the target groups (in their order) the filters offer and
    the tables list, read together in ONE query (a UNION): reference data, needed on every
    page of the report, so one round trip instead of two."""
    regions = (
        Region.objects.order_by()
        .annotate(kind=Value("region"), position=Value(0, output_field=IntegerField()))
        .values_list("kind", "pk", "name", "slug", "position")
    )
    groups = (
        TargetGroup.objects.order_by()
        .annotate(kind=Value("group"))
        .values_list("kind", "pk", "name", "slug", "sort_order")
    )
    found_regions, found_groups = [], []
    for kind, pk, name, slug, position in regions.union(groups, all=True):
        if kind == "region":
            found_regions.append(Region(pk=pk, name=name, slug=slug))
        else:
            found_groups.append(TargetGroup(pk=pk, name=name, slug=slug, sort_order=position))
    found_regions.sort(key=lambda region: region.name)
    found_groups.sort(key=lambda group: (group.sort_order, group.name))
    return found_regions, found_groups


def target_groups() -> list[TargetGroup]:
    return list(TargetGroup.objects.order_by("sort_order", "name"))


# ----- the reach report -------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    heading: str
    numeric: bool = True


@dataclass
class Table:
    caption: str
    columns: list[Column]
    rows: list[dict]  # {column key: value as exported}, plus "kind": "", "subtotal", "total"

    def cells(self, row: dict) -> list:
        return [row.get(column.key) for column in self.columns]

    @property
    def display(self) -> list[tuple[str, list[tuple[str, bool]]]]:
        """(row kind, [(shown text, numeric)]) per row: what the screen shows of the
        values the exports carry (Dutch number format, a dash for nothing)."""
        return [
            (
                row.get("kind", ""),
                [(shown(row.get(column.key)), column.numeric) for column in self.columns],
            )
            for row in self.rows
        ]


@dataclass(frozen=True)
class ChartBlock:
    id: str
    kind: str  # "bars", "lines" or "progress": the template in templates/components/
    chart: object
    title: str
    description: str


@dataclass
class ReachReport:
    filters: ReportFilters
    totals: cter.Participation
    coverage: Coverage
    table: Table
    charts: list[ChartBlock]
    notes: list[str]


NOTHING = "\u2013"  # an en dash: shown for an empty cell


def shown(value) -> str:
    if value is None or value == "":
        return NOTHING
    if isinstance(value, int):
        return number(value)
    return str(value)


def yes_no(value: bool) -> str:
    return _("yes") if value else _("no")


PARTICIPATION_COLUMNS = (
    ("registrations", gettext_lazy("Registrations")),
    ("participants", gettext_lazy("Unique participants")),
    ("attendance_rate", gettext_lazy("Attendance (%)")),
    ("organisations", gettext_lazy("Organisations")),
    ("municipalities", gettext_lazy("Municipalities reached")),
)


def _participation_cells(found: cter.Participation) -> dict:
    return {
        "registrations": found.registrations,
        "participants": found.participants,
        "attendance_rate": found.attendance_rate,
        "organisations": found.organisations,
        "municipalities": found.municipalities,
    }


def _participation(filters: ReportFilters, by: str) -> dict:
    return cter.participation(
        by=by,
        since=filters.period.since,
        until=filters.period.until,
        region_id=filters.region.pk if filters.region else None,
        target_group_id=filters.target_group.pk if filters.target_group else None,
    )


def _target_group_table(
    filters: ReportFilters, total: cter.Participation, groups: list, *, products: bool = True
):
    """Per target group; ``products`` adds the views and downloads of the products made
    for each group (the audience and reach sources)."""
    if filters.target_group is not None:
        groups = [g for g in groups if g.pk == filters.target_group.pk]
    found = _participation(filters, ParticipationBy.TARGET_GROUP)
    made_for = cter.audiences() if products else {}
    if filters.target_group is not None:
        made_for = {p: gs for p, gs in made_for.items() if filters.target_group.pk in gs}
    reach = cter.reach_totals(
        page_ids=made_for, since=filters.period.since, until=filters.period.until
    )

    def product_reach(page_ids) -> tuple[int, int]:
        views = downloads = 0
        for page_id in page_ids:
            metrics = reach.get(page_id, {})
            views += metrics.get(ReachMetric.VIEWS, 0)
            downloads += metrics.get(ReachMetric.DOWNLOADS, 0) + metrics.get(ReachMetric.PLAYS, 0)
        return views, downloads

    columns = [
        Column("target_group", _("Target group"), numeric=False),
        *(Column(key, str(heading)) for key, heading in PARTICIPATION_COLUMNS),
    ]
    if products:
        columns += [
            Column("views", _("Product views")),
            Column("downloads", _("Product downloads and plays")),
        ]
    rows = []
    for group in groups:
        row = {
            "kind": "",
            "target_group": group.name,
            **_participation_cells(found.get(group.pk) or cter.Participation(group.pk)),
        }
        if products:
            row["views"], row["downloads"] = product_reach(
                p for p, gs in made_for.items() if group.pk in gs
            )
        rows.append(row)
    row = {"kind": "total", "target_group": _("Total"), **_participation_cells(total)}
    if products:
        row["views"], row["downloads"] = product_reach(made_for)
    rows.append(row)
    table = Table(
        _("Reach per target group, %(period)s") % {"period": filters.period.label}, columns, rows
    )
    chart = ChartBlock(
        id="chart-target-groups",
        kind="bars",
        chart=charts.count_bars([(row["target_group"], row["participants"]) for row in rows[:-1]]),
        title=_("Unique participants per target group"),
        description=_("Bar chart; the same numbers are in the table below."),
    )
    notes = [
        _(
            "A product made for several target groups counts for each of them; the total "
            "counts it once. Someone who registered under two target groups counts in both; "
            "the total counts them once."
        )
    ]
    return table, [chart], notes


def _municipality_table(filters: ReportFilters, total: cter.Participation, cover: Coverage):
    by_municipality = _participation(filters, ParticipationBy.MUNICIPALITY)
    by_region = _participation(filters, ParticipationBy.REGION)
    columns = [
        Column("municipality", _("Municipality"), numeric=False),
        Column("region", _("Region"), numeric=False),
        Column("participants", _("Unique participants")),
        Column("organisations", _("Organisations")),
        Column("activities_attended", _("Sessions attended")),
        Column("support_offer", _("Support offer"), numeric=False),
        Column("first_offer", _("First offer"), numeric=False),
        Column("pressure_cookers", _("Pressure cookers")),
        Column("local_picture", _("Local CTER picture"), numeric=False),
    ]
    rows, blocks = [], []
    for region in cover.regions:
        region_rows = []
        for entry in region.municipalities:
            found = by_municipality.get(entry.municipality.pk) or cter.Participation(None)
            region_rows.append(
                {
                    "kind": "",
                    "region": region.region.name,
                    "municipality": entry.municipality.name,
                    "participants": found.participants,
                    "organisations": found.organisations,
                    "activities_attended": found.activities_attended,
                    "support_offer": yes_no(entry.offered),
                    "first_offer": short_date(entry.first_offer),
                    "pressure_cookers": entry.pressure_cookers,
                    "local_picture": yes_no(entry.local_picture),
                }
            )
        found = by_region.get(region.region.pk) or cter.Participation(None)
        pictures = region.local_pictures
        rows.extend(region_rows)
        rows.append(
            {
                "kind": "subtotal",
                "region": region.region.name,
                "municipality": _("Whole region"),
                "participants": found.participants,
                "organisations": found.organisations,
                "activities_attended": found.activities_attended,
                "support_offer": _("%(offered)d of %(total)d")
                % {"offered": region.offered, "total": len(region.municipalities)},
                "first_offer": "",
                "pressure_cookers": region.pressure_cookers,
                "local_picture": (_("yes: %(names)s") % {"names": ", ".join(pictures)})
                if pictures
                else _("no"),
            }
        )
        blocks.append(
            ChartBlock(
                id=f"chart-region-{region.region.slug}",
                kind="bars",
                chart=charts.count_bars(
                    [(row["municipality"], row["participants"]) for row in region_rows]
                ),
                title=_("Unique participants per municipality in %(region)s")
                % {"region": region.region.name},
                description=_("Bar chart; the same numbers are in the table below."),
            )
        )
    if filters.region is None:
        other = by_municipality.get(None) or cter.Participation(None)
        rows.append(
            {
                "kind": "subtotal",
                "region": "",
                "municipality": _("Another municipality or outside Noord-Holland"),
                "participants": other.participants,
                "organisations": other.organisations,
                "activities_attended": other.activities_attended,
                "support_offer": "",
                "first_offer": "",
                "pressure_cookers": None,
                "local_picture": "",
            }
        )
    rows.append(
        {
            "kind": "total",
            "region": "",
            "municipality": _("Total"),
            "participants": total.participants,
            "organisations": total.organisations,
            "activities_attended": total.activities_attended,
            "support_offer": _("%(offered)d of %(total)d")
            % {
                "offered": sum(r.offered for r in cover.regions),
                "total": len(cover.municipalities),
            },
            "first_offer": "",
            "pressure_cookers": sum(r.pressure_cookers for r in cover.regions),
            "local_picture": _("%(regions)d of %(total)d regions")
            % {
                "regions": sum(1 for r in cover.regions if r.local_pictures),
                "total": len(cover.regions),
            },
        }
    )
    table = Table(
        _("Reach and coverage per municipality, %(period)s") % {"period": filters.period.label},
        columns,
        rows,
    )
    notes = [
        _(
            "A municipality has received a support offer once an offer was made (offered, "
            "accepted or declined); planned offers do not count yet. Participants are "
            "counted by the municipality they gave when registering."
        )
    ]
    return table, blocks, notes


METRICS = (
    ("views", gettext_lazy("views")),
    ("downloads", gettext_lazy("downloads or plays")),
    ("registrations", gettext_lazy("registrations")),
)


def month_label(month: dt.date, *, with_year: bool) -> str:
    return formats.date_format(month, "M Y" if with_year else "M")


def _product_table(filters: ReportFilters, groups: list):
    months = filters.period.months
    with_year = len(filters.period.years) > 1
    planned = cter.planned_products(years=filters.period.years)
    if filters.target_group is not None:
        planned = [p for p in planned if p.target_group_id == filters.target_group.pk]
    names = {group.pk: group.name for group in groups}
    page_ids = {p.page_id for p in planned if p.page_id}
    monthly: dict[int, dict[str, dict[dt.date, int]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(int))
    )
    for figure in cter.reach_figures(
        page_ids=page_ids, since=filters.period.since, until=filters.period.until, by_month=True
    ):
        metric = ReachMetric.DOWNLOADS if figure.metric == ReachMetric.PLAYS else figure.metric
        monthly[figure.page_id][str(metric)][figure.month] += figure.value
    month_keys = [f"m{month:%Y_%m}" for month in months]
    columns = [
        Column("product", _("Product"), numeric=False),
        Column("target_group", _("Target group"), numeric=False),
        Column("metric", _("Figure"), numeric=False),
        *(
            Column(key, month_label(month, with_year=with_year))
            for key, month in zip(month_keys, months, strict=True)
        ),
        Column("total", _("Total")),
    ]
    rows = []
    for product in planned:
        base = {
            "product": product.title if not with_year else f"{product.title} ({product.year})",
            "target_group": names.get(product.target_group_id, ""),
        }
        if not product.page_id:
            rows.append({"kind": "", **base, "metric": _("not yet published"), "total": None})
            continue
        figures = monthly.get(product.page_id, {})
        for metric, label in METRICS:
            values = [figures.get(metric, {}).get(month, 0) for month in months]
            rows.append(
                {
                    "kind": "",
                    **base,
                    "metric": str(label),
                    **dict(zip(month_keys, values, strict=True)),
                    "total": sum(values),
                }
            )
    series = []
    for metric, label in METRICS:
        values = [
            sum(monthly[page_id][metric].get(month, 0) for page_id in page_ids) for month in months
        ]
        series.append((str(label).capitalize(), values))
        rows.append(
            {
                "kind": "total",
                "product": _("All products of the plan"),
                "target_group": "",
                "metric": str(label),
                **dict(zip(month_keys, values, strict=True)),
                "total": sum(values),
            }
        )
    table = Table(
        _("Products of the communication plan per month, %(period)s")
        % {"period": filters.period.label},
        columns,
        rows,
    )
    chart = ChartBlock(
        id="chart-products",
        kind="lines",
        chart=charts.line_chart(
            [month_label(month, with_year=with_year) for month in months], series
        ),
        title=_("Views, downloads or plays and registrations of the plan's products per month"),
        description=_("Line chart; the same numbers are in the total rows of the table below."),
    )
    notes = [
        _(
            "Views and downloads are counted without knowing who the visitor is, so the "
            "region filter does not apply to them; registrations are counted by the month "
            "they were made. A product linked twice in the plan counts once in the totals."
        )
    ]
    return table, [chart], notes


def reach_report(*, filters: ReportFilters, groups: list | None = None) -> ReachReport:
    """The report for ``filters``; ``groups`` (all target groups, in order) when the
    caller has them already."""
    groups = target_groups() if groups is None else groups
    total = _participation(filters, ParticipationBy.TOTAL).get(None) or cter.Participation(None)
    cover = coverage(period=filters.period, region=filters.region)
    if filters.breakdown == Breakdown.MUNICIPALITY:
        table, blocks, notes = _municipality_table(filters, total, cover)
    elif filters.breakdown == Breakdown.PRODUCT:
        table, blocks, notes = _product_table(filters, groups)
    else:
        table, blocks, notes = _target_group_table(filters, total, groups)
    return ReachReport(
        filters=filters, totals=total, coverage=cover, table=table, charts=blocks, notes=notes
    )


# ----- the year overview (one printed page for the steering group) ---------------------------


def year_overview(*, year: int, now: dt.datetime) -> dict:
    filters = ReportFilters(period=Period.year(year))
    total = _participation(filters, ParticipationBy.TOTAL).get(None) or cter.Participation(None)
    cover = coverage(period=filters.period)
    groups, _charts, _notes = _target_group_table(filters, total, target_groups(), products=False)
    by_region = _participation(filters, ParticipationBy.REGION)
    regions = [
        {
            "region": region.region,
            "participation": by_region.get(region.region.pk) or cter.Participation(None),
            "offered": region.offered,
            "municipalities": len(region.municipalities),
            "local_pictures": region.local_pictures,
        }
        for region in cover.regions
    ]
    return {
        "year": year,
        "targets": year_targets(year=year, now=now),
        "totals": total,
        "coverage": cover,
        "groups": groups,
        "regions": regions,
    }
