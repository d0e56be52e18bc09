"""Yearly targets on the coordinators' dashboard: the counting rule, the status against
the calendar, the links to the sessions behind each number, and editing per year."""

import datetime as dt

import pytest
from django.utils import timezone, translation
from wagtail import hooks

from learning.models import AMSTERDAM, Kind, Level, SessionStatus
from reporting import selectors
from reporting.models import Target, TargetYear
from reporting.selectors import TargetStatus, target_status
from tests.reporting.conftest import ABSENT, PRESENT, at
from website import hooks as cter

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2031, 6, 15, 12, 0, tzinfo=AMSTERDAM)


def lines(year=2031, now=NOW) -> dict:
    found = selectors.year_targets(year=year, now=now)
    return {
        line.line: (line.delivered, line.unconfirmed, line.planned, line.target, line.status)
        for line in found.lines
    }


@pytest.mark.parametrize(
    ("delivered", "unconfirmed", "planned", "closed", "expected"),
    [
        (4, 0, 0, False, TargetStatus.ACHIEVED),
        (5, 0, 0, True, TargetStatus.ACHIEVED),
        (1, 1, 2, False, TargetStatus.ON_TRACK),  # 1 + 1 + 2 reaches 4
        (1, 0, 2, False, TargetStatus.AT_RISK),  # 1 + 0 + 2 stays below 4
        (3, 1, 0, True, TargetStatus.MISSED),  # the year is over
    ],
)
def test_status_against_the_calendar(delivered, unconfirmed, planned, closed, expected):
    assert (
        target_status(
            target=4, delivered=delivered, unconfirmed=unconfirmed, planned=planned, closed=closed
        )
        == expected
    )


def test_the_counting_rule_at_its_edges_on_the_dashboard(world):
    basic = world.training("Basis", level=Level.BASIC)
    deep = world.training("Verdieping", level=Level.IN_DEPTH)
    webinar = world.training("Webinar verdieping", kind=Kind.WEBINAR, level=Level.IN_DEPTH)
    # delivered: someone present (an absentee beside them changes nothing)
    done = world.session(basic, at(2031, 3, 2))
    world.register(done, "a@example.nl", attendance=PRESENT)
    world.register(done, "b@example.nl", attendance=ABSENT)
    # no-show: attendance recorded, nobody came -> counts for nothing
    world.register(world.session(basic, at(2031, 3, 3)), "c@example.nl", attendance=ABSENT)
    # not yet recorded: taken place, confirmed, attendance unknown -> not yet completed
    world.register(world.session(basic, at(2031, 3, 4)), "d@example.nl")
    # cancelled, even with someone marked present -> never counts
    cancelled = world.session(deep, at(2031, 3, 2))
    world.register(cancelled, "e@example.nl", attendance=PRESENT)
    world.cancel(cancelled)
    # still to come -> planned
    world.session(deep, at(2031, 9, 1))
    # a webinar with a level counts as a webinar
    world.register(world.session(webinar, at(2031, 2, 1)), "f@example.nl", attendance=PRESENT)
    # New Year's Eve in Amsterdam: 23:30 on 31 December is 22:30 UTC, the old year;
    # 00:30 on 1 January is 23:30 UTC on 31 December, but the new year.
    eve = world.session(basic, dt.datetime(2030, 12, 31, 23, 0, tzinfo=AMSTERDAM), hours=0)
    world.register(eve, "g@example.nl", attendance=PRESENT)
    night = world.session(basic, dt.datetime(2031, 1, 1, 0, 30, tzinfo=AMSTERDAM), hours=1)
    world.register(night, "h@example.nl", attendance=PRESENT)

    assert lines() == {
        "basic_training": (2, 1, 0, 4, TargetStatus.AT_RISK),  # 2 + 1 + 0 < 4
        "in_depth_training": (0, 0, 1, 2, TargetStatus.AT_RISK),
        "webinar": (1, 0, 0, 6, TargetStatus.AT_RISK),
    }
    assert lines(2030)["basic_training"][:3] == (1, 0, 0)
    assert lines(2030)["basic_training"][4] == TargetStatus.MISSED  # 2030 is over


def test_defaults_until_a_year_is_recorded_then_what_was_recorded(world):
    found = selectors.year_targets(year=2031, now=NOW)
    assert found.defaults
    assert [(line.line, line.target) for line in found.lines] == [
        ("basic_training", 4),
        ("in_depth_training", 2),
        ("webinar", 6),
    ]
    year = TargetYear.objects.create(year=2031)
    Target.objects.create(target_year=year, line="webinar", minimum=8, sort_order=0)
    Target.objects.create(target_year=year, line="basic_training", minimum=5, sort_order=1)
    found = selectors.year_targets(year=2031, now=NOW)
    assert not found.defaults
    assert [(line.line, line.target) for line in found.lines] == [
        ("webinar", 8),
        ("basic_training", 5),
    ]


def test_a_new_target_line_is_data_from_any_activity_source(world):
    """Network events (a later app) add a line by registering an activity source; the
    coordinator then gives it a target in the admin; nothing in reporting changes."""

    def events():
        return cter.ActivitySource(
            lines=[("network_event", "Netwerkbijeenkomsten")],
            count=lambda *, year, now: [
                cter.ActivityCount("network_event", cter.ActivityStatus.DELIVERED, 3, "/e/")
            ],
        )

    year = TargetYear.objects.create(year=2031)
    with hooks.register_temporarily(cter.ACTIVITY_SOURCES, events):
        target = Target(target_year=year, line="network_event", minimum=2)
        target.full_clean()  # a valid choice while the source is installed
        target.save()
        found = {line.line: line for line in selectors.year_targets(year=2031, now=NOW).lines}
    event = found["network_event"]
    assert (event.label, event.delivered, event.status) == (
        "Netwerkbijeenkomsten",
        3,
        TargetStatus.ACHIEVED,
    )
    assert event.urls == {"delivered": "/e/"}


def test_each_number_links_to_the_sessions_behind_it(coordinator, world, monkeypatch):
    # A fixed, past clock for the dashboard: the sessions lie in the past on any day the
    # test runs (on 1-3 January a real clock would still see them coming).
    now = dt.datetime(2025, 6, 15, 12, 0, tzinfo=AMSTERDAM)
    dashboard = selectors.dashboard
    monkeypatch.setattr(selectors, "dashboard", lambda **kw: dashboard(**{**kw, "now": now}))
    year = now.year
    basic = world.training("Basis", level=Level.BASIC)
    other = world.training("Verdieping", level=Level.IN_DEPTH)
    start = dt.datetime(year, 1, 1, 9, tzinfo=AMSTERDAM)
    # two delivered basic sessions and one planned; an in-depth one delivered
    delivered = []
    for day in (0, 1):
        session = world.session(basic, start + dt.timedelta(days=day), hours=1)
        delivered.append(session)
    for session in delivered:
        world.register(session, f"p{session.pk}@example.nl", attendance=PRESENT)
    deep = world.session(other, start + dt.timedelta(days=2), hours=1)
    world.register(deep, "deep@example.nl", attendance=PRESENT)

    with translation.override("nl"):
        html = coordinator.get("/admin/").content.decode()
    assert "Jaardoelen en agenda" in html and "Basistrainingen" in html
    targets = selectors.year_targets(year=year, now=now)
    basic_line = next(line for line in targets.lines if line.line == "basic_training")
    assert basic_line.delivered == 2
    url = basic_line.urls["delivered"]
    assert url in html.replace("&amp;", "&")
    listing = coordinator.get(url).content.decode()
    assert listing.count("Basis</a>") == 2 and "Verdieping</a>" not in listing


def test_a_new_year_in_the_admin_starts_with_the_plans_minimum(coordinator, world):
    html = coordinator.get("/admin/rapportage/jaardoelen/add/").content.decode()
    assert 'value="4"' in html and 'value="2"' in html and 'value="6"' in html
    this_year = timezone.localdate().year
    data = {
        "year": str(this_year),
        "note": "",
        "targets-TOTAL_FORMS": "2",
        "targets-INITIAL_FORMS": "0",
        "targets-MIN_NUM_FORMS": "1",
        "targets-MAX_NUM_FORMS": "1000",
        "targets-0-line": "basic_training",
        "targets-0-minimum": "5",
        "targets-0-ORDER": "1",
        "targets-0-DELETE": "",
        "targets-0-id": "",
        "targets-1-line": "basic_training",  # the same line twice
        "targets-1-minimum": "3",
        "targets-1-ORDER": "2",
        "targets-1-DELETE": "",
        "targets-1-id": "",
    }
    with translation.override("nl"):
        response = coordinator.post("/admin/rapportage/jaardoelen/add/", data)
    assert response.status_code == 200  # the form again, with the error, nothing saved
    assert not TargetYear.objects.exists()
    data["targets-1-line"] = "webinar"
    response = coordinator.post("/admin/rapportage/jaardoelen/add/", data)
    assert response.status_code == 302
    saved = TargetYear.objects.get(year=this_year)
    assert sorted(saved.targets.values_list("line", "minimum")) == [
        ("basic_training", 5),
        ("webinar", 3),
    ]


def test_cancelled_sessions_are_not_in_the_planned_count(world):
    basic = world.training("Basis", level=Level.BASIC)
    planned = world.session(basic, at(2031, 9, 1))
    world.session(basic, at(2031, 9, 2), status=SessionStatus.CANCELLED)
    assert lines()["basic_training"][2] == 1
    world.cancel(planned)
    assert lines()["basic_training"][2] == 0
