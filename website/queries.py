"""Query helpers every app's selectors share."""

from __future__ import annotations

from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from django.db.models.query import ModelIterable, ValuesListIterable
from wagtail.models import PageViewRestriction


def public_pages(pages):
    """Like ``.public()`` but as a subquery (one query less than Wagtail's version):
    pages without a view restriction on themselves or an ancestor."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return pages.filter(~Exists(restricted))


def _holds_placeholder(value) -> bool:
    """A constant of a compiled query that is a text placeholder the ORM changed (``LIKE``
    escaping and wildcards, a wrapped value)."""
    return isinstance(value, str) and "\x00placeholder " in value


class Prepared:
    """A read on a hot path (every registration POST): the ORM builds and compiles the
    queryset once per database; each call then only runs the SQL with its own values and
    turns the rows into what the queryset would give. Building and compiling a query cost
    the ORM several times more than SQLite takes to run it.

    ``build(*values)`` returns the queryset; the placeholders it is called with (one per
    kind in ``kinds``: ``int`` or ``str``) must reach the SQL as parameters unchanged,
    which compiling checks. The queryset is either the model's own columns (rows come
    back as instances, as from ``.filter()``) or a ``values_list`` (tuples). Nothing is
    joined (``select_related`` is refused): use a second prepared read."""

    def __init__(self, build, kinds: tuple[type, ...]):
        self.build = build
        self.placeholders = tuple(
            -(2**31) + 7 + i if kind is int else f"\x00placeholder {i}\x00"
            for i, kind in enumerate(kinds)
        )
        self._compiled: dict[str, tuple] = {}

    def _compile(self, alias: str) -> tuple:
        queryset = self.build(*self.placeholders).using(alias)
        query = queryset.query
        if query.select_related:
            raise ValueError("Prepared reads do not join (select_related)")
        compiler = query.get_compiler(alias)
        sql, params = compiler.as_sql()
        positions = []
        for param in params:
            if param in self.placeholders:
                positions.append(self.placeholders.index(param))
            else:
                positions.append((param,))  # a constant of the query itself
        missing = set(range(len(self.placeholders))) - {p for p in positions if isinstance(p, int)}
        changed = [p[0] for p in positions if not isinstance(p, int) and _holds_placeholder(p[0])]
        if missing or changed:
            raise ValueError("A placeholder changed on its way to the SQL")
        columns = [expression for expression, _sql, _alias in compiler.select]
        converters = list(compiler.get_converters(columns).items())
        model = queryset.model
        if queryset._iterable_class not in (ModelIterable, ValuesListIterable):
            raise ValueError("Prepared reads give instances or values_list tuples only")
        if queryset._fields is None:  # instances of the model's own columns
            names = [f.attname for f in model._meta.concrete_fields]
            if len(names) != len(columns) or query.annotations:
                raise ValueError("Prepared instances need exactly the model's own columns")
            make = partial(model.from_db, alias, names)
        else:
            make = tuple
        return sql, positions, converters, make

    def first(self, *values, using: str | None = None):
        """The first row for ``values``, or None."""
        found = self(*values, using=using)
        return found[0] if found else None

    def __call__(self, *values, using: str | None = None) -> list:
        """The rows for ``values`` (in the order of ``kinds``)."""
        alias = using or DEFAULT_DB_ALIAS
        compiled = self._compiled.get(alias)
        if compiled is None:
            compiled = self._compiled[alias] = self._compile(alias)
        sql, positions, converters, make = compiled
        params = [values[p] if isinstance(p, int) else p[0] for p in positions]
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
        found = []
        for row in rows:
            if converters:
                row = list(row)
                for position, (functions, expression) in converters:
                    value = row[position]
                    for function in functions:
                        value = function(value, expression, connection)
                    row[position] = value
            found.append(make(row))
        return found
