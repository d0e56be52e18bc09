"""The reference data public pages and forms list on every request (target groups,
municipalities), from the shared cache under the content stamp: both are snippets, so
an editor's change moves the stamp and shows at once on every app server."""

from __future__ import annotations

from website import stamps
from website.models import Municipality, TargetGroup
from website.release import release
from website.routing import cached


def _cached(name: str, load) -> list:
    return cached(f"reference:{release()}.{stamps.current()}:{name}", load)


def target_groups() -> list[TargetGroup]:
    """Every target group, in the editors' order."""
    return _cached("target-groups", lambda: list(TargetGroup.objects.all()))


def municipalities() -> list[Municipality]:
    """Every municipality, by name."""
    return _cached("municipalities", lambda: list(Municipality.objects.all()))
