"""The regional picture's cells and sums (insights/publication.py): the real shape
(three houses, four breakdowns of the same cases, region-wide sums) is protected, the
snapshot holds nothing but what may be shown, and the change needs two exact cells."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from insights.publication import (
    AGE_BANDS,
    IDEOLOGIES,
    REGION,
    REST,
    HouseFigures,
    Measure,
    Published,
    build,
    change,
    cost,
    publish,
)
from insights.suppression import LIMIT, Mark, check_witness, suppress
from tests.insights.attacker import feasible_values

MUNICIPALITIES = {
    "noord-holland-noord": [f"nhn-{i}" for i in range(16)],
    "kennemerland": [f"ken-{i}" for i in range(9)],
    "zaanstreek-waterland": [f"zw-{i}" for i in range(7)],
}


@st.composite
def house(draw, name, municipalities, *, age_bands=AGE_BANDS, ideologies=IDEOLOGIES, top=60):
    cases = draw(st.integers(min_value=0, max_value=top))

    def split(keys):
        left, counts = cases, {}
        for key in keys:
            counts[key] = draw(st.integers(min_value=0, max_value=left))
            left -= counts[key]
        return counts

    labels = draw(st.lists(st.sampled_from(["Groep A", "Groep B", "Beweging C"]), unique=True))
    return HouseFigures(
        house=name,
        signals=draw(st.integers(min_value=0, max_value=top * 2)),
        cases=cases,
        age=split(age_bands),
        ideology=split(ideologies),
        municipality=split(municipalities),
        grouping=split(labels),
    )


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_the_real_shape_every_suppressed_cell_has_a_checked_witness(data):
    houses = [data.draw(house(name, munis)) for name, munis in MUNICIPALITIES.items()]
    values, sums = build(houses, MUNICIPALITIES)
    result = suppress(values, sums, cost=lambda cell: cost(cell, values[cell]))
    assert not result.exposed
    for cell, value in values.items():
        assert (result.marks[cell] is Mark.SMALL) == (value < LIMIT)
    for cell in result.suppressed():
        assert check_witness(
            cell, result.witnesses[cell], values=values, marks=result.marks, sums=sums
        )


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_a_small_version_of_the_real_shape_against_the_brute_force_attacker(data):
    """Two houses, one age band, one ideology, one municipality each (plus the
    remainders), small numbers: the attacker who adds up the houses, the breakdowns
    of the same total and the region-wide sums cannot pin down any hidden cell."""
    munis = {"a": ["a-1"], "b": ["b-1"]}
    houses = [
        data.draw(house(name, m, age_bands=("young",), ideologies=("left",), top=9))
        for name, m in munis.items()
    ]
    values, sums = build(houses, munis, age_bands=("young",), ideologies=("left",))
    result = suppress(values, sums, cost=lambda cell: cost(cell, values[cell]))
    assert not result.exposed
    for cell, found in feasible_values(values, sums, result.marks).items():
        assert len(found) >= 2, (cell, found, values, result.marks)


def test_region_sums_and_remainders():
    houses = [
        HouseFigures(
            "noord-holland-noord",
            signals=30,
            cases=20,
            age={"under_18": 8, "18_23": 6},
            ideology={"jihadist": 12},
            municipality={"nhn-0": 9},
            grouping={"Groep A": 7, "Groep B": 2},
        ),
        HouseFigures("kennemerland", signals=12, cases=11, age={"under_18": 6}),
    ]
    values, _ = build(houses, MUNICIPALITIES)
    assert values[(Measure.CASES, REGION, "")] == 31
    assert values[(Measure.SIGNALS, REGION, "")] == 42
    assert values[(Measure.AGE, "noord-holland-noord", REST)] == 6
    assert values[(Measure.AGE, REGION, "under_18")] == 14
    assert values[(Measure.MUNICIPALITY, "noord-holland-noord", REST)] == 11
    assert values[(Measure.MUNICIPALITY, "kennemerland", "ken-3")] == 0
    # A grouping under 5 is not named: it counts in the remainder.
    assert (Measure.GROUPING, "noord-holland-noord", "Groep B") not in values
    assert values[(Measure.GROUPING, "noord-holland-noord", REST)] == 13


def test_a_breakdown_larger_than_its_total_is_refused():
    with pytest.raises(ValueError):
        build([HouseFigures("kennemerland", 1, 3, age={"under_18": 4})], MUNICIPALITIES)


def test_the_snapshot_holds_no_value_of_a_suppressed_cell():
    houses = [
        HouseFigures("noord-holland-noord", 40, 23, age={"under_18": 3, "18_23": 12}),
        HouseFigures("kennemerland", 17, 9, age={"under_18": 6}),
        HouseFigures("zaanstreek-waterland", 2, 1),
    ]
    snapshot = publish(houses, MUNICIPALITIES)
    json.dumps(snapshot)  # JSON-ready
    assert snapshot["withheld"] is False
    for _measure, _house, _category, mark, value in snapshot["cells"]:
        assert (value is None) == (mark != Mark.EXACT)
    published = Published(snapshot)
    assert published.get(Measure.AGE, "noord-holland-noord", "under_18").mark is Mark.SMALL
    assert published.get(Measure.SIGNALS, "zaanstreek-waterland").mark is Mark.SMALL
    assert published.get(Measure.CASES, REGION) == published.get(Measure.CASES, REGION)
    assert published.categories(Measure.AGE, REGION)[-1] == REST


def test_the_change_needs_two_exact_cells():
    exact = Published({"cells": [["cases", "*", "", "exact", 12]]}).get("cases", "*")
    earlier = Published({"cells": [["cases", "*", "", "exact", 9]]}).get("cases", "*")
    small = Published({"cells": [["cases", "*", "", "small", None]]}).get("cases", "*")
    hidden = Published({"cells": [["cases", "*", "", "hidden", None]]}).get("cases", "*")
    assert change(exact, earlier) == 3
    assert change(earlier, exact) == -3
    assert change(exact, small) is None
    assert change(small, exact) is None
    assert change(hidden, exact) is None
    assert change(exact, None) is None
