import datetime as dt

import pytest

from outreach.models import ProductPage
from website.models import TargetGroup

from .conftest import add_infosheets

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [375, 320])
def test_product_facts_are_not_cut_off_on_phones(page, outreach_site, width):
    # The longest Dutch date ("28 september 2026") next to the bold terms.
    ProductPage.objects.filter(slug="opname-webinar-online-radicalisering").update(
        publication_date=dt.date(2026, 9, 28)
    )
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/producten/opname-webinar-online-radicalisering/")
    assert page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"
    )
    meta = page.locator(".cter-product-meta")
    meta_box = meta.bounding_box()
    for dd in meta.locator("dd").all():
        box = dd.bounding_box()
        assert box["x"] + box["width"] <= meta_box["x"] + meta_box["width"] + 1
        # Nothing is clipped: the text fits the box it is in.
        assert dd.evaluate("e => e.scrollWidth <= e.clientWidth + 1")


def test_pagination_and_breadcrumb_links_look_like_links(page, outreach_site):
    add_infosheets(13, group=TargetGroup.objects.first())
    page.goto("/producten/")
    next_link = page.locator(".cter-pagination a[rel=next]")
    assert next_link.count() == 1
    underline = "e => getComputedStyle(e).textDecorationLine"
    assert "underline" in next_link.evaluate(underline)
    crumb = page.locator(".cter-breadcrumbs a").first
    assert "underline" in crumb.evaluate(underline)
    # Site colour, not the browser's default blue (rgb(0, 0, 238)).
    assert crumb.evaluate("e => getComputedStyle(e).color") == "rgb(11, 79, 113)"
    current = page.locator(".cter-breadcrumbs [aria-current=page]")
    assert current.evaluate("e => e.tagName") == "SPAN"
