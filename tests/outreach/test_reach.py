import datetime as dt

import pytest
from django.core.cache import cache
from django.db import DatabaseError
from django.http import HttpResponse
from django.utils import timezone
from wagtail.models import PageViewRestriction

from outreach import services
from outreach.models import InfoSheetPage, ReachCount
from outreach.wagtail_hooks import count_cached_page_view, count_page_view
from website.models import DailySalt, VisitorMark

from .conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def views(page):
    return sum(
        ReachCount.objects.filter(kind="view", object_id=page.pk).values_list("count", flat=True)
    )


def test_a_visitor_is_counted_once_a_day_without_cookies(client, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for _ in range(3):
        response = client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.1")
        assert response.status_code == 200
        assert not response.cookies
    assert views(sheet) == 1
    client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.2")
    client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA + " Firefox", REMOTE_ADDR="10.0.0.1")
    assert views(sheet) == 3
    # nothing stored says who: no IP address or user agent in any row
    stored = " ".join(str(v) for v in VisitorMark.objects.values_list("digest", flat=True))
    assert "10.0.0.1" not in stored and "Mozilla" not in stored


def test_bots_head_requests_and_previews_are_not_counted(client, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for agent in ("Googlebot/2.1 (+http://www.google.com/bot.html)", "curl/8.0", ""):
        client.get(sheet.url, HTTP_USER_AGENT=agent)
    client.head(sheet.url, HTTP_USER_AGENT=BROWSER_UA)
    assert views(sheet) == 0


def test_salt_rotates_daily_and_old_salts_and_marks_are_deleted(outreach_site):
    now = timezone.now()
    args = {"kind": "view", "object_id": 1, "ip": "10.0.0.9", "user_agent": BROWSER_UA}
    assert services.record_hit(now=now, **args) is True
    assert services.record_hit(now=now, **args) is False
    tomorrow = now + dt.timedelta(days=1)
    assert services.record_hit(now=tomorrow, **args) is True  # a new day counts again
    assert list(DailySalt.objects.values_list("day", flat=True)) == [timezone.localdate(tomorrow)]
    assert not VisitorMark.objects.filter(day__lt=timezone.localdate(tomorrow)).exists()
    counts = dict(ReachCount.objects.values_list("day", "count"))
    assert counts == {timezone.localdate(now): 1, timezone.localdate(tomorrow): 1}


def test_a_counting_failure_is_logged_and_the_page_still_serves(
    client, outreach_site, monkeypatch, caplog
):
    def broken(**kwargs):
        raise RuntimeError("database unavailable")

    monkeypatch.setattr(services, "record_hit", broken)
    response = client.get("/producten/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 200
    assert "Reach counting failed" in caplog.text


def test_document_downloads_are_counted_through_wagtail_serving(client, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for _ in range(2):
        response = client.get(sheet.pdf.url, HTTP_USER_AGENT=BROWSER_UA)
        assert response.status_code == 200
        b"".join(response.streaming_content) if response.streaming else response.content
    client.get(sheet.pdf.url, HTTP_USER_AGENT="Bingbot/2.0")
    # a later chunk of the same download is not a new download
    client.get(sheet.pdf.url, HTTP_USER_AGENT=BROWSER_UA + " other", HTTP_RANGE="bytes=100-")
    downloads = ReachCount.objects.get(kind="download", object_id=sheet.pdf_id)
    assert downloads.count == 1


def test_communication_plan_shows_live_reach(client, outreach_site, role_user):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.1")
    client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.2")
    client.get(sheet.pdf.url, HTTP_USER_AGENT=BROWSER_UA)
    year = timezone.localdate().year
    # internal: statuses and live reach are for the roles that plan and report (the steering
    # group has the role Analist), not for visitors or partners
    response = client.get(f"/communicatieplan-{year}/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    client.force_login(role_user("Partner"))
    response = client.get(f"/communicatieplan-{year}/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    client.force_login(role_user("Analist", "stuurgroep"))
    response = client.get(f"/communicatieplan-{year}/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index('href="/producten/informatieblad-gemeenten/"') :]
    row = row[: row.index("</tr>")]
    assert "2 weergaven" in row and "1 download" in row
    assert "outreach/print.css" in html and 'media="print"' in html


def test_refused_views_of_protected_pages_and_missing_pages_are_not_counted(client, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    PageViewRestriction.objects.create(
        page=sheet, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    response = client.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA)
    assert "password" in response.content.decode().lower() or response.status_code != 200
    client.get("/producten/bestaat-niet/", HTTP_USER_AGENT=BROWSER_UA)
    client.post("/producten/", HTTP_USER_AGENT=BROWSER_UA)
    assert not ReachCount.objects.exists()


def test_a_database_error_while_counting_leaves_the_page_and_its_transaction_intact(
    client, outreach_site, monkeypatch
):
    def broken_create(*args, **kwargs):
        raise DatabaseError("locked")

    monkeypatch.setattr(DailySalt.objects, "get_or_create", broken_create)

    cache.clear()
    response = client.get("/voor/gemeenten/", HTTP_USER_AGENT=BROWSER_UA)
    assert response.status_code == 200
    assert "informatieblad-gemeenten/" in response.content.decode()


def test_feeds_and_other_non_html_sub_routes_are_not_page_views(rf, outreach_site):
    """A podcast app polling a show's feed is not a person reading the show page."""

    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for content_type, expected in (
        ("application/rss+xml; charset=utf-8", 0),
        ("text/calendar", 0),
        ("text/html; charset=utf-8", 1),
    ):
        serve = count_page_view(lambda *args, ct=content_type: HttpResponse(content_type=ct))
        request = rf.get(sheet.url, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.9")
        serve(sheet, request, (), {})
        assert views(sheet) == expected


def test_cached_shared_views_without_a_page_count_nothing_and_log_nothing(
    rf, outreach_site, caplog
):
    request = rf.get("/zoeken/?q=radicalisering", HTTP_USER_AGENT=BROWSER_UA)
    count_cached_page_view(request, None)
    assert not ReachCount.objects.exists()
    assert not [r for r in caplog.records if r.levelname == "ERROR"]


def test_behind_a_proxy_visitors_are_told_apart_by_the_forwarded_address(
    client, outreach_site, settings
):
    settings.LEARNING_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    for visitor in ("203.0.113.1", "203.0.113.2"):
        client.get(
            sheet.url,
            HTTP_USER_AGENT=BROWSER_UA,
            REMOTE_ADDR="10.0.0.254",  # the proxy
            HTTP_X_FORWARDED_FOR=f"198.51.100.7, {visitor}",
        )
    assert views(sheet) == 2


def test_the_admin_home_lists_the_most_viewed_pages_of_the_last_30_days(outreach_site):
    from outreach.wagtail_hooks import ReachPanel  # noqa: PLC0415

    first, second = InfoSheetPage.objects.order_by("path")[:2]
    today = timezone.localdate()
    ReachCount.objects.bulk_create(
        [
            ReachCount(kind="view", object_id=first.pk, day=today, count=2),
            ReachCount(kind="view", object_id=first.pk, day=today - dt.timedelta(days=30), count=2),
            # a day before the window: not counted, else the second page would lead
            ReachCount(
                kind="view", object_id=second.pk, day=today - dt.timedelta(days=31), count=9
            ),
            ReachCount(kind="view", object_id=second.pk, day=today - dt.timedelta(days=3), count=3),
        ]
    )
    html = ReachPanel().render_html({})
    assert html.index(first.title) < html.index(second.title)
    rows = html.split("<tr>")
    assert any(first.title in row and "<td>4</td>" in row for row in rows)
    assert any(second.title in row and "<td>3</td>" in row for row in rows)
