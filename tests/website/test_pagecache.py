"""Whole-page cache for anonymous visitors: served again without queries, never stale
after a change, never shared for editors, forms or personal pages."""

import time

import pytest
from django.core import serializers
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test.utils import CaptureQueriesContext
from taggit.models import Tag
from wagtail.contrib.search_promotions.models import Query

from outreach.models import ReachCount
from website import pagecache, routing, stamps
from website.models import SiteSettings, StandardPage

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36"


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()


def test_second_anonymous_view_is_served_from_the_cache_with_one_query(client, site_home):
    first = client.get("/")
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        second = client.get("/")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert len(ctx.captured_queries) == 1  # the content stamp
    # The security headers of the stack are kept on a hit.
    assert "script-src 'self'" in second["Content-Security-Policy"]
    assert second["Content-Type"].startswith("text/html")


def test_a_published_change_shows_at_once(client, site_home):
    page = StandardPage.objects.get(slug="privacy")
    assert "Privacyverklaring" in client.get(page.url).content.decode()
    assert client.get(page.url)["X-Page-Cache"] == "hit"

    page.title = "Privacyverklaring (bijgewerkt)"
    page.save_revision().publish()

    response = client.get(page.url)
    assert response["X-Page-Cache"] == "miss"
    assert "Privacyverklaring (bijgewerkt)" in response.content.decode()


def test_unpublished_page_is_gone_at_once(client, site_home):
    page = StandardPage.objects.get(slug="privacy")
    client.get(page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_changed_site_setting_shows_at_once(client, site_home):
    client.get("/")
    settings_row = SiteSettings.load()
    settings_row.contact_email = "nieuw-adres@cter.example.nl"
    settings_row.save()
    assert "nieuw-adres@cter.example.nl" in client.get("/").content.decode()


def test_logged_in_editors_never_get_or_fill_the_shared_copy(client, site_home, django_user_model):
    editor = django_user_model.objects.create_superuser("redacteur", "r@example.nl", "x")
    client.force_login(editor)
    response = client.get("/")
    assert "X-Page-Cache" not in response
    client.logout()
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_django_views_and_admin_are_not_cached(client, site_home):
    for url in ("/admin/login/", "/privacy/niet-bestaand/"):
        client.get(url)
        assert "X-Page-Cache" not in client.get(url)


def test_search_results_are_shared_and_still_count_as_popular_searches(client, site_home):
    first = client.get("/zoeken/?q=privacy", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.1")
    assert first["X-Page-Cache"] == "miss"
    second = client.get("/zoeken/?q=privacy", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.2")
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    client.get(  # filtered: not a popular search
        "/zoeken/?q=privacy&doelgroep=onderwijs",
        HTTP_USER_AGENT=BROWSER_UA,
        REMOTE_ADDR="192.0.2.3",
    )
    assert Query.get("privacy").hits == 2


def test_responses_that_vary_on_cookies_or_set_them_are_not_shared(rf):
    request = rf.get("/")
    for change in (
        lambda r: r.headers.__setitem__("Vary", "Accept-Language, User-Agent"),
        lambda r: r.set_cookie("csrftoken", "x"),
        lambda r: r.headers.__setitem__("Cache-Control", "private"),
        lambda r: setattr(r, "status_code", 404),
    ):
        response = HttpResponse("x")
        setattr(response, pagecache.MARK, 1)
        assert pagecache.response_is_cacheable(request, response)
        change(response)
        assert not pagecache.response_is_cacheable(request, response)


def test_head_is_answered_from_a_cached_get(client, site_home):
    client.get("/")
    response = client.head("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_a_head_request_before_any_get_does_not_keep_the_page_out_of_the_cache(client, site_home):
    """An uptime monitor or link checker asking HEAD first must not mark the page as
    'cannot be shared' for everyone after it."""
    assert client.head("/").status_code == 200
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"


def test_cached_pages_expire_with_the_time_bucket(client, site_home, monkeypatch):
    client.get("/")
    later = time.time() + 301
    monkeypatch.setattr(pagecache.time, "time", lambda: later)
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_a_broken_cache_still_serves_the_page(client, site_home, monkeypatch):
    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

    monkeypatch.setattr(pagecache, "cache", BrokenCache())
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_views_served_from_the_cache_are_still_counted(client, site_home):
    home = site_home
    client.get("/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.1")
    response = client.get("/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.2")
    assert response["X-Page-Cache"] == "hit"
    # The same visitor again on the same day is not counted twice.
    client.get("/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.2")
    total = sum(ReachCount.objects.filter(object_id=home.pk).values_list("count", flat=True))
    assert total == 2


def test_campaign_parameters_share_the_copy_other_parameters_do_not(client, site_home):
    client.get("/")
    tracked = client.get("/?utm_source=nieuwsbrief&utm_medium=email&fbclid=IwAR0abc")
    assert tracked["X-Page-Cache"] == "hit"
    assert client.get("/zoeken/?q=radicalisering&utm_campaign=x")["X-Page-Cache"] == "miss"
    assert client.get("/zoeken/?q=radicalisering")["X-Page-Cache"] == "hit"
    assert client.get("/zoeken/?q=polarisatie")["X-Page-Cache"] == "miss"


def test_pages_do_not_all_expire_in_the_same_second(rf, monkeypatch):
    """Each path's time bucket has its own offset: no stampede at one moment."""
    monkeypatch.setattr(pagecache, "stamp_for", lambda request: "r.1")
    requests = [rf.get(f"/trainingen/training-{n}/") for n in range(40)]
    now = 1_800_000_000.0
    changed_at = []
    for request in requests:
        keys = []
        for second in range(0, 300, 10):
            monkeypatch.setattr(pagecache.time, "time", lambda t=now + second: t)
            keys.append(pagecache.cache_key(request, seconds=300))
        changed_at.append(next((i for i in range(1, 30) if keys[i] != keys[i - 1]), None))
    assert len(set(changed_at)) > 10  # expiry moments spread over the five minutes


def test_a_new_release_never_serves_the_previous_releases_copy(client, site_home, monkeypatch):
    client.get("/")
    assert client.get("/")["X-Page-Cache"] == "hit"
    monkeypatch.setattr(routing, "release", lambda: "nextrelease1")
    assert client.get("/")["X-Page-Cache"] == "miss"


def test_migrate_and_fixture_loading_invalidate_cached_copies(site_home):
    before = stamps.current()
    call_command("migrate", verbosity=0)  # data migrations write without model signals
    after_migrate = stamps.current()
    assert after_migrate != before

    data = serializers.serialize("json", [Tag(name="Polarisatie", slug="polarisatie")])
    for obj in serializers.deserialize("json", data):
        obj.save()  # a raw save, as loaddata does
    assert stamps.current() != after_migrate


def test_shared_copies_can_be_revalidated_with_etag_and_last_modified(client, site_home):
    first = client.get("/")
    assert first["X-Page-Cache"] == "miss"
    assert first["Cache-Control"] == "public, max-age=0, must-revalidate"
    etag, modified = first["ETag"], first["Last-Modified"]
    # A browser or proxy that has the copy gets a 304 without a body, from the cache...
    again = client.get("/", HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert client.get("/", HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    # ... and after a change that re-renders the page with the same content too.
    stamps.bump_now()
    assert client.get("/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    # A changed page has another fingerprint.
    page = StandardPage.objects.get(slug="privacy")
    copy = client.get(page.url)
    page.title = "Privacyverklaring (nieuw)"
    page.save_revision().publish()
    changed = client.get(page.url, HTTP_IF_NONE_MATCH=copy["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != copy["ETag"]


def test_pages_for_editors_and_forms_get_no_shared_cache_headers(client, site_home):
    client.cookies["sessionid"] = "editor"
    response = client.get("/")
    assert "X-Page-Cache" not in response
    assert "public" not in response.get("Cache-Control", "")


def _render_counter(monkeypatch):
    """Counts renders: the middleware's calls into the rest of the stack."""
    renders = []
    original = pagecache.PageCacheMiddleware.render

    def render(self, request):
        renders.append(request.path)
        return original(self, request)

    monkeypatch.setattr(pagecache.PageCacheMiddleware, "render", render)
    return renders


def _hold_render_lock(rf, path="/"):
    """What another app server does while it renders ``path`` after a publish."""
    request = rf.get(path)
    key = pagecache.cache_key(request, seconds=300)
    cache.add(f"{key}:rendering", 1, 30)
    return key


def test_while_another_server_renders_after_a_publish_the_previous_copy_is_served(
    client, site_home, rf, monkeypatch
):
    old = client.get("/")
    stamps.bump_now()  # a publish: every copy is out of date
    _hold_render_lock(rf)
    renders = _render_counter(monkeypatch)
    for _ in range(5):
        response = client.get("/")
        assert response["X-Page-Cache"] == "stale"
        assert response.content == old.content
    assert renders == []


def test_without_a_previous_copy_requests_wait_for_the_one_render(
    client, site_home, rf, monkeypatch, settings
):
    settings.PAGE_CACHE_WAIT_SECONDS = 5
    key = _hold_render_lock(rf)
    renders = _render_counter(monkeypatch)
    rendered = {"content": b"<p>fresh</p>", "status": 200, "headers": [], "page_id": None}
    polls = []

    def other_server_finishes(seconds):
        polls.append(seconds)
        if len(polls) == 3:
            cache.set(key, rendered, 300)

    monkeypatch.setattr(pagecache.time, "sleep", other_server_finishes)
    response = client.get("/")
    assert response["X-Page-Cache"] == "hit"
    assert response.content == b"<p>fresh</p>"
    assert renders == []


def test_a_renderer_that_never_finishes_does_not_block_the_page(
    client, site_home, rf, monkeypatch, settings
):
    settings.PAGE_CACHE_WAIT_SECONDS = 0.2
    _hold_render_lock(rf)
    renders = _render_counter(monkeypatch)
    response = client.get("/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"
    assert renders == ["/"]


def test_an_unpublished_page_is_not_served_from_its_previous_copy(client, site_home, rf):
    page = StandardPage.objects.get(slug="privacy")
    client.get(page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404
    _hold_render_lock(rf, page.url)
    assert client.get(page.url).status_code == 404


def test_a_returning_reader_is_counted_without_a_database_write(
    client, site_home, django_capture_on_commit_callbacks
):
    home = site_home
    client.get("/")
    with django_capture_on_commit_callbacks(execute=True):
        client.get("/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.9")
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="192.0.2.9")
    assert response["X-Page-Cache"] == "hit"
    assert len(ctx.captured_queries) == 1  # the stamp (the salt and the mark: cache)
    assert sum(ReachCount.objects.filter(object_id=home.pk).values_list("count", flat=True)) == 1


def test_pages_that_cannot_be_shared_never_wait_for_a_lock(client, site_home, rf, monkeypatch):
    monkeypatch.setattr(
        pagecache, "response_is_cacheable", lambda request, response: False
    )  # as for a page with a form (it sets the CSRF cookie)
    client.get("/")
    _hold_render_lock(rf)
    monkeypatch.setattr(pagecache.time, "sleep", lambda s: pytest.fail("waited for a lock"))
    response = client.get("/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response


def test_theme_pages_are_shared_like_pages(client, site_home):
    Tag.objects.create(name="Signalen", slug="signalen")
    assert client.get("/thema/signalen/")["X-Page-Cache"] == "miss"
    assert client.get("/thema/signalen/")["X-Page-Cache"] == "hit"
