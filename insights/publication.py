"""What one period publishes: the cells of the regional picture, the sums between them,
the suppressed snapshot that pages, charts and exports read, and the change against
the previous period. Plain Python (no Django).

Cells are ``(measure, house, category)`` tuples. ``house`` is a region slug or
``REGION`` for the whole region; ``category`` is "" for the key figures, a code for a
breakdown, or ``REST`` for the remainder of a breakdown ("overig/onbekend": the total
minus the categories that are known).

Sums (everything an attacker can add up):

- signals and cases of the region = the sum over the houses;
- per house, each breakdown of its cases (age, ideology, municipality, grouping) adds
  up to its cases: four breakdowns of the same total;
- per age band and ideology, the region's figure = the sum over the houses; the
  region's "municipality unknown" = the sum of the houses' (a municipality belongs to
  one house, so its region-wide figure *is* the house's cell).

Groupings are free labels: a label with fewer than 5 cases is not named (its cases
count under "overig/onbekend"), because naming it would tell that it exists. Labels
are not added up over the houses (each house words them its own way).

The snapshot holds only what may be shown: the mark of each cell and the value of the
exact ones. Nothing shown is ever computed from the raw figures after this point; the
change against the previous period is computed from two snapshots and only where
both cells are exact (so it tells nothing that the two pages do not show already).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from .suppression import LIMIT, Mark, Sum, suppress

SNAPSHOT_VERSION = 1
REGION = "*"
REST = "~"


class Measure(StrEnum):
    SIGNALS = "signals"
    CASES = "cases"
    AGE = "age"
    IDEOLOGY = "ideology"
    MUNICIPALITY = "municipality"
    GROUPING = "grouping"


AGE_BANDS = ("under_18", "18_23", "24_35", "36_plus")
IDEOLOGIES = ("jihadist", "right_wing", "left_wing", "anti_institutional")


@dataclass(frozen=True)
class HouseFigures:
    """The raw figures of one house for one period."""

    house: str
    signals: int
    cases: int
    age: Mapping[str, int] = field(default_factory=dict)
    ideology: Mapping[str, int] = field(default_factory=dict)
    municipality: Mapping[str, int] = field(default_factory=dict)
    grouping: Mapping[str, int] = field(default_factory=dict)


def named_groupings(grouping: Mapping[str, int]) -> list[str]:
    """Labels shown by name: 5 cases or more, in alphabetical order."""
    return sorted((label for label, n in grouping.items() if n >= LIMIT), key=str.casefold)


def build(
    houses: Sequence[HouseFigures],
    municipalities: Mapping[str, Sequence[str]],
    *,
    age_bands: Sequence[str] = AGE_BANDS,
    ideologies: Sequence[str] = IDEOLOGIES,
) -> tuple[dict[tuple, int], list[Sum]]:
    """The cells (with their raw values) and the sums of one period."""
    values: dict[tuple, int] = {}
    sums: list[Sum] = []

    def breakdown(measure, house, counts: Mapping[str, int], categories, total_cell, total):
        cells = []
        for category in categories:
            cell = (measure, house, category)
            values[cell] = counts.get(category, 0)
            cells.append(cell)
        rest = total - sum(values[cell] for cell in cells)
        if rest < 0:
            raise ValueError(f"{measure} of {house} adds up to more than {total}")
        values[(measure, house, REST)] = rest
        sums.append(Sum(total_cell, (*cells, (measure, house, REST))))

    for figures in houses:
        h = figures.house
        values[(Measure.SIGNALS, h, "")] = figures.signals
        cases = (Measure.CASES, h, "")
        values[cases] = figures.cases
        breakdown(Measure.AGE, h, figures.age, age_bands, cases, figures.cases)
        breakdown(Measure.IDEOLOGY, h, figures.ideology, ideologies, cases, figures.cases)
        breakdown(
            Measure.MUNICIPALITY,
            h,
            figures.municipality,
            municipalities.get(h, ()),
            cases,
            figures.cases,
        )
        breakdown(
            Measure.GROUPING,
            h,
            figures.grouping,
            named_groupings(figures.grouping),
            cases,
            figures.cases,
        )

    names = [figures.house for figures in houses]

    def region_sum(measure, category):
        parts = tuple((measure, h, category) for h in names)
        values[(measure, REGION, category)] = sum(values[part] for part in parts)
        sums.append(Sum((measure, REGION, category), parts))

    region_sum(Measure.SIGNALS, "")
    region_sum(Measure.CASES, "")
    for category in (*age_bands, REST):
        region_sum(Measure.AGE, category)
    for category in (*ideologies, REST):
        region_sum(Measure.IDEOLOGY, category)
    region_sum(Measure.MUNICIPALITY, REST)
    return values, sums


def cost(cell: tuple, value: int) -> float:
    """What hiding a cell costs: key figures are worth more than breakdown cells, the
    region more than a house; then smaller values are cheaper to hide."""
    measure, house, _ = cell
    tier = 0
    if measure in (Measure.SIGNALS, Measure.CASES):
        tier = 100_000 if house == REGION else 10_000
    elif house == REGION:
        tier = 1_000
    return tier + value


def publish(
    houses: Sequence[HouseFigures],
    municipalities: Mapping[str, Sequence[str]],
    **categories,
) -> dict:
    """The snapshot of one period: JSON-ready, nothing in it but what may be shown."""
    values, sums = build(houses, municipalities, **categories)
    result = suppress(values, sums, cost=lambda cell: cost(cell, values[cell]))
    snapshot = {"version": SNAPSHOT_VERSION, "houses": [figures.house for figures in houses]}
    if result.exposed:  # never seen in the tests; refuse rather than publish a leak
        snapshot["withheld"] = True
        snapshot["cells"] = []
        return snapshot
    snapshot["withheld"] = False
    snapshot["cells"] = [
        [measure, house, category, mark.value, values[cell] if mark is Mark.EXACT else None]
        for cell, mark in result.marks.items()
        for measure, house, category in [cell]
    ]
    return snapshot


@dataclass(frozen=True)
class Shown:
    """One published cell: its mark, and its value when exact."""

    mark: Mark
    value: int | None = None

    @property
    def exact(self) -> bool:
        return self.mark is Mark.EXACT


class Published:
    """Read access to a snapshot."""

    def __init__(self, snapshot: Mapping | None):
        snapshot = snapshot or {}
        self.houses: list[str] = list(snapshot.get("houses", []))
        self.withheld: bool = bool(snapshot.get("withheld", False))
        self._cells: dict[tuple, Shown] = {}
        self._order: dict[tuple, list[str]] = {}
        for measure, house, category, mark, value in snapshot.get("cells", []):
            self._cells[(measure, house, category)] = Shown(Mark(mark), value)
            self._order.setdefault((measure, house), []).append(category)

    def __bool__(self) -> bool:
        return bool(self._cells)

    def get(self, measure: str, house: str, category: str = "") -> Shown | None:
        return self._cells.get((measure, house, category))

    def count(self, mark: Mark) -> int:
        return sum(1 for shown in self._cells.values() if shown.mark is mark)

    def categories(self, measure: str, house: str) -> list[str]:
        """Categories of a breakdown in the published order, the remainder last."""
        return list(self._order.get((measure, house), []))


def change(current: Shown | None, previous: Shown | None) -> int | None:
    """The change against the previous period, only where both are exact."""
    if current is None or previous is None or not (current.exact and previous.exact):
        return None
    return current.value - previous.value
