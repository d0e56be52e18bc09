"""The coordinator screens in a real browser as a real (non-superuser) coordinator:
the buttons fit at 1280 and at 375 px, no page scrolls sideways, axe finds nothing."""

import datetime as dt

import pytest

from learning import services
from tests.conftest import COORDINATOR_PASSWORD, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FITS = """() => {
    const width = document.documentElement.clientWidth;
    // Buttons in a table that scrolls sideways in its own region are reachable by scrolling.
    const outside = [...document.querySelectorAll('.cter-admin-actions .button, main form .button')]
        .filter((el) => el.offsetParent !== null && !el.closest('.w-overflow-x-auto'))
        .filter((el) => { const r = el.getBoundingClientRect(); return r.left < 0 || r.right > width + 1; })
        .map((el) => el.textContent.trim());
    return {outside, scrolls: document.documentElement.scrollWidth > width + 1};
}"""


def _sign_in(page, user):
    page.goto("/admin/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")


@pytest.mark.parametrize("width", [1280, 375])
def test_session_screens_fit_and_are_accessible(
    page, coordinator_user, make_training, make_session, person_factory, width
):
    session = make_session(make_training("Basistraining radicalisering en polarisatie"), capacity=1)
    for n in range(2):
        services.register(
            session_id=session.pk,
            person=person_factory(n),
            now=session.starts_at - dt.timedelta(days=5),
        )
    page.set_viewport_size({"width": width, "height": 900})
    _sign_in(page, coordinator_user)
    for url in (
        "/admin/trainingen/sessies/",
        f"/admin/trainingen/sessies/{session.pk}/",
        "/admin/trainingen/evaluaties/",
        "/admin/trainingen/organisaties/",
        "/admin/podcasts/downloads/",
    ):
        page.goto(url)
        result = page.evaluate(FITS)
        assert not result["outside"], (url, width, result)
        assert not result["scrolls"], (url, width)
        assert_accessible(page)
    page.goto("/admin/trainingen/sessies/")
    assert (
        page.get_by_label("Vanaf").input_value()
        == (dt.date.today() - dt.timedelta(days=30)).isoformat()
    )
