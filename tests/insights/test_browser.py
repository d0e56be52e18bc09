"""The regional picture in a real browser: axe-core on the overview, a period, a house
and a local picture (demo content, as a partner and anonymously), the charts readable
without JavaScript, and a period printing as one A4 page."""

import re

import pytest
from django.conf import settings
from django.test import Client

from insights.models import RegionalPicturePage
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture
def pictures(reference_data, demo_pictures):

    return list(RegionalPicturePage.objects.order_by("-period__starts_on"))


def sign_in(page, live_server, user):
    """A session cookie for ``user`` in the browser (force_login's equivalent)."""

    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


def test_public_period_anonymously_accessible_and_printable(page, pictures):
    public = pictures[1]
    page.goto("/regionaal-beeld/")
    assert page.get_by_role("link", name=public.title).is_visible()
    assert page.get_by_text("alleen voor partners").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name=public.title).click()
    assert page.get_by_role("heading", name=public.title, level=1).is_visible()
    chart = page.get_by_role("img", name="Leeftijd")
    assert chart.is_visible()
    assert page.get_by_role("table", name="Leeftijd: de aantallen").is_visible()
    assert page.locator("td", has_text="<5").first.is_visible()
    assert_accessible(page)

    page.emulate_media(media="print")
    assert not page.locator(".cter-header").is_visible()
    assert not page.locator(".cter-insights-table").first.is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="screen")

    page.get_by_role("link", name="Noord-Holland Noord").first.click()
    assert page.get_by_role("heading", name="Noord-Holland Noord", level=1).is_visible()
    assert page.get_by_role("img", name="Gemeente").is_visible()
    assert_accessible(page)


def test_partner_sees_the_latest_period_with_changes_and_local_pictures(
    page, live_server, pictures, make_user
):
    sign_in(page, live_server, make_user("partner", "Partner"))
    latest = pictures[0]
    page.goto(latest.url)
    assert page.get_by_text("Verschillen ten opzichte van het").is_visible()
    assert_accessible(page)
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 1
    page.get_by_role("link", name="Lokaal beeld Alkmaar").click()
    assert page.get_by_role("heading", name="Lokaal beeld Alkmaar", level=1).is_visible()
    assert_accessible(page)


def test_the_pages_work_without_javascript(_playwright_browser, live_server, pictures):
    context = _playwright_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    tab = context.new_page()
    tab.goto(pictures[1].url)
    assert tab.get_by_role("img", name="Type ideologie").is_visible()
    assert tab.get_by_role("link", name="De cijfers downloaden (CSV)").is_visible()
    context.close()
