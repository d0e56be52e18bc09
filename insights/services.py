"""Every write with a rule behind it: periods, a house's figures, the import, and the
suppressed snapshot that is recomputed whenever figures change.

Rules: one entry per house per period; periods of one kind never overlap periods of
the other (a half year next to its quarters would let anyone subtract); a breakdown
never adds up to more than the cases (the rest is "overig/onbekend"); counts are whole
numbers from 0 to 100,000; groupings are short labels without control characters.
Errors are ``FiguresError`` with Dutch messages per field, or per line for an import.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import BaseViewRestriction, PageViewRestriction

from website import stamps
from website.models import Municipality, Region

from . import publication
from .models import HouseFigures, Period, PeriodKind, RegionalPicturePage
from .models.figures import AGE_FIELDS, IDEOLOGY_FIELDS, MAX_COUNT, GroupingCount
from .models.figures import MunicipalityCount as MunicipalityCountRow
from .selectors import audience_groups
from .sheets import Row

PRIVATE_BY_DEFAULT = BaseViewRestriction.GROUPS
MAX_LABEL = 80
MAX_GROUPINGS = 30
NUMBERS = {PeriodKind.QUARTER: 4, PeriodKind.HALF_YEAR: 2}
MONTHS = {PeriodKind.QUARTER: 3, PeriodKind.HALF_YEAR: 6}
BREAKDOWNS = ("age", "ideology", "municipality", "grouping")
BREAKDOWN_NAMES = {
    "age": gettext_lazy("The age bands"),
    "ideology": gettext_lazy("The types of ideology"),
    "municipality": gettext_lazy("The municipalities"),
    "grouping": gettext_lazy("The groupings"),
}


class FiguresError(Exception):
    """Broken rules: ``errors`` maps a form field (or None) to Dutch messages; ``lines``
    holds line-numbered messages of an import."""

    def __init__(self, errors=None, *, lines=None):
        self.errors: dict[str | None, list[str]] = errors or {}
        self.lines: list[str] = lines or []
        super().__init__("; ".join([*(m for ms in self.errors.values() for m in ms), *self.lines]))


# ----- periods -------------------------------------------------------------------------


def period_bounds(*, kind: str, year: int, number: int) -> tuple[dt.date, dt.date]:
    months = MONTHS[kind]
    first = (number - 1) * months + 1
    last = first + months - 1
    return dt.date(year, first, 1), dt.date(year, last, calendar.monthrange(year, last)[1])


def check_period(*, kind: str, year: int, number: int) -> dict[str, list[str]]:
    if kind not in NUMBERS:
        return {"kind": [_("Choose quarter or half year.")]}
    if not 2000 <= year <= 2100:
        return {"year": [_("Enter a year between 2000 and 2100.")]}
    if not 1 <= number <= NUMBERS[kind]:
        if kind == PeriodKind.QUARTER:
            return {"number": [_("A quarter is numbered 1 to 4.")]}
        return {"number": [_("A half year is numbered 1 or 2.")]}
    starts_on, ends_on = period_bounds(kind=kind, year=year, number=number)
    if Period.objects.filter(kind=kind, year=year, number=number).exists():
        return {"number": [_("This period exists already.")]}
    overlapping = (
        Period.objects.exclude(kind=kind)
        .filter(starts_on__lte=ends_on, ends_on__gte=starts_on)
        .first()
    )
    if overlapping:
        return {
            "kind": [
                _(
                    "This period overlaps %(other)s. Use either quarters or half years for "
                    "the same months: otherwise figures could be subtracted from each other."
                )
                % {"other": overlapping.label}
            ]
        }
    return {}


def create_period(*, kind: str, year: int, number: int) -> Period:
    errors = check_period(kind=kind, year=year, number=number)
    if errors:
        raise FiguresError(errors)
    starts_on, ends_on = period_bounds(kind=kind, year=year, number=number)
    try:
        with transaction.atomic():
            return Period.objects.create(
                kind=kind,
                year=year,
                number=number,
                starts_on=starts_on,
                ends_on=ends_on,
                published_figures=publication.publish([], {}),
            )
    except IntegrityError as exc:  # created by someone else a moment ago
        raise FiguresError({"number": [_("This period exists already.")]}) from exc


PERIOD_PATTERN = re.compile(r"^\s*(\d{4})\s*[-/ ]?\s*([kqh])\s*([1-4])\s*$", re.IGNORECASE)


def parse_period(text: str) -> tuple[str, int, int] | None:
    """ "2025-K1" (quarter) or "2025-H2" (half year) -> (kind, year, number)."""
    found = PERIOD_PATTERN.match(text or "")
    if not found:
        return None
    year, letter, number = int(found[1]), found[2].lower(), int(found[3])
    kind = PeriodKind.HALF_YEAR if letter == "h" else PeriodKind.QUARTER
    if number > NUMBERS[kind]:
        return None
    return kind, year, number


# ----- a house's figures ---------------------------------------------------------------


@dataclass
class FiguresInput:
    """What an analyst enters for one house and period. ``municipality`` maps
    municipality ids to cases; ``grouping`` maps free labels to cases."""

    signals: int
    cases: int
    age: dict[str, int] = field(default_factory=dict)
    ideology: dict[str, int] = field(default_factory=dict)
    municipality: dict[int, int] = field(default_factory=dict)
    grouping: dict[str, int] = field(default_factory=dict)


def clean_label(text: str) -> str:
    """A grouping label as stored: whitespace collapsed. Raises ValueError with a Dutch
    message for control characters or a label that is too long."""
    if any(unicodedata.category(char) in ("Cc", "Cf", "Cs", "Co") for char in text):
        raise ValueError(_("Use letters, digits and punctuation only."))
    label = " ".join(text.split())
    if len(label) > MAX_LABEL:
        raise ValueError(_("Use at most %(max)s characters for a grouping.") % {"max": MAX_LABEL})
    return label


def _bad_count(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT


def check_figures(
    *, house_id: int, data: FiguresInput, municipality_ids: set[int] | None = None
) -> dict[str | None, list[str]]:
    """Every rule about one house's figures; {} when they are fine."""
    errors: dict[str | None, list[str]] = defaultdict(list)
    wrong = _("Enter a whole number from 0 to %(max)s.") % {
        "max": f"{MAX_COUNT:,}".replace(",", ".")
    }
    for name in ("signals", "cases"):
        if _bad_count(getattr(data, name)):
            errors[name].append(wrong)
    for group in BREAKDOWNS:
        for value in getattr(data, group).values():
            if _bad_count(value):
                errors[group].append(wrong)
                break
    if set(data.age) - set(AGE_FIELDS) or set(data.ideology) - set(IDEOLOGY_FIELDS):
        errors[None].append(_("Unknown category."))
    if municipality_ids is None:
        municipality_ids = set(
            Municipality.objects.filter(region_id=house_id).values_list("pk", flat=True)
        )
    if set(data.municipality) - set(municipality_ids):
        errors["municipality"].append(_("Only municipalities of this Zorg- en Veiligheidshuis."))
    labels = {}
    for label in data.grouping:
        try:
            cleaned = clean_label(label)
        except ValueError as exc:
            errors["grouping"].append(str(exc))
            continue
        if not cleaned:
            errors["grouping"].append(_("Give every grouping a name."))
        elif cleaned.casefold() in labels:
            errors["grouping"].append(
                _("The grouping “%(label)s” appears twice.") % {"label": cleaned}
            )
        labels[cleaned.casefold()] = cleaned
    if len(data.grouping) > MAX_GROUPINGS:
        errors["grouping"].append(_("Enter at most %(max)s groupings.") % {"max": MAX_GROUPINGS})
    if not errors.get("cases"):
        for group in BREAKDOWNS:
            counts = getattr(data, group)
            if group in errors or any(_bad_count(v) for v in counts.values()):
                continue
            total = sum(counts.values())
            if total > data.cases:
                errors[group].append(
                    _(
                        "%(what)s add up to %(total)s, more than the %(cases)s cases. "
                        "What is not known counts as “other/unknown” by itself."
                    )
                    % {"what": BREAKDOWN_NAMES[group], "total": total, "cases": data.cases}
                )
    return dict(errors)


def save_house_figures(
    *, period_id: int, house_id: int, data: FiguresInput, replace: bool, now: dt.datetime
) -> HouseFigures:
    """Create (or with ``replace``, overwrite) one house's figures for one period and
    recompute the period's published snapshot, in one transaction."""
    errors = check_figures(house_id=house_id, data=data)
    if errors:
        raise FiguresError(errors)
    with transaction.atomic():
        figures = _write(
            period_id=period_id, house_id=house_id, data=data, replace=replace, now=now
        )
        republish(period=figures.period, now=now)
    stamps.bump(stamps.FACTS)  # the published figures changed
    return figures


def _write(*, period_id, house_id, data: FiguresInput, replace: bool, now) -> HouseFigures:
    """Inside a transaction: lock the period (the row every save of its figures
    decides on), then write. Raises FiguresError for a second entry."""
    period = Period.objects.select_for_update(of=("self",)).filter(pk=period_id).first()
    if period is None:
        raise FiguresError({"period": [_("This period no longer exists.")]})
    if not Region.objects.filter(pk=house_id).exists():
        raise FiguresError({"house": [_("Choose a Zorg- en Veiligheidshuis.")]})
    figures = HouseFigures.objects.filter(period=period, house_id=house_id).first()
    if figures is not None and not replace:
        raise FiguresError({"house": [_already_entered(figures.house, period)]})
    if figures is None:
        figures = HouseFigures(period=period, house_id=house_id)
    figures.signals = data.signals
    figures.cases = data.cases
    for code, name in AGE_FIELDS.items():
        setattr(figures, name, data.age.get(code, 0))
    for code, name in IDEOLOGY_FIELDS.items():
        setattr(figures, name, data.ideology.get(code, 0))
    figures.updated_at = now
    figures.save()
    figures.municipality_counts.all().delete()
    MunicipalityCountRow.objects.bulk_create(
        MunicipalityCountRow(figures=figures, municipality_id=pk, cases=n)
        for pk, n in data.municipality.items()
        if n
    )
    figures.groupings.all().delete()
    GroupingCount.objects.bulk_create(
        GroupingCount(figures=figures, label=clean_label(label), cases=n)
        for label, n in data.grouping.items()
        if n
    )
    figures.period = period
    return figures


def _already_entered(house, period) -> str:
    return _(
        "The figures of %(house)s for %(period)s have been entered already; change them there."
    ) % {"house": house, "period": period.label}


def delete_house_figures(*, figures_id: int, now: dt.datetime) -> None:
    with transaction.atomic():
        figures = HouseFigures.objects.filter(pk=figures_id).first()
        if figures is None:
            return
        period = Period.objects.select_for_update(of=("self",)).get(pk=figures.period_id)
        figures.delete()
        republish(period=period, now=now)
    stamps.bump(stamps.FACTS)  # the published figures changed


def republish(*, period: Period, now: dt.datetime) -> None:
    """Recompute the period's snapshot from the raw figures (inside the caller's
    transaction, with the period locked)."""
    rows = list(
        HouseFigures.objects.filter(period=period)
        .select_related("house")
        .prefetch_related("municipality_counts__municipality", "groupings")
        .order_by("house__name")
    )
    municipalities: dict[str, list[str]] = defaultdict(list)
    for slug, region in Municipality.objects.order_by("name").values_list("slug", "region__slug"):
        municipalities[region].append(slug)
    houses = [
        publication.HouseFigures(
            house=row.house.slug,
            signals=row.signals,
            cases=row.cases,
            age=row.age(),
            ideology=row.ideology(),
            municipality={
                count.municipality.slug: count.cases
                for count in row.municipality_counts.all()
                if count.municipality.region_id == row.house_id
            },
            grouping={group.label: group.cases for group in row.groupings.all()},
        )
        for row in rows
    ]
    period.published_figures = publication.publish(houses, municipalities)
    period.figures_changed_at = now
    period.save(update_fields=["published_figures", "figures_changed_at"])


# ----- import --------------------------------------------------------------------------

COLUMNS = {
    "period": ("periode", "period"),
    "house": ("huis", "zorg- en veiligheidshuis", "zvh", "regio"),
    "part": ("onderdeel",),
    "category": ("categorie",),
    "count": ("aantal",),
}
PARTS = {
    "signalen": "signals",
    "casussen": "cases",
    "leeftijd": "age",
    "ideologie": "ideology",
    "gemeente": "municipality",
    "groepering": "grouping",
}
AGE_NAMES = {"<18": "under_18", "18-23": "18_23", "24-35": "24_35", "36+": "36_plus"}
IDEOLOGY_NAMES = {
    "jihadistisch": "jihadist",
    "rechts-extremistisch": "right_wing",
    "links-extremistisch": "left_wing",
    "anti-institutioneel": "anti_institutional",
}
REMAINDER_NAMES = {"onbekend", "overig", "overig/onbekend", "anders of onbekend", "anders"}
MAX_REPORTED = 50


@dataclass
class ImportResult:
    created: int = 0
    replaced: int = 0
    periods_created: list[str] = field(default_factory=list)


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _count(value) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float):
        return int(value) if value.is_integer() and 0 <= value <= MAX_COUNT else None
    if isinstance(value, int):
        return value if 0 <= value <= MAX_COUNT else None
    text = _text(value)
    if re.fullmatch(r"[0-9]{1,6}", text):
        number = int(text)
        return number if number <= MAX_COUNT else None
    return None


def _shown(value) -> str:
    """A cell's text for an error message: short and printable."""
    text = "".join(ch if ch.isprintable() else "?" for ch in _text(value))
    return text if len(text) <= 40 else text[:40] + "…"


def import_figures(*, rows: list[Row], replace: bool, now: dt.datetime) -> ImportResult:
    """Check every line of a sheet (header first), then save everything in one
    transaction, or nothing: FiguresError(lines=[...]) lists what is wrong by line."""
    if not rows:
        raise FiguresError(lines=[_("The file is empty.")])
    header, body = rows[0], rows[1:]
    names = [_text(cell).lower() for cell in header.cells]
    position = {}
    for column, aliases in COLUMNS.items():
        found = next((i for i, name in enumerate(names) if name in aliases), None)
        if found is None:
            raise FiguresError(
                lines=[
                    _(
                        "Line %(line)s: the column “%(column)s” is missing. The first line "
                        "names the columns: periode, huis, onderdeel, categorie, aantal."
                    )
                    % {"line": header.line, "column": aliases[0]}
                ]
            )
        position[column] = found
    if not body:
        raise FiguresError(lines=[_("The file has no figures below the header.")])

    houses = {}
    for region in Region.objects.all():
        houses[region.name.casefold()] = region
        houses[region.slug.casefold()] = region
    municipalities = {
        (m.region_id, key): m
        for m in Municipality.objects.all()
        for key in (m.name.casefold(), m.slug.casefold())
    }
    house_names = ", ".join(sorted({region.name for region in houses.values()}))

    problems: list[str] = []
    entries: dict[tuple, dict] = {}
    seen_lines: dict[tuple, int] = {}

    def problem(line, message):
        problems.append(_("Line %(line)s: %(message)s") % {"line": line, "message": message})

    for row in body:
        cells = list(row.cells) + [None] * (len(names) - len(row.cells))
        value = {column: cells[i] for column, i in position.items()}
        period_key = parse_period(_text(value["period"]))
        if period_key is None:
            problem(
                row.line,
                _("unknown period “%(value)s”; write 2025-K1 (a quarter) or 2025-H1 (a half year).")
                % {"value": _shown(value["period"])},
            )
            continue
        house = houses.get(_text(value["house"]).casefold())
        if house is None:
            problem(
                row.line,
                _("unknown Zorg- en Veiligheidshuis “%(value)s”; choose from %(choices)s.")
                % {"value": _shown(value["house"]), "choices": house_names},
            )
            continue
        part = PARTS.get(_text(value["part"]).lower())
        if part is None:
            problem(
                row.line,
                _("unknown part “%(value)s”; choose from %(choices)s.")
                % {"value": _shown(value["part"]), "choices": ", ".join(PARTS)},
            )
            continue
        count = _count(value["count"])
        if count is None:
            problem(
                row.line,
                _("the count “%(value)s” is not a whole number from 0 to %(max)s.")
                % {"value": _shown(value["count"]), "max": f"{MAX_COUNT:,}".replace(",", ".")},
            )
            continue
        raw_category = _text(value["category"])
        category = raw_category.lower()
        key: object = ""
        if part in ("signals", "cases"):
            if category:
                problem(row.line, _("signalen and casussen have no category; leave it empty."))
                continue
        elif category in REMAINDER_NAMES:
            problem(
                row.line,
                _("“%(value)s” is computed: the total minus what is known. Leave this line out.")
                % {"value": _shown(raw_category)},
            )
            continue
        elif part == "age":
            key = AGE_NAMES.get(category.replace(" ", ""))
            if key is None:
                problem(
                    row.line,
                    _("unknown age band “%(value)s”; choose from %(choices)s.")
                    % {"value": _shown(raw_category), "choices": ", ".join(AGE_NAMES)},
                )
                continue
        elif part == "ideology":
            key = IDEOLOGY_NAMES.get(category)
            if key is None:
                problem(
                    row.line,
                    _("unknown type of ideology “%(value)s”; choose from %(choices)s.")
                    % {"value": _shown(raw_category), "choices": ", ".join(IDEOLOGY_NAMES)},
                )
                continue
        elif part == "municipality":
            municipality = municipalities.get((house.pk, category))
            if municipality is None:
                problem(
                    row.line,
                    _("“%(value)s” is not a municipality of %(house)s.")
                    % {"value": _shown(raw_category), "house": house.name},
                )
                continue
            key = municipality.pk
        else:
            try:
                key = clean_label(raw_category)
            except ValueError as exc:
                problem(row.line, str(exc))
                continue
            if not key:
                problem(row.line, _("a grouping needs a name in the column categorie."))
                continue
        identity = (period_key, house.pk, part, key.casefold() if isinstance(key, str) else key)
        if identity in seen_lines:
            problem(
                row.line,
                _("this repeats line %(first)s.") % {"first": seen_lines[identity]},
            )
            continue
        seen_lines[identity] = row.line
        entry = entries.setdefault(
            (period_key, house.pk),
            {"house": house, "lines": [], "values": {}, "first": row.line},
        )
        entry["lines"].append(row.line)
        entry["values"][(part, key)] = count

    existing = {
        ((kind, year, number), house_id)
        for kind, year, number, house_id in HouseFigures.objects.values_list(
            "period__kind", "period__year", "period__number", "house_id"
        )
    }
    ids_by_house = defaultdict(set)
    for region_id, _key in municipalities:
        ids_by_house[region_id].add(municipalities[(region_id, _key)].pk)
    for (period_key, house_id), entry in entries.items():
        data, missing = _figures_from(entry["values"])
        where = _("lines %(lines)s (%(house)s, %(period)s)") % {
            "lines": _line_span(entry["lines"]),
            "house": entry["house"].name,
            "period": Period(kind=period_key[0], year=period_key[1], number=period_key[2]).label,
        }
        for what in missing:
            problems.append(
                _("%(where)s: the number of %(what)s is missing.") % {"where": where, "what": what}
            )
        if missing:
            continue
        checked = check_figures(
            house_id=house_id, data=data, municipality_ids=ids_by_house[house_id]
        )
        for messages in checked.values():
            for message in messages:
                problems.append(f"{where}: {message}")
        if (period_key, house_id) in existing and not replace:
            problems.append(
                _(
                    "%(where)s: these figures have been entered already. Tick “replace "
                    "figures that were entered already” to overwrite them."
                )
                % {"where": where}
            )
        entry["data"] = data
    new_periods = {key for key, _house in entries} - {
        (period.kind, period.year, period.number) for period in Period.objects.all()
    }
    for kind, year, number in sorted(new_periods):
        errors = check_period(kind=kind, year=year, number=number)
        first = min(e["first"] for (key, _h), e in entries.items() if key == (kind, year, number))
        for messages in errors.values():
            for message in messages:
                problem(first, message)
    if problems:
        shown = problems[:MAX_REPORTED]
        if len(problems) > MAX_REPORTED:
            shown.append(
                _("… and %(count)s more problems.") % {"count": len(problems) - MAX_REPORTED}
            )
        raise FiguresError(lines=shown)

    result = ImportResult()
    with transaction.atomic():
        periods = {}
        for kind, year, number in sorted(new_periods):
            period = create_period(kind=kind, year=year, number=number)
            result.periods_created.append(period.label)
        for period in Period.objects.all():
            periods[(period.kind, period.year, period.number)] = period
        touched = {}
        for (period_key, house_id), entry in sorted(
            entries.items(), key=lambda item: item[1]["first"]
        ):
            period = periods[period_key]
            was_there = (period_key, house_id) in existing
            _write(
                period_id=period.pk,
                house_id=house_id,
                data=entry["data"],
                replace=replace,
                now=now,
            )
            result.replaced += was_there
            result.created += not was_there
            touched[period.pk] = period
        for period in touched.values():
            republish(period=period, now=now)
    stamps.bump(stamps.FACTS)  # the published figures changed
    return result


def _figures_from(values: dict) -> tuple[FiguresInput, list[str]]:
    missing = []
    if ("signals", "") not in values:
        missing.append(_("signals"))
    if ("cases", "") not in values:
        missing.append(_("cases"))
    data = FiguresInput(signals=values.get(("signals", ""), 0), cases=values.get(("cases", ""), 0))
    for (part, key), count in values.items():
        if part in BREAKDOWNS:
            getattr(data, part)[key] = count
    return data, missing


def _line_span(lines: list[int]) -> str:
    lines = sorted(lines)
    return f"{lines[0]}-{lines[-1]}" if len(lines) > 1 else str(lines[0])


# ----- publication ---------------------------------------------------------------------


def create_period_page(*, index, period: Period, title: str, intro: str = "", public: bool):
    """Add and publish the page of a period under the overview: visible to partners
    (and the staff who work with the figures) unless ``public``, the same default an
    editor gets in the admin."""
    with transaction.atomic():
        page = RegionalPicturePage(title=title, slug=period.slug, period=period, intro=intro)
        index.add_child(instance=page)
        if not public:
            restriction = PageViewRestriction.objects.create(
                page=page, restriction_type=PRIVATE_BY_DEFAULT
            )
            restriction.groups.set(audience_groups())
        page.save_revision().publish()
    return page
