"""What people noticed in the UX review: forms, filters, focus and narrow screens."""

import pytest

from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NO_OVERFLOW = "document.documentElement.scrollWidth <= document.documentElement.clientWidth"


@pytest.fixture
def session(make_training, make_session):
    training = make_training("Polarisatie in de wijk")
    session = make_session(training)
    session.location = "Gemeentehuis Alkmaar\nMallegatsplein 10"
    session.save(update_fields=["location"])
    return session


@pytest.mark.parametrize("width", [375, 320])
def test_consent_label_wraps_normally_and_errors_are_summarised(page, session, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"/trainingen/aanmelden/{session.pk}/")
    assert page.evaluate(NO_OVERFLOW)
    # The address keeps its line break instead of running the lines together.
    assert (
        "Gemeentehuis Alkmaar\nMallegatsplein 10"
        in page.locator(".cter-session-where").inner_text()
    )

    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_load_state()  # the POST's answer, not the page still being replaced
    assert page.title().startswith("Fout: ")
    summary = page.get_by_role("alert").filter(has_text="fouten in het formulier")
    assert summary.is_visible()
    links = summary.get_by_role("link")
    assert links.count() >= 7
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    for href in hrefs:
        assert page.locator(href).count() == 1, href  # every link lands on a field
    summary.get_by_role("link", name="Voornaam").click()
    assert page.get_by_label("Voornaam").evaluate("e => e === document.activeElement")

    label = page.locator("label[for=id_consent]")
    box = label.bounding_box()
    assert box["width"] > width * 0.6, box  # not one word per line
    error = page.locator("#id_consent_error").bounding_box()
    assert error["y"] + error["height"] <= box["y"] + 1  # error above the row, not on top of it
    assert page.evaluate(NO_OVERFLOW)

    invalid = page.locator("#id_municipality")
    assert invalid.get_attribute("aria-invalid") == "true"
    valid = page.locator("#id_needs")
    assert invalid.evaluate("e => getComputedStyle(e).borderTopColor") != valid.evaluate(
        "e => getComputedStyle(e).borderTopColor"
    )
    assert_accessible(page)


def test_selects_show_an_arrow(page, session):
    page.goto(f"/trainingen/aanmelden/{session.pk}/")
    select = page.locator("select").first
    assert select.evaluate("e => getComputedStyle(e).backgroundImage").startswith(
        'url("data:image/svg'
    )
    padding = select.evaluate("e => parseFloat(getComputedStyle(e).paddingRight)")
    assert padding >= 32


def test_focused_current_nav_item_is_visible(page, catalogue):
    page.goto("/trainingen/")
    current = page.locator(".cter-nav__link[aria-current]")
    style = "e => [getComputedStyle(e).backgroundColor, getComputedStyle(e).color].join()"
    unfocused = current.evaluate(style)
    for _ in range(12):
        page.keyboard.press("Tab")
        if current.evaluate("e => e === document.activeElement"):
            break
    assert current.evaluate("e => e.matches(':focus-visible')")
    assert current.evaluate(style) == "rgb(255, 191, 71),rgb(0, 0, 0)" != unfocused


@pytest.mark.parametrize("width", [375, 320])
def test_catalogue_filters_fold_away_on_phones(page, session, width):
    page.set_viewport_size({"width": width, "height": 800})
    page.goto("/trainingen/")
    filters = page.locator("details.cter-filter-toggle")
    assert filters.get_attribute("open") is None
    assert "0 actief" in filters.locator("summary").inner_text()
    results = page.get_by_role("heading", name="1 resultaat")
    assert results.bounding_box()["y"] < 800  # results in the first screen
    assert "niet verplicht" not in filters.inner_text()

    filters.locator("summary").click()
    page.get_by_label("Alleen met vrije plekken").check()
    label = page.locator("label[for=id_free]").bounding_box()
    assert label["width"] > 120, label
    page.get_by_role("button", name="Resultaten tonen").click()
    page.wait_for_url("**free=on*")
    assert page.locator("details.cter-filter-toggle").get_attribute("open") is not None
    assert "1 actief" in page.locator("details.cter-filter-toggle summary").inner_text()
    assert page.evaluate(NO_OVERFLOW)
    assert_accessible(page)


def test_training_page_shows_each_date_once_and_fits_320(page, session):
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(session.page.url)
    item = page.locator(".cter-learning-session").first
    assert item.locator("h3 time").count() == 2  # start and end in the heading
    assert item.locator("ul").count() == 0  # no one-item list repeating the date
    assert page.evaluate(NO_OVERFLOW)
    crumb = page.locator(".cter-breadcrumbs [aria-current=page]")
    assert crumb.evaluate("e => e.tagName") == "SPAN"
    assert_accessible(page)
