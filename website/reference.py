"""The reference data public pages and forms list on every request (target groups,
municipalities), from the shared cache under the content stamp: both are snippets, so
an editor's change moves the stamp and shows at once on every app server."""

from __future__ import annotations

from website.models import Municipality, TargetGroup
from website.routing import cached, content_stamp_for


def _cached(name: str, load) -> list:
    return cached(f"reference:{content_stamp_for()}:{name}", load)


def target_groups() -> list[TargetGroup]:
    """Every target group, in the editors' order."""
    return _cached("target-groups", lambda: list(TargetGroup.objects.all()))


def municipalities() -> list[Municipality]:
    """Every municipality, by name."""
    return _cached("municipalities", lambda: list(Municipality.objects.all()))
