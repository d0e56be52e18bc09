"""Reads for the regional picture's pages, the admin and other apps' dashboards.

Pages read only a period's suppressed snapshot (``Period.published_figures``) and the
snapshot of the previous period; they never see a raw figure. A constant number of
queries per page, whatever the number of periods.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.auth.models import Group
from django.db.models import Prefetch
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from wagtail.models import BaseViewRestriction, PageViewRestriction

from website.charts import Chart, bar_chart
from website.models import Municipality, Region

from . import roles
from .models import (
    AgeBand,
    HouseFigures,
    Ideology,
    LocalPicture,
    Period,
    PeriodKind,
    RegionalPicturePage,
)
from .publication import REGION, REST, Measure, Published, Shown, change
from .suppression import LIMIT, Mark


def audience_groups():
    """The groups that see a period that is not public."""
    return Group.objects.filter(name__in=roles.AUDIENCE)


# ----- display -------------------------------------------------------------------------


def shown_text(shown: Shown | None) -> str:
    if shown is None:
        return "\u2013"
    if shown.mark is Mark.SMALL:
        return "<5"
    if shown.mark is Mark.HIDDEN:
        return _("withheld")
    return number_format(shown.value, force_grouping=True)


def change_text(value: int | None) -> str | None:
    if value is None:
        return None
    if value > 0:
        return "+" + number_format(value, force_grouping=True)
    return number_format(value, force_grouping=True)


@dataclass
class Line:
    label: str
    text: str
    mark: str
    previous: str | None
    change: str | None


@dataclass
class Breakdown:
    key: str
    title: str
    lines: list[Line]
    chart: Chart
    description: str
    has_previous: bool


@dataclass
class KeyFigure:
    label: str
    text: str
    previous: str | None
    change: str | None


@dataclass
class HouseRow:
    name: str
    slug: str
    url: str
    signals: KeyFigure
    cases: KeyFigure


def remainder_label(measure: str) -> str:
    return {
        Measure.AGE: _("unknown"),
        Measure.IDEOLOGY: _("other or unknown"),
    }.get(measure, _("other/unknown"))


def _line(label, current: Shown | None, previous: Published | None, key) -> Line:
    before = previous.get(*key) if previous else None
    return Line(
        label=label,
        text=shown_text(current),
        mark=str(current.mark) if current else "",
        previous=shown_text(before) if previous else None,
        change=change_text(change(current, before)) if previous else None,
    )


def _breakdown(
    *, key, title, published: Published, previous, measure, house, labels: dict[str, str]
) -> Breakdown:
    lines, rows = [], []
    for category in published.categories(measure, house):
        shown = published.get(measure, house, category)
        label = remainder_label(measure) if category == REST else labels.get(category, category)
        lines.append(_line(label, shown, previous, (measure, house, category)))
        rows.append((label, shown_text(shown), shown.mark, shown.value))
    description = "; ".join(f"{line.label}: {line.text}" for line in lines)
    return Breakdown(
        key=key,
        title=title,
        lines=lines,
        chart=bar_chart(rows, small_length=LIMIT),
        description=description,
        has_previous=previous is not None,
    )


def _key_figure(label, published, previous, measure, house) -> KeyFigure:
    shown = published.get(measure, house)
    before = previous.get(measure, house) if previous else None
    return KeyFigure(
        label=label,
        text=shown_text(shown),
        previous=shown_text(before) if previous else None,
        change=change_text(change(shown, before)) if previous else None,
    )


# ----- visibility ----------------------------------------------------------------------


def _restrictions_by_page(pages) -> dict[int, list[PageViewRestriction]]:
    """The view restrictions that apply to each page (its own and its ancestors'), in
    two queries for any number of pages."""
    prefixes = {page.path[:length] for page in pages for length in range(4, len(page.path) + 1, 4)}
    restrictions = list(
        PageViewRestriction.objects.filter(page__path__in=prefixes)
        .select_related("page")
        .prefetch_related("groups")
    )
    return {
        page.pk: [r for r in restrictions if page.path.startswith(r.page.path)] for page in pages
    }


def _accepts(restriction, request, group_ids: set[int]) -> bool:
    user = request.user
    if restriction.restriction_type == BaseViewRestriction.LOGIN:
        return user.is_authenticated
    if restriction.restriction_type == BaseViewRestriction.GROUPS:
        return user.is_superuser or bool(group_ids & {g.pk for g in restriction.groups.all()})
    if restriction.restriction_type == BaseViewRestriction.PASSWORD:
        passed = request.session.get(restriction.passed_view_restrictions_session_key, [])
        return restriction.pk in passed
    return True


def _covers(current: list, previous: list) -> bool:
    """Whether everyone who may see the current page may also see the previous one, so
    that a change (the previous figure) is no news to any reader."""
    for before in previous:
        if any(now.pk == before.pk for now in current):
            continue
        kind = before.restriction_type
        if kind == BaseViewRestriction.LOGIN and any(
            now.restriction_type in (BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS)
            for now in current
        ):
            continue
        if kind == BaseViewRestriction.GROUPS:
            allowed = {g.pk for g in before.groups.all()}
            if any(
                now.restriction_type == BaseViewRestriction.GROUPS
                and {g.pk for g in now.groups.all()} <= allowed
                for now in current
            ):
                continue
        return False
    return True


@dataclass
class PeriodItem:
    title: str
    label: str
    url: str
    public: bool
    starts_on: dt.date


@dataclass
class PeriodList:
    items: list[PeriodItem] = field(default_factory=list)
    not_shown: int = 0


def visible_periods(*, index, request) -> PeriodList:
    """Live periods under ``index`` that this visitor may open, newest first."""
    pages = list(
        RegionalPicturePage.objects.live()
        .child_of(index)
        .select_related("period")
        .order_by("-period__starts_on")
    )
    restrictions = _restrictions_by_page(pages)
    user = request.user
    group_ids = set(user.groups.values_list("pk", flat=True)) if user.is_authenticated else set()
    result = PeriodList()
    for page in pages:
        applying = restrictions[page.pk]
        if not all(_accepts(r, request, group_ids) for r in applying):
            result.not_shown += 1
            continue
        result.items.append(
            PeriodItem(
                title=page.title,
                label=page.period.label,
                url=page.get_url(request=request),
                public=not applying,
                starts_on=page.period.starts_on,
            )
        )
    return result


# ----- the period pages ----------------------------------------------------------------


def previous_key(period: Period) -> tuple[str, int, int]:
    if period.number > 1:
        return period.kind, period.year, period.number - 1
    last = 4 if period.kind == PeriodKind.QUARTER else 2
    return period.kind, period.year - 1, last


def _previous(page: RegionalPicturePage) -> tuple[Published | None, str | None]:
    """The previous period's snapshot, when its page is live and no more private than
    this one; otherwise no comparison."""
    kind, year, number = previous_key(page.period)
    before = (
        RegionalPicturePage.objects.live()
        .filter(period__kind=kind, period__year=year, period__number=number)
        .select_related("period")
        .first()
    )
    if before is None:
        return None, None
    restrictions = _restrictions_by_page([page, before])
    if not _covers(restrictions[page.pk], restrictions[before.pk]):
        return None, None
    published = Published(before.period.published_figures)
    if not published or published.withheld:
        return None, None
    return published, before.period.label


def _names():
    """Names of the houses and municipalities, in one query."""
    houses, municipalities = {}, {}
    for m in Municipality.objects.select_related("region").order_by("region__name", "name"):
        houses[m.region.slug] = m.region.name
        municipalities[m.slug] = (m.name, m.region.slug)
    return houses, municipalities


AGE_LABELS = {band.value: "<18" if band == AgeBand.UNDER_18 else band.label for band in AgeBand}


def period_context(page: RegionalPicturePage) -> dict:
    published = Published(page.period.published_figures)
    previous, previous_label = _previous(page)
    houses, municipalities = _names()
    return {
        "period": page.period,
        "published": published,
        "previous": previous,
        "previous_label": previous_label,
        "house_names": houses,
        "municipality_names": municipalities,
        "withheld": published.withheld,
        "missing_houses": [name for slug, name in houses.items() if slug not in published.houses],
        "export_url": page.url + page.reverse_subpage("export"),
    }


def region_picture(*, page: RegionalPicturePage) -> dict:
    context = period_context(page)
    published, previous = context["published"], context["previous"]
    houses = context["house_names"]
    municipality_names = context["municipality_names"]
    context["signals"] = _key_figure(_("Signals"), published, previous, Measure.SIGNALS, REGION)
    context["cases"] = _key_figure(_("Cases"), published, previous, Measure.CASES, REGION)
    context["key_figures"] = [context["signals"], context["cases"]]
    context["house_rows"] = [
        HouseRow(
            name=houses.get(slug, slug),
            slug=slug,
            url=page.url + page.reverse_subpage("house", kwargs={"house": slug}),
            signals=_key_figure(_("Signals"), published, previous, Measure.SIGNALS, slug),
            cases=_key_figure(_("Cases"), published, previous, Measure.CASES, slug),
        )
        for slug in published.houses
    ]
    context["breakdowns"] = [
        _breakdown(
            key="leeftijd",
            title=_("Age"),
            published=published,
            previous=previous,
            measure=Measure.AGE,
            house=REGION,
            labels=AGE_LABELS,
        ),
        _breakdown(
            key="ideologie",
            title=_("Type of ideology"),
            published=published,
            previous=previous,
            measure=Measure.IDEOLOGY,
            house=REGION,
            labels=dict(Ideology.choices),
        ),
    ]
    context["municipality_grid"] = [
        {
            "name": houses.get(slug, slug),
            "cells": [
                {
                    "name": municipality_names.get(category, (category,))[0]
                    if category != REST
                    else remainder_label(Measure.MUNICIPALITY),
                    "text": shown_text(published.get(Measure.MUNICIPALITY, slug, category)),
                    "mark": str(published.get(Measure.MUNICIPALITY, slug, category).mark),
                }
                for category in published.categories(Measure.MUNICIPALITY, slug)
            ],
        }
        for slug in published.houses
    ]
    context["local_pictures"] = _local_pictures(page, context)
    return context


def house_picture(*, page: RegionalPicturePage, house: str) -> dict | None:
    context = period_context(page)
    published, previous = context["published"], context["previous"]
    if house not in published.houses:
        return None
    municipality_names = context["municipality_names"]
    context["house"] = {"slug": house, "name": context["house_names"].get(house, house)}
    context["signals"] = _key_figure(_("Signals"), published, previous, Measure.SIGNALS, house)
    context["cases"] = _key_figure(_("Cases"), published, previous, Measure.CASES, house)
    context["key_figures"] = [context["signals"], context["cases"]]
    common = {"published": published, "previous": previous, "house": house}
    context["breakdowns"] = [
        _breakdown(
            key="leeftijd", title=_("Age"), measure=Measure.AGE, labels=AGE_LABELS, **common
        ),
        _breakdown(
            key="ideologie",
            title=_("Type of ideology"),
            measure=Measure.IDEOLOGY,
            labels=dict(Ideology.choices),
            **common,
        ),
        _breakdown(
            key="gemeente",
            title=_("Municipality"),
            measure=Measure.MUNICIPALITY,
            labels={slug: name for slug, (name, _h) in municipality_names.items()},
            **common,
        ),
        _breakdown(
            key="groepering", title=_("Grouping"), measure=Measure.GROUPING, labels={}, **common
        ),
    ]
    context["local_pictures"] = [
        item for item in _local_pictures(page, context) if item["house"] == house
    ]
    return context


def _local_pictures(page, context) -> list[dict]:
    names = context["municipality_names"]
    pictures = LocalPicture.objects.filter(period_id=page.period_id).select_related(
        "municipality__region"
    )
    return [
        {
            "name": picture.municipality.name,
            "house": picture.municipality.region.slug,
            "summary": picture.summary,
            "url": page.url
            + page.reverse_subpage(
                "local_picture", kwargs={"municipality": picture.municipality.slug}
            ),
        }
        for picture in sorted(pictures, key=lambda p: names.get(p.municipality.slug, ("",))[0])
    ]


def local_picture(*, page: RegionalPicturePage, municipality: str) -> dict | None:
    picture = (
        LocalPicture.objects.filter(period_id=page.period_id, municipality__slug=municipality)
        .select_related("municipality__region")
        .first()
    )
    if picture is None:
        return None
    context = period_context(page)
    published, previous = context["published"], context["previous"]
    house = picture.municipality.region.slug
    key = (Measure.MUNICIPALITY, house, picture.municipality.slug)
    context["picture"] = picture
    context["house"] = {
        "slug": house,
        "name": picture.municipality.region.name,
        "url": page.url + page.reverse_subpage("house", kwargs={"house": house})
        if house in published.houses
        else None,
    }
    context["cases"] = (
        _line(picture.municipality.name, published.get(*key), previous, key)
        if published.get(*key)
        else None
    )
    return context


# ----- admin ---------------------------------------------------------------------------


@dataclass
class PeriodRow:
    period: Period
    entries: list[tuple[Region, HouseFigures | None]]
    page: RegionalPicturePage | None


def period_overview() -> list[PeriodRow]:
    """Every period with, per house, its figures (or None), and its page."""
    houses = list(Region.objects.order_by("name"))
    periods = Period.objects.prefetch_related(
        Prefetch("house_figures", queryset=HouseFigures.objects.only("pk", "period_id", "house_id"))
    ).select_related("page")
    rows = []
    for period in periods:
        by_house = {figures.house_id: figures for figures in period.house_figures.all()}
        page = getattr(period, "page", None)
        rows.append(PeriodRow(period, [(h, by_house.get(h.pk)) for h in houses], page))
    return rows


def house_figures_detail(*, period: Period) -> list[dict]:
    """The raw figures of a period per house, for analysts and coordinators."""
    rows = (
        HouseFigures.objects.filter(period=period)
        .select_related("house")
        .prefetch_related("municipality_counts__municipality", "groupings")
        .order_by("house__name")
    )
    return [
        {
            "figures": row,
            "age": [(AGE_LABELS[band], n) for band, n in row.age().items()],
            "ideology": [(dict(Ideology.choices)[code], n) for code, n in row.ideology().items()],
            "municipalities": sorted(
                (c.municipality.name, c.cases) for c in row.municipality_counts.all()
            ),
            "groupings": [(g.label, g.cases) for g in row.groupings.all()],
        }
        for row in rows
    ]


# ----- for other apps (dashboards) -----------------------------------------------------


@dataclass(frozen=True)
class RegionCoverage:
    region_id: int
    region: str
    municipalities: tuple[str, ...]  # names of the municipalities that delivered

    @property
    def delivered(self) -> bool:
        return bool(self.municipalities)


def local_picture_coverage(*, year: int) -> list[RegionCoverage]:
    """Per Zorg- en Veiligheidshuis region: which municipalities delivered a local CTER
    picture in ``year`` (by delivery date). Two queries."""
    delivered = defaultdict(set)
    for region_id, name in LocalPicture.objects.filter(delivered_on__year=year).values_list(
        "municipality__region_id", "municipality__name"
    ):
        delivered[region_id].add(name)
    return [
        RegionCoverage(region.pk, region.name, tuple(sorted(delivered[region.pk])))
        for region in Region.objects.order_by("name")
    ]


def local_picture_municipalities(*, years) -> list[int]:
    """Local-picture source (website.hooks.LOCAL_PICTURES): the municipalities that
    delivered a local CTER picture in any of ``years`` (by delivery date, as
    ``local_picture_coverage``). One query (no ordering: the model's default ordering
    would join the period and municipality into the DISTINCT)."""
    years = sorted(years)
    if not years:
        return []
    return list(
        LocalPicture.objects.filter(
            delivered_on__gte=dt.date(years[0], 1, 1), delivered_on__lte=dt.date(years[-1], 12, 31)
        )
        .filter(delivered_on__year__in=years)
        .order_by()
        .values_list("municipality_id", flat=True)
        .distinct()
    )
