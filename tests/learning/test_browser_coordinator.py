"""The coordinator screens in a real browser as a real (non-superuser) coordinator:
the buttons fit at 1280 and at 375 px, no page scrolls sideways, axe finds nothing."""

import datetime as dt
import io
from pathlib import Path

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from learning import services
from learning.models import Registration, Session
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


def test_coordinator_journey_export_cancel_promotion_and_attendance(
    page, coordinator_user, make_training, make_session, person_factory
):
    """Issue 18 item 8, the coordinator's half (the visitor's half, register over capacity
    and cancel by the personal link, is tests/learning/test_browser.py): as a real
    coordinator, find the session, export the list and read it with openpyxl, cancel a
    place and see the waiting person promoted, mark attendance; axe on every page."""
    session = make_session(make_training("Polarisatie in de wijk"), capacity=2)
    now = timezone.now()
    for n in range(3):
        services.register(session_id=session.pk, person=person_factory(n), now=now)
    # Wagtail's messages fade in; axe reads the final colours, not a frame of the animation.
    page.emulate_media(reduced_motion="reduce")
    _sign_in(page, coordinator_user)
    page.goto("/admin/trainingen/sessies/")
    page.get_by_label("Soort").select_option("training")
    page.get_by_role("button", name="Filteren", exact=True).click()
    page.wait_for_url("**kind=training**")
    assert_accessible(page)
    page.get_by_role("link", name="Polarisatie in de wijk").click()
    page.wait_for_url(f"**/admin/trainingen/sessies/{session.pk}/")
    assert page.get_by_text("Positie 1 op de wachtlijst").is_visible()
    assert_accessible(page)

    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.startswith("deelnemers-polarisatie-in-de-wijk-")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Status" and rows[0][-3:] == (
        "Aangemeld op",
        "Positie op de wachtlijst",
        "Aanwezigheid",
    )
    assert sorted((r[0], r[-2]) for r in rows[1:]) == [
        ("Bevestigd", None),
        ("Bevestigd", None),
        ("Wachtlijst", 1),
    ]

    page.locator("[data-registrations-table] a", has_text="Persoon0 Jansen").click()
    page.wait_for_url("**/annuleren/")
    assert_accessible(page)
    page.get_by_role("button", name="Ja, annuleer de aanmelding").click()
    page.wait_for_url(f"**/admin/trainingen/sessies/{session.pk}/")
    assert page.get_by_text("Positie 1 op de wachtlijst").count() == 0  # promoted
    statuses = dict(Registration.objects.values_list("participant__email", "status"))
    assert statuses["persoon2@example.nl"] == "confirmed"

    # The session takes place: attendance opens.
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
    )
    page.reload()
    page.get_by_label("alle bevestigde aanmeldingen").check()
    page.get_by_role("button", name="Aanwezig melden").click()
    page.wait_for_url(f"**/admin/trainingen/sessies/{session.pk}/")
    assert "2 aanmeldingen gemarkeerd: Aanwezig." in page.locator(".messages").inner_text()
    assert_accessible(page)
