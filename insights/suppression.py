"""Small-number suppression for published counts. Plain Python: no Django in here.

The model
---------
A publication is a set of *cells* (counts: non-negative integers) tied together by
*sums*: each sum says that one cell (the total) is the sum of some other cells (the
parts). A breakdown of the cases of one Zorg- en Veiligheidshuis is a sum, so is the
region-wide figure as the sum of the three houses; two breakdowns of the same total are
two sums with the same total cell.

Every cell is published in one of three ways (``Mark``):

- ``EXACT``: the number itself.
- ``SMALL``: shown as "<5". The value is 0, 1, 2, 3 or 4. Zero is shown as "<5" too:
  a published 0 next to a "<5" tells which categories the few people are *not* in, and
  with several breakdowns of one small total (all zeros but one age band, one ideology,
  one municipality) that adds up to a description of a person.
- ``HIDDEN``: shown as "afgeschermd" (complementary suppression). The value is 5 or
  more; it is hidden only so that a ``SMALL`` cell (or another hidden cell) cannot be
  computed from the rest.

The attacker knows every exact value, that a ``SMALL`` cell is 0-4, that a ``HIDDEN``
cell is 5 or more (the rule is public), and every sum. A suppressed cell is *protected*
when at least two tables of non-negative integers agree with all of that and differ in
that cell; for a "<5" cell both values are then in 0-4, because that is what "<5"
tells the attacker.

Proof by witness
----------------
``suppress`` does not trust a heuristic: for every suppressed cell it finds a
*witness*, a move that adds +1 or -1 to some suppressed cells (the cell itself among
them) such that every sum still holds and every moved cell stays within what its mark
says. The true table plus the move is a second table consistent with everything
published, so the cell is protected. A witness stays valid when more cells are hidden
later (it only touches cells that were already suppressed), and it proves every cell it
moves at once. The search for a move is a depth-first search with a node budget; when
it finds nothing (or runs out of budget) the cell counts as exposed and one more cell
is hidden (conservative: a failed search can only cost information, never leak it).

Which cells are hidden next: the same search, run for the exposed cell with published
cells allowed to move too (each at a ``cost``: by default parts before totals, then the
smallest value), finds the cheapest move; its published cells are hidden, and the move
is then the exposed cell's witness. (Should that search find nothing within its budget,
the cheapest published cell in a sum around the exposed cell is hidden and the loop
goes on.)

An attacker who knows the *algorithm* could learn a little more (for instance that a
hidden cell was the smallest in its sum); this module protects against the attacker
described above, who knows what is published and the rule "<5".
"""

from __future__ import annotations

import contextlib
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum

LIMIT = 5  # counts below this (0-4) are shown as "<5"
SEARCH_BUDGET = 20_000  # nodes per witness search

Cell = Hashable


class Mark(StrEnum):
    EXACT = "exact"
    SMALL = "small"
    HIDDEN = "hidden"


@dataclass(frozen=True)
class Sum:
    """``total`` equals the sum of ``parts``."""

    total: Cell
    parts: tuple[Cell, ...]


@dataclass
class Result:
    marks: dict[Cell, Mark]
    witnesses: dict[Cell, dict[Cell, int]] = field(default_factory=dict)
    exposed: list[Cell] = field(default_factory=list)  # empty unless nothing was left to hide

    def suppressed(self) -> list[Cell]:
        return [cell for cell, mark in self.marks.items() if mark is not Mark.EXACT]


def primary(values: Mapping[Cell, int]) -> dict[Cell, Mark]:
    """Every count below ``LIMIT`` (including 0) is shown as "<5"."""
    return {cell: Mark.SMALL if value < LIMIT else Mark.EXACT for cell, value in values.items()}


def can_move(mark: Mark, value: int, step: int) -> bool:
    """Whether ``value + step`` is still what ``mark`` tells the attacker."""
    new = value + step
    if mark is Mark.SMALL:
        return 0 <= new < LIMIT
    if mark is Mark.HIDDEN:
        return new >= LIMIT
    return False


class Index:
    """The sums as a system of equations: each sum is ``sum(parts) - total == 0``."""

    def __init__(self, sums: Iterable[Sum], cells: Iterable[Cell]):
        self.sums = list(sums)
        known = set(cells)
        self.members: list[list[tuple[Cell, int]]] = []
        self.terms: dict[Cell, list[tuple[int, int]]] = defaultdict(list)
        for number, item in enumerate(self.sums):
            members = [(item.total, -1)] + [(part, 1) for part in item.parts]
            seen = {cell for cell, _ in members}
            if len(seen) != len(members):
                raise ValueError(f"A cell appears twice in one sum: {item!r}")
            missing = seen - known
            if missing:
                raise ValueError(f"Sum refers to unknown cells: {sorted(map(repr, missing))}")
            self.members.append(members)
            for cell, coefficient in members:
                self.terms[cell].append((number, coefficient))

    def totals_of(self, cell: Cell) -> int:
        """In how many sums ``cell`` is the total."""
        return sum(1 for _, coefficient in self.terms.get(cell, ()) if coefficient < 0)


class _OutOfBudget(Exception):
    pass


def _sign(number: int) -> int:
    return (number > 0) - (number < 0)


def find_witness(
    cell: Cell,
    *,
    values: Mapping[Cell, int],
    marks: Mapping[Cell, Mark],
    index: Index,
    budget: int = SEARCH_BUDGET,
) -> dict[Cell, int] | None:
    """A move (cell -> +1/-1) over suppressed cells that changes ``cell`` and keeps every
    sum and every mark true, or None when none was found within ``budget`` nodes."""
    if marks[cell] is Mark.EXACT:
        return None
    for step in (1, -1):
        if can_move(marks[cell], values[cell], step):
            found, _ = _search(cell, step, values=values, marks=marks, index=index, budget=budget)
            if found is not None:
                return found
    return None


def cheapest_protection(
    cell: Cell,
    *,
    values: Mapping[Cell, int],
    marks: Mapping[Cell, Mark],
    index: Index,
    cost: Callable[[Cell], float],
    budget: int = SEARCH_BUDGET,
) -> dict[Cell, int] | None:
    """The cheapest move that would protect ``cell`` if the published cells it uses were
    hidden (each at ``cost(cell)``); the cheapest found within the budget."""
    best, best_cost = None, float("inf")
    for step in (1, -1):
        if can_move(marks[cell], values[cell], step):
            found, spent = _search(
                cell, step, values=values, marks=marks, index=index, budget=budget, cost=cost
            )
            if found is not None and spent < best_cost:
                best, best_cost = found, spent
    return best


def _search(start, step, *, values, marks, index: Index, budget: int, cost=None):
    """Depth-first search for a move starting with ``start``: ``step``.

    Without ``cost`` only suppressed cells move and the first move found is returned.
    With ``cost`` published cells may move as if they were hidden (they are 5 or more),
    each adding ``cost(cell)``; the search goes on for cheaper moves until it has seen
    every option or used its budget. Returns (move or None, its cost)."""
    move: dict[Cell, int] = {start: step}
    imbalance: dict[int, int] = defaultdict(int)
    for number, coefficient in index.terms.get(start, ()):
        imbalance[number] += coefficient * step
    nodes = 0
    spent = 0.0
    best: list = [None, float("inf")]

    def mark_of(cell):
        mark = marks[cell]
        return Mark.HIDDEN if mark is Mark.EXACT else mark

    def options(number: int) -> list[tuple[float, int, Cell, int]]:
        """Cells that can reduce the imbalance of sum ``number``, best first."""
        wanted = -_sign(imbalance[number])
        found = []
        for cell, coefficient in index.members[number]:
            if cell in move or (cost is None and marks[cell] is Mark.EXACT):
                continue
            step = wanted * coefficient
            if not can_move(mark_of(cell), values[cell], step):
                continue
            extra = cost(cell) if marks[cell] is Mark.EXACT else 0.0
            # Prefer cells that also settle other open sums and touch few new ones.
            score = 0
            for other, other_coefficient in index.terms[cell]:
                if other == number:
                    continue
                effect = other_coefficient * step
                score += -1 if imbalance[other] and _sign(imbalance[other]) != effect else 1
            found.append((extra, score, cell, step))
        found.sort(key=lambda item: (item[0], item[1]))
        return found

    def dfs() -> bool:
        nonlocal nodes, spent
        nodes += 1
        if nodes > budget:
            raise _OutOfBudget
        if spent >= best[1]:
            return False
        open_sums = [number for number, value in imbalance.items() if value]
        if not open_sums:
            best[0], best[1] = dict(move), spent
            return cost is None  # the first will do; with costs, look for cheaper
        choice = None
        for number in open_sums:
            choices = options(number)
            if not choices:
                return False
            if choice is None or len(choices) < len(choice):
                choice = choices
                if len(choice) == 1:
                    break
        for extra, _, cell, step in choice:
            move[cell] = step
            spent += extra
            for number, coefficient in index.terms[cell]:
                imbalance[number] += coefficient * step
            if dfs():
                return True
            for number, coefficient in index.terms[cell]:
                imbalance[number] -= coefficient * step
            spent -= extra
            del move[cell]
        return False

    with contextlib.suppress(_OutOfBudget):
        dfs()
    return best[0], best[1]


def default_cost(index: Index, values: Mapping[Cell, int]) -> Callable[[Cell], float]:
    """Hiding a total costs more than hiding parts; a small value costs less."""
    return lambda cell: 1000 * index.totals_of(cell) + values[cell]


def suppress(
    values: Mapping[Cell, int],
    sums: Iterable[Sum],
    *,
    cost: Callable[[Cell], float] | None = None,
    budget: int = SEARCH_BUDGET,
) -> Result:
    """Marks for every cell: "<5" for 0-4, and complementary suppression until every
    suppressed cell has a witness. Deterministic (follows the order of ``values``)."""
    for cell, value in values.items():
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise ValueError(f"Counts are non-negative integers, not {value!r} ({cell!r})")
    index = Index(sums, values)
    cost = cost or default_cost(index, values)
    marks = primary(values)
    witnesses: dict[Cell, dict[Cell, int]] = {}
    while True:
        exposed = None
        for cell, mark in marks.items():
            if mark is Mark.EXACT or cell in witnesses:
                continue
            move = find_witness(cell, values=values, marks=marks, index=index, budget=budget)
            if move is None:
                exposed = cell
                break
            for moved in move:
                witnesses.setdefault(moved, move)
        if exposed is None:
            return Result(marks=marks, witnesses=witnesses)
        move = cheapest_protection(
            exposed, values=values, marks=marks, index=index, cost=cost, budget=budget
        )
        if move is not None:
            for moved in move:
                if marks[moved] is Mark.EXACT:
                    marks[moved] = Mark.HIDDEN
            continue  # the move is now a witness; the loop finds and records it
        choice = _complement(exposed, marks=marks, index=index, cost=cost)
        if choice is None:
            # Nothing left to hide near it: the caller must not publish these cells.
            unprotected = [
                c for c, m in marks.items() if m is not Mark.EXACT and c not in witnesses
            ]
            return Result(marks=marks, witnesses=witnesses, exposed=unprotected)
        marks[choice] = Mark.HIDDEN


def _complement(exposed: Cell, *, marks, index: Index, cost) -> Cell | None:
    """Fallback when no protecting move was found within the budget: the cheapest
    published cell in the sums around ``exposed``, widening over suppressed cells."""
    seen_sums: set[int] = set()
    seen_cells = {exposed}
    frontier = [exposed]
    while frontier:
        sums = sorted(
            {number for cell in frontier for number, _ in index.terms.get(cell, ())} - seen_sums
        )
        if not sums:
            return None
        seen_sums.update(sums)
        candidates = {
            cell
            for number in sums
            for cell, _ in index.members[number]
            if marks[cell] is Mark.EXACT
        }
        if candidates:
            return min(candidates, key=lambda cell: (cost(cell), repr(cell)))
        frontier = [
            cell for number in sums for cell, _ in index.members[number] if cell not in seen_cells
        ]
        seen_cells.update(frontier)
    return None


def check_witness(
    cell: Cell,
    move: Mapping[Cell, int],
    *,
    values: Mapping[Cell, int],
    marks: Mapping[Cell, Mark],
    sums: Iterable[Sum],
) -> bool:
    """Independent check of a witness: applying ``move`` gives a second table that keeps
    every sum, every exact value and every mark, and changes ``cell``."""
    if not move.get(cell):
        return False
    moved = dict(values)
    for target, step in move.items():
        if step not in (1, -1) or marks[target] is Mark.EXACT:
            return False
        moved[target] = values[target] + step
    for target, value in moved.items():
        mark = marks[target]
        if mark is Mark.EXACT and value != values[target]:
            return False
        if mark is Mark.SMALL and not 0 <= value < LIMIT:
            return False
        if mark is Mark.HIDDEN and value < LIMIT:
            return False
    return all(moved[item.total] == sum(moved[part] for part in item.parts) for item in sums)
