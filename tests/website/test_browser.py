import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_home_standard_and_search_pages_have_no_axe_violations(page, site_home):
    for path in ["/", "/over-cter/", "/privacy/", "/toegankelijkheid/", "/zoeken/?q=cookies"]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)


def test_search_from_the_header_with_keyboard(page, site_home):
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.locator(".utrecht-skip-link")
    assert skip.evaluate("el => el === document.activeElement")
    page.get_by_role("searchbox", name="Zoek op de site").fill("cookies")
    page.keyboard.press("Enter")
    page.wait_for_url("**/zoeken/?q=cookies")
    assert page.get_by_role("link", name="Privacyverklaring").first.is_visible()


def test_layout_works_at_320_pixels(page, site_home):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/over-cter/")
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
