"""What every rendered page pays for its layout: the navigation and footer links (page
choosers in the site settings) and the view restrictions of the page, resolved once per
content stamp instead of on every request, and still never stale after a change."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from website.models import SiteSettings, StandardPage

# A session cookie bypasses the whole-page cache: the page is rendered (as for an editor).
RENDERED = {"sessionid": "no-page-cache"}


@pytest.fixture(autouse=True)
def _caches(settings):
    settings.PAGE_CACHE_SECONDS = 300
    cache.clear()


def _rendered(client, url):
    client.cookies.load(RENDERED)
    return client.get(url)


def _queries(client, url) -> int:
    """Queries of a repeated rendered request, the visitor's session lookup aside."""
    _rendered(client, url)
    with CaptureQueriesContext(connection) as ctx:
        response = _rendered(client, url)
    assert response.status_code == 200
    return len([q for q in ctx.captured_queries if "django_session" not in q["sql"]])


def _link_pages(count: int) -> None:
    pages = list(StandardPage.objects.live().order_by("pk")[:count])
    assert len(pages) == count
    settings = SiteSettings.load()
    settings.main_navigation = [("link", {"page": page, "url": "", "label": ""}) for page in pages]
    settings.footer_links = [("link", {"page": page, "url": "", "label": ""}) for page in pages]
    settings.save()


def test_linked_pages_in_the_navigation_cost_no_query_per_render(client, site_home):
    _link_pages(1)
    one = _queries(client, "/")
    _link_pages(3)
    three = _queries(client, "/")
    assert three == one
    # The home page: the content stamp only (route, site, settings, links and view
    # restrictions all come from the cache).
    assert one == 1


def test_a_renamed_page_in_the_navigation_shows_its_new_title_at_once(client, site_home):
    _link_pages(2)
    page = StandardPage.objects.live().order_by("pk").first()
    nav = _rendered(client, "/").content.decode()
    assert f">{page.title}</a>" in nav
    page.title = "Nieuwe titel in het menu"
    page.save_revision().publish()
    html = _rendered(client, "/").content.decode()
    assert ">Nieuwe titel in het menu</a>" in html


def test_the_privacy_link_follows_the_chosen_page_at_once(client, site_home):
    privacy = StandardPage.objects.get(slug="privacy")
    assert f'href="{privacy.url}"' in _rendered(client, "/").content.decode()
    settings = SiteSettings.load()
    settings.privacy_page = None
    settings.save()
    assert 'href="/privacy/"' in _rendered(client, "/").content.decode()


def test_a_new_view_restriction_applies_at_once(client, site_home):
    page = StandardPage.objects.get(slug="over-cter")
    assert _rendered(client, page.url).status_code == 200
    assert _queries(client, page.url) == 1  # the stamp: page, route and restrictions cached
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="geheim"
    )
    refused = _rendered(client, page.url)
    assert 'name="password"' in refused.content.decode()


def test_a_restriction_on_an_ancestor_applies_to_the_pages_below(client, site_home):
    child = StandardPage.objects.get(slug="over-cter")
    assert _rendered(client, child.url).status_code == 200
    PageViewRestriction.objects.create(page=site_home, restriction_type=PageViewRestriction.LOGIN)
    refused = _rendered(client, child.url)
    assert refused.status_code == 302
    assert "login" in refused["Location"] or "inloggen" in refused["Location"]
