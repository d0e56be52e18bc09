"""The shared privacy-safe counting layer (website.counting)."""

import datetime as dt

import pytest
from django.test import RequestFactory

from outreach.models import ReachCount
from tests.concurrency import run_together
from website import counting
from website.models import DailySalt

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.mark.parametrize(
    ("ip", "expected"),
    [
        ("203.0.113.9", "203.0.113.9"),
        (" 203.0.113.9 ", "203.0.113.9"),
        ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::"),
        ("::ffff:203.0.113.9", "203.0.113.9"),  # IPv4-mapped: the IPv4 address
        ("not an address", "not an address"),
    ],
)
def test_the_network_that_identifies_a_connection(ip, expected):
    assert counting.network(ip) == expected


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "  ",
        "-",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "Wget/1.21",
        "python-requests/2.32",
        "libwww-perl/6.72",
        "facebookexternalhit/1.1",
        "Feedly/1.0 (+http://www.feedly.com/fetcher.html)",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0",
        "UptimeRobot/2.0",
    ],
)
def test_one_bot_list_for_every_kind_of_counting(ua):
    assert counting.is_bot(ua)


@pytest.mark.parametrize(
    "ua", [BROWSER_UA, "Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0", "AntennaPod/3.4.0"]
)
def test_people_and_their_apps_are_not_bots(ua):
    assert not counting.is_bot(ua)


def test_a_request_counts_only_as_a_get_from_a_person():
    rf = RequestFactory()
    assert counting.countable(rf.get("/", HTTP_USER_AGENT=BROWSER_UA))
    assert not counting.countable(rf.head("/", HTTP_USER_AGENT=BROWSER_UA))
    assert not counting.countable(rf.post("/", HTTP_USER_AGENT=BROWSER_UA))
    assert not counting.countable(rf.get("/", HTTP_USER_AGENT="curl/8.0"))
    preview = rf.get("/", HTTP_USER_AGENT=BROWSER_UA)
    preview.is_preview = True
    assert not counting.countable(preview)


@pytest.mark.django_db
def test_a_visitor_is_the_same_within_a_day_and_a_scope_only():
    day = dt.date(2031, 5, 4)
    digest = counting.visitor_digest(ip="10.0.0.1", user_agent=BROWSER_UA, scope="view|1", day=day)
    assert digest == counting.visitor_digest(
        ip="10.0.0.1", user_agent=BROWSER_UA, scope="view|1", day=day
    )
    assert digest != counting.visitor_digest(
        ip="10.0.0.1", user_agent=BROWSER_UA, scope="view|2", day=day
    )
    assert digest != counting.visitor_digest(
        ip="10.0.0.1", user_agent=BROWSER_UA, scope="view|1", day=day + dt.timedelta(days=1)
    )
    assert "10.0.0.1" not in digest
    assert counting.first_today(digest=digest, day=day) is True
    assert counting.first_today(digest=digest, day=day) is False
    assert list(DailySalt.objects.values_list("day", flat=True)) == [day + dt.timedelta(days=1)]


@pytest.mark.django_db
def test_the_counter_adds_in_the_database():
    key = {"kind": "view", "object_id": 3, "day": dt.date(2031, 5, 4)}
    for _ in range(3):
        counting.add_to_count(ReachCount, key=key)
    assert ReachCount.objects.get(**key).count == 3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_counters_created_at_the_same_moment_lose_nothing_on_postgresql():
    key = {"kind": "view", "object_id": 4, "day": dt.date(2031, 5, 4)}
    errors, _ = run_together([lambda: counting.add_to_count(ReachCount, key=key)] * 8)
    assert not errors
    assert ReachCount.objects.get(**key).count == 8
