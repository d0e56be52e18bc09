"""A brute-force attacker for the suppression tests (no Django, independent of the
witness search in ``insights.suppression``).

It knows every published value, that a "<5" cell is 0-4, that a hidden cell is 5 or
more, and every sum. It enumerates the tables of non-negative integers that agree with
all of that and collects, per suppressed cell, the values it can take.

To keep the exhaustive tests quick it only tries hidden cells within ``window`` of their
true value (a "<5" cell always gets all of 0-4). Looking at fewer tables can only make
it find fewer values, never more, so a cell it finds two values for is protected; a
cell it finds one value for would fail the test (possibly a false alarm, never a
missed leak).
"""

from __future__ import annotations

from insights.suppression import LIMIT, Mark


def feasible_values(values, sums, marks, *, window=3, stop_when_protected=True):
    """{suppressed cell: set of values it takes in some consistent table}."""
    cells = list(values)
    number = {cell: i for i, cell in enumerate(cells)}
    totals = {item.total for item in sums}
    leaves = [number[cell] for cell in cells if cell not in totals]
    rules = [(number[item.total], [number[p] for p in item.parts]) for item in sums]

    # After the k-th leaf is set, these sums have all their parts known (in an order in
    # which a computed total is available before a sum that uses it as a part).
    schedule, known, done = [], set(), set()
    for leaf in leaves:
        known.add(leaf)
        ready, progress = [], True
        while progress:
            progress = False
            for index, (total, parts) in enumerate(rules):
                if index not in done and all(p in known for p in parts):
                    done.add(index)
                    ready.append((total, parts, total in known))
                    known.add(total)
                    progress = True
        schedule.append(ready)
    # Sums with a published total that a leaf is part of: prune when the parts known so
    # far already exceed it.
    caps = {
        leaf: [
            (total, parts)
            for total, parts in rules
            if leaf in parts and marks[cells[total]] is Mark.EXACT
        ]
        for leaf in leaves
    }
    assert len(done) == len(rules), "every total must follow from the leaves"

    kinds = [marks[cell] for cell in cells]
    exact = [values[cell] for cell in cells]
    suppressed = [i for i, kind in enumerate(kinds) if kind is not Mark.EXACT]
    seen = {i: set() for i in suppressed}
    table = [None] * len(cells)

    def fits(i, value):
        kind = kinds[i]
        if kind is Mark.EXACT:
            return value == exact[i]
        if kind is Mark.SMALL:
            return 0 <= value < LIMIT
        return value >= LIMIT

    def domain(i):
        kind = kinds[i]
        if kind is Mark.EXACT:
            return (exact[i],)
        if kind is Mark.SMALL:
            return range(LIMIT)
        return range(max(LIMIT, exact[i] - window), exact[i] + window + 1)

    def walk(position):
        if position == len(leaves):
            for i in suppressed:
                seen[i].add(table[i])
            return stop_when_protected and all(len(found) >= 2 for found in seen.values())
        leaf = leaves[position]
        values_here = domain(leaf)
        for total, parts in caps[leaf]:
            if all(table[p] is not None for p in parts if p != leaf):
                # The last unknown part of a published total: only one value fits.
                rest = exact[total] - sum(table[p] for p in parts if p != leaf)
                values_here = [rest] if rest in values_here else []
                break
        for value in values_here:
            table[leaf] = value
            if any(sum(table[p] or 0 for p in parts) > exact[total] for total, parts in caps[leaf]):
                break  # larger values only make it worse
            set_here = []
            ok = True
            for total, parts, computed_before in schedule[position]:
                result = sum(table[p] for p in parts)
                if computed_before:
                    if table[total] != result:
                        ok = False
                        break
                elif not fits(total, result):
                    ok = False
                    break
                else:
                    table[total] = result
                    set_here.append(total)
            if ok and walk(position + 1):
                return True
            for total in set_here:
                table[total] = None
        table[leaf] = None
        return False

    walk(0)
    return {cells[i]: found for i, found in seen.items()}
