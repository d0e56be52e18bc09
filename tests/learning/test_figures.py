"""What learning tells other apps through website.hooks: the sessions that count towards
the yearly targets (activity source) and registrations per training (reach source)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning import selectors
from learning.factories import RegistrationFactory, SessionFactory
from learning.models import (
    AMSTERDAM,
    Attendance,
    Kind,
    Level,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from website.hooks import (
    ActivityCount,
    ActivityStatus,
    activities,
    activity_lines,
    reach_figures,
    reach_totals,
)

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2031, 6, 15, 12, 0, tzinfo=AMSTERDAM)


def session_on(page, start: dt.datetime, *, hours=3, **kw) -> Session:
    return SessionFactory(
        page=page,
        date=start.date(),
        start_time=start.time(),
        end_time=(start + dt.timedelta(hours=hours)).time(),
        **kw,
    )


def registered(session, *attendance, status=RegistrationStatus.CONFIRMED, at=None):
    for mark in attendance:
        extra = {"created_at": at} if at else {}
        RegistrationFactory(session=session, status=status, attendance=mark, **extra)


def counts(year=2031):
    found = activities(year=year, now=NOW)
    assert all(isinstance(c, ActivityCount) for c in found)
    return {(c.line, c.status): c.count for c in found}


def test_the_counting_rule_at_its_edges(make_training):
    basic = make_training("Basis", kind=Kind.TRAINING, level=Level.BASIC)
    deep = make_training("Verdieping", kind=Kind.TRAINING, level=Level.IN_DEPTH)
    webinar = make_training("Webinar", kind=Kind.WEBINAR, level=Level.IN_DEPTH)
    past = dt.datetime(2031, 3, 2, 9, 30, tzinfo=AMSTERDAM)
    # delivered: taken place, someone present (an absentee beside them changes nothing)
    registered(session_on(basic, past), Attendance.PRESENT, Attendance.ABSENT)
    # attendance recorded, nobody came: counts for nothing
    registered(session_on(basic, past + dt.timedelta(days=1)), Attendance.ABSENT)
    # taken place, attendance not recorded yet, someone confirmed: not yet completed
    registered(session_on(basic, past + dt.timedelta(days=2)), Attendance.UNKNOWN)
    # taken place without any confirmed registration (only a waiting list): nothing
    registered(
        session_on(basic, past + dt.timedelta(days=3)),
        Attendance.UNKNOWN,
        status=RegistrationStatus.WAITING,
    )
    # cancelled, even with someone marked present: never counts
    registered(
        session_on(deep, past, status=SessionStatus.CANCELLED),
        Attendance.PRESENT,
    )
    # still to come (with or without registrations): planned
    session_on(deep, NOW + dt.timedelta(days=30))
    registered(session_on(deep, NOW + dt.timedelta(days=40)), Attendance.UNKNOWN)
    # a webinar counts as a webinar whatever its level
    registered(session_on(webinar, past), Attendance.PRESENT)
    # another year does not count for this one
    registered(session_on(basic, past.replace(year=2030)), Attendance.PRESENT)

    assert counts() == {
        ("basic_training", ActivityStatus.DELIVERED): 1,
        ("basic_training", ActivityStatus.UNCONFIRMED): 1,
        ("in_depth_training", ActivityStatus.PLANNED): 2,
        ("webinar", ActivityStatus.DELIVERED): 1,
    }
    assert counts(2030) == {("basic_training", ActivityStatus.DELIVERED): 1}


def test_a_session_on_new_years_eve_counts_for_its_year_in_amsterdam(make_training):
    basic = make_training("Basis", level=Level.BASIC)
    # 23:00 in Amsterdam on 31 December is 22:00 UTC: still the old year
    late = session_on(basic, dt.datetime(2030, 12, 31, 23, 0, tzinfo=AMSTERDAM), hours=0)
    registered(late, Attendance.PRESENT)
    # 00:30 on 1 January in Amsterdam is 23:30 UTC on 31 December: the new year
    early = session_on(basic, dt.datetime(2031, 1, 1, 0, 30, tzinfo=AMSTERDAM), hours=1)
    registered(early, Attendance.PRESENT)
    assert counts(2030) == {("basic_training", ActivityStatus.DELIVERED): 1}
    assert counts(2031) == {("basic_training", ActivityStatus.DELIVERED): 1}


def test_the_lines_and_a_constant_number_of_queries(make_training):
    assert [value for value, _label in activity_lines()] == [
        "basic_training",
        "in_depth_training",
        "webinar",
        "network_event",
    ]
    basic = make_training("Basis", level=Level.BASIC)
    for day in range(1, 4):
        registered(
            session_on(basic, dt.datetime(2031, 2, day, 9, tzinfo=AMSTERDAM)), Attendance.PRESENT
        )
    with CaptureQueriesContext(connection) as small:
        selectors.activity_counts(year=2031, now=NOW)
    for day in range(4, 20):
        registered(
            session_on(basic, dt.datetime(2031, 2, day, 9, tzinfo=AMSTERDAM)), Attendance.PRESENT
        )
    with CaptureQueriesContext(connection) as large:
        assert counts()[("basic_training", ActivityStatus.DELIVERED)] == 19
    assert len(small) == len(large) == 1


def test_registrations_are_a_reach_figure_per_training_and_month(make_training):
    basic = make_training("Basis", level=Level.BASIC)
    other = make_training("Verdieping", level=Level.IN_DEPTH)
    session = session_on(basic, dt.datetime(2031, 5, 1, 9, tzinfo=AMSTERDAM))
    registered(session, Attendance.UNKNOWN, at=dt.datetime(2031, 3, 31, 23, 30, tzinfo=AMSTERDAM))
    registered(
        session,
        Attendance.UNKNOWN,
        Attendance.UNKNOWN,
        at=dt.datetime(2031, 4, 2, 9, tzinfo=AMSTERDAM),
    )
    registered(
        session,
        Attendance.UNKNOWN,
        status=RegistrationStatus.CANCELLED,
        at=dt.datetime(2031, 4, 3, tzinfo=AMSTERDAM),
    )
    assert reach_totals(page_ids=[basic.pk, other.pk])[basic.pk]["registrations"] == 3
    assert other.pk not in reach_totals(page_ids=[basic.pk, other.pk])
    april = reach_totals(page_ids=[basic.pk], since=dt.date(2031, 4, 1), until=dt.date(2031, 4, 30))
    assert april[basic.pk]["registrations"] == 2
    monthly = {
        (f.month, f.metric): f.value
        for f in reach_figures(page_ids=[basic.pk], by_month=True)
        if f.metric == "registrations"
    }
    assert monthly == {
        (dt.date(2031, 3, 1), "registrations"): 1,
        (dt.date(2031, 4, 1), "registrations"): 2,
    }
