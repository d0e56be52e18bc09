"""Helpers for the after-the-session tests: sessions in the past with registrations."""

import datetime as dt

from learning import services


def register_many(session, person_factory, count, *, start=0, now=None):
    """Register ``count`` people; ``now`` defaults to a week before the session."""
    now = now or session.starts_at - dt.timedelta(days=7)
    return [
        services.register(session_id=session.pk, person=person_factory(n), now=now).registration
        for n in range(start, start + count)
    ]


def after(session, hours=1):
    return session.ends_at + dt.timedelta(hours=hours)
