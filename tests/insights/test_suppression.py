"""Small-number suppression, checked exhaustively on small tables by a brute-force
attacker (tests/insights/attacker.py) that knows every published cell and total.

For every table in each family below (every combination of small values in every
position, plus larger values), after ``suppress``:

- every count 0-4 is shown as "<5" and nothing else is;
- every suppressed cell has at least two values in the tables the attacker cannot rule
  out (for a "<5" cell: at least two values in 0-4);
- every witness the algorithm reports checks out independently.
"""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from insights.suppression import (
    LIMIT,
    Index,
    Mark,
    Sum,
    check_witness,
    find_witness,
    suppress,
)
from tests.insights.attacker import feasible_values

SMALL_AND_LARGE = (0, 1, 2, 3, 4, 5, 6, 9)


def assert_safe(values, sums, result):
    assert not result.exposed, result.exposed
    for cell, value in values.items():
        assert (result.marks[cell] is Mark.SMALL) == (value < LIMIT), (cell, value)
    for cell in result.suppressed():
        assert check_witness(
            cell, result.witnesses[cell], values=values, marks=result.marks, sums=sums
        ), (cell, values, result.marks)
    seen = feasible_values(values, sums, result.marks)
    for cell, found in seen.items():
        assert len(found) >= 2, f"{cell} can be derived: {found} from {values} {result.marks}"
        if result.marks[cell] is Mark.SMALL:
            assert len(found & set(range(LIMIT))) >= 2


# ----- families of tables --------------------------------------------------------------


def one_way(parts):
    """A total and its breakdown."""
    cells = [("part", i) for i in range(len(parts))]
    values = dict(zip(cells, parts, strict=True))
    values[("total",)] = sum(parts)
    return values, [Sum(("total",), tuple(cells))]


def two_way(grid):
    """Houses (rows) x categories (columns): each house's total, each category's region
    total, and the region total."""
    rows, cols = len(grid), len(grid[0])
    values = {("x", r, c): grid[r][c] for r in range(rows) for c in range(cols)}
    for r in range(rows):
        values[("house", r)] = sum(grid[r])
    for c in range(cols):
        values[("category", c)] = sum(grid[r][c] for r in range(rows))
    values[("region",)] = sum(values[("house", r)] for r in range(rows))
    sums = [Sum(("house", r), tuple(("x", r, c) for c in range(cols))) for r in range(rows)]
    sums += [Sum(("category", c), tuple(("x", r, c) for r in range(rows))) for c in range(cols)]
    sums.append(Sum(("region",), tuple(("house", r) for r in range(rows))))
    return values, sums


def linked(houses):
    """Two breakdowns (age and ideology, two categories each) of the same house totals,
    each with its region-wide sums: ``houses`` is [(age split, ideology split), ...]."""
    values, sums = {}, []
    for h, splits in enumerate(houses):
        values[("cases", h)] = sum(splits[0])
        for d, split in enumerate(splits):
            assert sum(split) == values[("cases", h)]
            for c, count in enumerate(split):
                values[(d, h, c)] = count
            sums.append(Sum(("cases", h), tuple((d, h, c) for c in range(len(split)))))
    values[("cases", "*")] = sum(values[("cases", h)] for h in range(len(houses)))
    sums.append(Sum(("cases", "*"), tuple(("cases", h) for h in range(len(houses)))))
    for d in range(2):
        for c in range(2):
            values[(d, "*", c)] = sum(values[(d, h, c)] for h in range(len(houses)))
            sums.append(Sum((d, "*", c), tuple((d, h, c) for h in range(len(houses)))))
    return values, sums


# ----- exhaustive ------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 3, 4])
def test_every_breakdown_of_up_to_four_categories(size):
    tables = 0
    for parts in itertools.product(SMALL_AND_LARGE, repeat=size):
        values, sums = one_way(parts)
        assert_safe(values, sums, suppress(values, sums))
        tables += 1
    assert tables == len(SMALL_AND_LARGE) ** size


@pytest.mark.parametrize("shape", [(2, 2), (1, 3), (3, 1)])
def test_every_two_way_table_of_four_cells_or_fewer(shape):
    rows, cols = shape
    for flat in itertools.product(SMALL_AND_LARGE, repeat=rows * cols):
        grid = [flat[r * cols : (r + 1) * cols] for r in range(rows)]
        values, sums = two_way(grid)
        assert_safe(values, sums, suppress(values, sums))


def test_every_three_houses_by_two_categories():
    """3 x 2, every cell 0, 2, 4 or 7 (4,096 tables)."""
    for flat in itertools.product((0, 2, 4, 7), repeat=6):
        grid = [flat[0:2], flat[2:4], flat[4:6]]
        values, sums = two_way(grid)
        assert_safe(values, sums, suppress(values, sums))


def test_every_pair_of_breakdowns_of_the_same_small_totals():
    """Two houses, each with two breakdowns of its cases (two categories each), all
    totals 0-5 (8,281 tables): the breakdowns cannot be played off against each other."""
    splits = [
        ((a, t - a), (b, t - b)) for t in range(6) for a in range(t + 1) for b in range(t + 1)
    ]
    for first, second in itertools.product(splits, repeat=2):
        values, sums = linked([first, second])
        assert_safe(values, sums, suppress(values, sums))


# ----- the rule itself -------------------------------------------------------------------


def test_nothing_is_hidden_when_nothing_is_small():
    values, sums = two_way([[5, 7], [9, 12]])
    assert suppress(values, sums).suppressed() == []


def test_zero_is_shown_as_small_too():
    values, sums = one_way((0, 8, 9))
    result = suppress(values, sums)
    assert result.marks[("part", 0)] is Mark.SMALL


def test_one_small_part_costs_one_more_part_not_the_total():
    values, sums = one_way((3, 8, 9, 20))
    result = suppress(values, sums)
    assert result.marks[("total",)] is Mark.EXACT
    assert result.marks[("part", 1)] is Mark.HIDDEN  # the smallest other part
    assert list(result.suppressed()) == [("part", 0), ("part", 1)]


def test_two_small_parts_that_add_up_to_eight_are_not_enough():
    """4 + 4 = 8 with both known to be 0-4: each must be 4, so a third cell goes."""
    values, sums = one_way((4, 4, 10))
    result = suppress(values, sums)
    assert result.marks[("part", 2)] is Mark.HIDDEN
    assert_safe(values, sums, result)


def test_a_single_small_cell_in_a_two_way_table_hides_a_rectangle_not_the_margins():
    values, sums = two_way([[4, 9], [9, 9]])
    result = suppress(values, sums)
    assert sorted(result.suppressed()) == [("x", 0, 0), ("x", 0, 1), ("x", 1, 0), ("x", 1, 1)]
    assert_safe(values, sums, result)


def test_the_attacker_does_find_what_a_naive_rule_leaks():
    """The brute-force attacker is not toothless: with only the "<5" rule (no
    complementary suppression) it derives the hidden cell from the total."""
    values, sums = one_way((3, 8, 9))
    marks = {cell: Mark.SMALL if value < LIMIT else Mark.EXACT for cell, value in values.items()}
    assert feasible_values(values, sums, marks)[("part", 0)] == {3}
    # ... and from the sum of the houses: a hidden house is the region minus the rest.
    values, sums = two_way([[3, 7], [8, 9]])
    marks = {cell: Mark.SMALL if value < LIMIT else Mark.EXACT for cell, value in values.items()}
    assert feasible_values(values, sums, marks)[("x", 0, 0)] == {3}


def test_the_attacker_sees_the_true_table_among_the_possible_ones():
    values, sums = two_way([[3, 7], [8, 1]])
    result = suppress(values, sums)
    seen = feasible_values(values, sums, result.marks, stop_when_protected=False)
    assert all(values[cell] in found for cell, found in seen.items())
    assert len(seen[("x", 0, 0)]) >= 2


def test_witness_search_refuses_a_move_that_breaks_a_published_cell():
    values, sums = one_way((3, 8, 9))
    marks = {cell: Mark.SMALL if value < LIMIT else Mark.EXACT for cell, value in values.items()}
    index = Index(sums, values)
    assert find_witness(("part", 0), values=values, marks=marks, index=index) is None
    assert not check_witness(
        ("part", 0), {("part", 0): 1, ("part", 1): -1}, values=values, marks=marks, sums=sums
    )


def test_bad_input_is_refused():
    with pytest.raises(ValueError):
        suppress({"a": -1, "t": 0}, [Sum("t", ("a",))])
    with pytest.raises(ValueError):
        suppress({"a": 1.5, "t": 2}, [Sum("t", ("a",))])
    with pytest.raises(ValueError):
        suppress({"a": 1, "t": 1}, [Sum("t", ("a", "a"))])
    with pytest.raises(ValueError):
        suppress({"a": 1}, [Sum("t", ("a",))])


# ----- larger tables: every suppressed cell carries a checked witness --------------------


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=40), min_size=5, max_size=5),
        min_size=3,
        max_size=3,
    )
)
def test_three_houses_by_five_categories_every_suppressed_cell_has_a_checked_witness(grid):
    values, sums = two_way(grid)
    result = suppress(values, sums)
    assert not result.exposed
    for cell in result.suppressed():
        assert check_witness(
            cell, result.witnesses[cell], values=values, marks=result.marks, sums=sums
        )


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.integers(min_value=0, max_value=12), min_size=3, max_size=3),
        min_size=2,
        max_size=2,
    )
)
def test_two_houses_by_three_categories_against_the_attacker(grid):
    values, sums = two_way(grid)
    assert_safe(values, sums, suppress(values, sums))
