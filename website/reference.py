"""The reference data public pages and forms list on every request (target groups,
municipalities), from the shared cache under the content stamp: both are snippets, so
an editor's change moves the stamp and shows at once on every app server.

Each process also keeps the copy it last read, under the same stamped key: the lists
are read-only, a registration form reads both on every request, and unpickling forty
model rows from the shared cache cost more than the rest of the form. The key carries
the content stamp, so a process never serves a list the stamp has moved past; the copy is
also dropped after ``LOCAL_SECONDS`` (a database restored with an older stamp, and the
shared cache flushed, is seen within that time without restarting the app servers)."""

from __future__ import annotations

import time

from website.models import Municipality, TargetGroup
from website.routing import cached, content_stamp_for

LOCAL_SECONDS = 60
# name -> (stamped key, read at, list): one entry per name
_LAST: dict[str, tuple[str, float, list]] = {}


def _cached(name: str, load) -> list:
    key = f"reference:{content_stamp_for()}:{name}"
    now = time.monotonic()
    last = _LAST.get(name)
    if last is not None and last[0] == key and now - last[1] < LOCAL_SECONDS:
        return last[2]
    found = cached(key, load)
    _LAST[name] = (key, now, found)
    return found


def forget() -> None:
    """Drop this process's copies (tests: each starts with a new database)."""
    _LAST.clear()


def target_groups() -> list[TargetGroup]:
    """Every target group, in the editors' order (shared: do not change the rows)."""
    return _cached("target-groups", lambda: list(TargetGroup.objects.all()))


def municipalities() -> list[Municipality]:
    """Every municipality, by name (shared: do not change the rows)."""
    return _cached("municipalities", lambda: list(Municipality.objects.all()))
