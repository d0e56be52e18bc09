import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from outreach.models import CommunicationPlanPage
from outreach.selectors import plan_reach
from podcasts import services, useragents
from podcasts.models import DownloadCount, ListenerProgress
from website.models import HomePage, TargetGroup

from .conftest import APPLE_UA, BROWSER_UA, episode

pytestmark = pytest.mark.django_db

LONG = "een-melding-in-het-zorg-en-veiligheidshuis"  # 75 s: header + one minute = 60000 bytes
SHORT = "trailer"  # 5 s: the whole file


def file_url(page):
    return f"/podcasts/bestand/{page.enclosure_uuid}.{page.audio_type}"


def fetch(client, page, *, byte_range=None, ua=APPLE_UA, ip="10.0.0.1", method="get", **extra):
    headers = {"HTTP_USER_AGENT": ua, "REMOTE_ADDR": ip, **extra}
    if byte_range:
        headers["HTTP_RANGE"] = f"bytes={byte_range}"
    response = getattr(client, method)(file_url(page), **headers)
    if response.streaming:
        b"".join(response.streaming_content)  # the count runs once the body went out
    return response


def downloads(page=None):
    rows = DownloadCount.objects.all()
    if page is not None:
        rows = rows.filter(episode=page)
    return sum(rows.values_list("count", flat=True))


def test_thresholds_are_read_from_the_file(podcast_site):
    long, short = episode(LONG), episode(SHORT)
    assert long.audio_duration == 76 and long.audio_size == 75168
    assert long.download_threshold == 60000  # no ID3 header; 8 kbit/s x 60 s
    assert short.download_threshold == short.audio_size


def test_a_whole_download_through_the_enclosure_counts_once_per_day(client, podcast_site):
    page = episode(LONG)
    enclosure = f"/podcasts/audio/{page.enclosure_uuid}.mp3"
    for _ in range(3):
        response = client.get(enclosure, HTTP_USER_AGENT=APPLE_UA, follow=True)
        assert response.status_code == 200
        b"".join(response.streaming_content)
    assert downloads(page) == 1
    row = DownloadCount.objects.get()
    assert (row.app, row.show_id, row.day) == (
        "Apple Podcasts",
        podcast_site.pk,
        timezone.localdate(),
    )


def test_range_requests_of_one_listener_are_joined(client, podcast_site):
    page = episode(LONG)
    fetch(client, page, byte_range="0-29999")
    fetch(client, page, byte_range="45000-")  # a gap: 30000-44999 missing
    assert downloads() == 0
    fetch(client, page, byte_range="30000-44999")
    assert downloads() == 1
    fetch(client, page)  # the same listener again that day
    assert downloads() == 1


def test_less_than_header_plus_one_minute_does_not_count(client, podcast_site):
    page = episode(LONG)
    fetch(client, page, byte_range="0-59998")
    assert downloads() == 0
    fetch(client, page, byte_range="59990-59999")
    assert downloads() == 1


def test_short_episodes_count_only_when_the_whole_file_was_fetched(client, podcast_site):
    page = episode(SHORT)
    fetch(client, page, byte_range=f"0-{page.audio_size - 2}")
    assert downloads() == 0
    fetch(client, page, byte_range=f"{page.audio_size - 3}-")
    assert downloads() == 1


def test_probes_head_and_304_are_not_counted(client, podcast_site):
    page = episode(SHORT)
    for _ in range(5):
        fetch(client, page, byte_range="0-1")
    fetch(client, page, method="head")
    etag = client.head(file_url(page))["ETag"]
    assert fetch(client, page, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert downloads() == 0
    assert not ListenerProgress.objects.exclude(ranges=[]).exists()


@pytest.mark.parametrize(
    "ua",
    [
        "",
        "Googlebot/2.1 (+http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
        "curl/8.5.0",
        "python-requests/2.32",
        "iTMS",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/131.0 Safari/537.36",
        "atc/1.0 watchOS/10.1 model/Watch6,2 hwp/t8301 build/21S71 (6; dt:263)",
        "AppleCoreMedia/1.0.0.21S71 (Apple Watch; U; CPU OS 10_1 like Mac OS X; nl_nl) watchOS",
    ],
)
def test_bots_crawlers_and_apple_watch_are_not_counted(client, podcast_site, ua):
    page = episode(SHORT)
    assert fetch(client, page, ua=ua).status_code == 200
    assert downloads() == 0


@pytest.mark.parametrize(
    ("ua", "app"),
    [
        (APPLE_UA, "Apple Podcasts"),
        (
            "AppleCoreMedia/1.0.0.20E247 (iPhone; U; CPU OS 16_4 like Mac OS X; nl_nl)",
            "Apple Podcasts",
        ),
        ("Spotify/8.8.0 Android/33 (SM-G991B)", "Spotify"),
        ("Pocket Casts", "Pocket Casts"),
        ("AntennaPod/3.4.0", "AntennaPod"),
        ("Overcast/3.0 (+http://overcast.fm/; iOS podcast app)", "Overcast"),
        (BROWSER_UA, "Web browser"),
        ("SomethingNew/1.0", "Other"),
    ],
)
def test_apps_are_recognised_from_the_user_agent(ua, app):
    assert not useragents.is_bot(ua)
    assert useragents.app_name(ua) == app


def test_ipv6_is_cut_to_64_bits_and_no_address_is_stored(client, podcast_site):
    page = episode(SHORT)
    fetch(client, page, ip="2001:db8:1:2:aaaa::1")
    fetch(client, page, ip="2001:db8:1:2:bbbb::2")  # same /64: the same listener
    assert downloads() == 1
    fetch(client, page, ip="2001:db8:1:3::1")  # another /64
    fetch(client, page, ip="10.0.0.2")
    fetch(client, page, ip="10.0.0.2", ua=BROWSER_UA)  # another app: another listener
    assert downloads() == 4
    stored = repr(list(ListenerProgress.objects.values()))
    for secret in ("2001:db8", "10.0.0.2", "Podcasts/", "Mozilla"):
        assert secret not in stored


def test_one_download_per_listener_per_calendar_day_and_old_days_forgotten(podcast_site):
    page = episode(SHORT)
    now = timezone.now()
    args = {
        "episode_id": page.pk,
        "show_id": podcast_site.pk,
        "threshold": 100,
        "app": "AntennaPod",
        "start": 0,
        "end": 200,
    }
    day = timezone.localdate(now)
    listener = services.listener_digest(ip="10.1.1.1", user_agent="AntennaPod/3", day=day)
    assert services.record_range(listener=listener, day=day, **args) is True
    assert services.record_range(listener=listener, day=day, **args) is False
    tomorrow = day + dt.timedelta(days=1)
    other = services.listener_digest(ip="10.1.1.1", user_agent="AntennaPod/3", day=tomorrow)
    assert other != listener  # a new salt: yesterday's hash cannot be linked
    assert services.record_range(listener=other, day=tomorrow, **args) is True
    assert dict(DownloadCount.objects.values_list("day", "count")) == {day: 1, tomorrow: 1}
    services._forget_earlier_days(tomorrow)
    assert not ListenerProgress.objects.filter(day__lt=tomorrow).exists()


def test_merge_ranges_and_coverage():
    assert services.merge_ranges([[10, 19], [0, 9], [30, 40], [35, 50]]) == [[0, 19], [30, 50]]
    assert services.covers([[0, 99]], 100)
    assert not services.covers([[0, 98]], 100)
    assert not services.covers([[1, 500]], 100)


def test_a_counting_failure_is_logged_and_the_download_still_works(
    client, podcast_site, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(services, "record_range", broken)
    page = episode(SHORT)
    with caplog.at_level(logging.ERROR, logger="podcasts.services"):
        response = fetch(client, page, ip="10.9.9.9")
    assert response.status_code == 200
    assert "Download counting failed" in caplog.text
    assert "10.9.9.9" not in caplog.text and APPLE_UA not in caplog.text


def test_storage_mode_counts_the_ranges_requested_at_the_enclosure(client, podcast_site, settings):
    settings.PODCASTS_AUDIO_DELIVERY = "storage"
    page = episode(LONG)
    enclosure = f"/podcasts/audio/{page.enclosure_uuid}.mp3"
    client.get(enclosure, HTTP_USER_AGENT=APPLE_UA, HTTP_RANGE="bytes=0-1")
    client.head(enclosure, HTTP_USER_AGENT=APPLE_UA)
    assert downloads() == 0
    client.get(enclosure, HTTP_USER_AGENT=APPLE_UA, HTTP_RANGE="bytes=0-70000")
    assert downloads() == 1


def test_download_report_for_coordinators(client, coordinator, podcast_site, django_user_model):

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/admin/podcasts/downloads/?period=30")
        assert response.status_code == 200
        return len(ctx), response.content.decode()

    fetch(client, episode(SHORT), ua="AntennaPod/3.4")
    small, _html = measure()
    for i, slug in enumerate([LONG, "polarisatie-in-de-wijk", "taal-in-de-klas"]):
        fetch(client, episode(slug), ip=f"10.0.1.{i}", ua="Spotify/8.8")
    large, html = measure()
    assert small == large, (small, large)
    assert "AntennaPod" in html and "Spotify" in html
    assert "Polarisatie in de wijk" in html
    trailer = episode(SHORT)
    detail = client.get(f"/admin/podcasts/downloads/?period=7&episode={trailer.pk}")
    assert detail.status_code == 200
    assert trailer.title in detail.content.decode()
    assert client.get("/admin/podcasts/downloads/?period=x&episode=abc").status_code == 200
    for odd in ("\u00b2", "9" * 40):  # a superscript digit, an id beyond any integer column
        assert client.get("/admin/podcasts/downloads/", {"episode": odd}).status_code == 200
    client.logout()
    editor = django_user_model.objects.create_user("ed", "e@example.nl", "pw")

    editor.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(editor)
    assert client.get("/admin/podcasts/downloads/").status_code in (302, 403)


def test_the_communication_plan_shows_episode_downloads(podcast_site):
    """Episodes linked in the plan report their IAB downloads next to page views."""

    page = episode(LONG)
    for day in range(3):
        DownloadCount.objects.create(
            day=timezone.localdate() - dt.timedelta(days=day),
            show_id=podcast_site.pk,
            episode=page,
            app="Apple Podcasts",
            count=2,
        )
    plan = CommunicationPlanPage(
        title="Plan",
        slug="plan",
        year=2099,
        sections=[
            (
                "group",
                {
                    "target_group": TargetGroup.objects.first(),
                    "products": [{"title": page.title, "status": "published", "page": page}],
                },
            )
        ],
    )
    HomePage.objects.get().add_child(instance=plan)
    assert plan_reach(plan)[page.pk]["downloads"] == 6
