"""The coordinator screens in a real browser as a real (non-superuser) coordinator:
the buttons fit at 1280 and at 375 px, no page scrolls sideways, axe finds nothing; and
issue 18's coordinator journey from the editor to the attendance list."""

import datetime as dt
import io
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from learning import services
from learning.models import Registration, Session
from tests.conftest import (
    COORDINATOR_PASSWORD,
    assert_accessible,
    publish_new_page,
    watch_csp,
)

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


def _register_on_the_public_site(visitor, session, n):
    """Person ``n`` fills in the registration form of ``session`` in the visitor's browser."""
    visitor.goto(reverse("learning:register", args=[session.pk]))
    visitor.get_by_label("Voornaam").fill(f"Persoon{n}")
    visitor.get_by_label("Achternaam").fill("Jansen")
    visitor.get_by_label("E-mailadres").fill(f"persoon{n}@example.nl")
    visitor.get_by_label("Organisatie").fill("Gemeente Haarlem")
    visitor.get_by_label("Functie").fill("Beleidsadviseur")
    visitor.get_by_label("Gemeente waar u werkt").select_option(label="Haarlem")
    visitor.get_by_label("Doelgroep").select_option(index=1)
    visitor.get_by_label("Ik ga akkoord met de privacyverklaring").check()


def _personal_link(email):
    """The path of the "view or cancel your registration" link in the last e-mail to
    ``email`` (the link names the site's host; the test opens it on the live server)."""
    message = [m for m in mail.outbox if m.to == [email]][-1]
    line = next(
        li
        for li in message.body.splitlines()
        if li.startswith("Uw aanmelding bekijken of annuleren")
    )
    return urlsplit(re.search(r"https?://\S+", line).group(0)).path


def test_coordinator_journey_create_register_cancel_promote_export_attendance(
    page, _playwright_browser, live_server, coordinator_user, catalogue
):
    """Issue 18 item 8 (b), as real people: a coordinator (group Coördinator, no superuser)
    creates a training with a session of 3 places in the editor and publishes it; four
    people register on the public site, the fourth goes on the waiting list; the first
    cancels through the personal link in her e-mail and the waiting person is promoted
    and e-mailed; the coordinator exports the list (read back with openpyxl) and marks
    attendance. Axe on every page on the way."""
    # Wagtail's messages fade in; axe reads the final colours, not a frame of the animation.
    page.emulate_media(reduced_motion="reduce")
    _sign_in(page, coordinator_user)
    # As when a catalogue is made in the editor (learning's after_create_page hook).
    services.give_coordinators_the_catalogue(page_id=catalogue.pk)
    page.goto(f"/admin/pages/{catalogue.pk}/add_subpage/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Training of webinar")).click()
    page.wait_for_url("**/admin/pages/add/learning/trainingpage/**")
    assert_accessible(page)
    page.locator("#id_title").fill("Polarisatie in de wijk")
    page.get_by_role("textbox", name="Inleiding*").fill("Wat polarisatie in een wijk doet.")
    page.locator("#id_duration_label").fill("3 uur")
    day = timezone.localdate() + dt.timedelta(days=30)
    page.get_by_role("button", name="Voeg Sessie toe").click()
    page.locator("#id_sessions-0-date").fill(day.isoformat())
    page.locator("#id_sessions-0-start_time").fill("09:30")
    page.locator("#id_sessions-0-end_time").fill("12:30")
    page.locator("#id_sessions-0-location").fill("Stadhuis Haarlem")
    page.locator("#id_sessions-0-capacity").fill("3")
    page.locator("#id_sessions-0-location").click()  # closes the date and time pickers
    publish_new_page(page)
    page.wait_for_url(f"**/admin/pages/{catalogue.pk}/")
    message = page.locator(".messages").inner_text()
    assert "Polarisatie in de wijk" in message and "gepubliceerd" in message
    assert_accessible(page)
    session = Session.objects.get(page__title="Polarisatie in de wijk", page__live=True)
    assert (session.date, session.capacity) == (day, 3)

    # Four people register on the public site, in a browser of their own.
    context = _playwright_browser.new_context(base_url=live_server.url, locale="nl-NL")
    visitor = context.new_page()
    visitor.set_default_timeout(10_000)
    blocked = watch_csp(visitor)
    visitor.goto(session.page.url)
    assert_accessible(visitor)
    for n in range(4):
        _register_on_the_public_site(visitor, session, n)
        if n in (0, 3):
            assert_accessible(visitor)
        button = "Aanmelden" if n < 3 else "Aanmelden voor de wachtlijst"
        visitor.get_by_role("button", name=button, exact=True).click()
        visitor.wait_for_url("**/trainingen/aanmelding/**")
        if n in (0, 3):
            assert_accessible(visitor)
    assert visitor.get_by_text("wachtlijst").first.is_visible()
    statuses = dict(Registration.objects.values_list("participant__email", "status"))
    assert statuses == {
        "persoon0@example.nl": "confirmed",
        "persoon1@example.nl": "confirmed",
        "persoon2@example.nl": "confirmed",
        "persoon3@example.nl": "waiting",
    }

    # The first cancels through the personal link in her confirmation e-mail.
    visitor.goto(_personal_link("persoon0@example.nl"))
    assert_accessible(visitor)
    sent_before = len(mail.outbox)
    visitor.get_by_role("button", name="Mijn aanmelding annuleren").click()
    visitor.wait_for_url(lambda url: "/annuleren/" in url)
    assert_accessible(visitor)
    visitor.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    visitor.wait_for_url("**/trainingen/aanmelding/*/")
    assert_accessible(visitor)
    context.close()
    assert not blocked, blocked
    promoted = [m for m in mail.outbox[sent_before:] if m.to == ["persoon3@example.nl"]]
    assert promoted and promoted[0].subject.startswith("Er is een plek vrijgekomen")

    # The coordinator finds the session, exports the list and reads it.
    page.goto("/admin/trainingen/sessies/")
    page.get_by_label("Soort").select_option("training")
    page.get_by_role("button", name="Filteren", exact=True).click()
    page.wait_for_url("**kind=training**")
    assert_accessible(page)
    page.get_by_role("link", name="Polarisatie in de wijk").click()
    page.wait_for_url(f"**/admin/trainingen/sessies/{session.pk}/")
    assert page.get_by_text("Positie 1 op de wachtlijst").count() == 0  # promoted
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download XLSX").click()
    assert download.value.suggested_filename.startswith("deelnemers-polarisatie-in-de-wijk-")
    sheet = load_workbook(io.BytesIO(Path(download.value.path()).read_bytes())).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    assert header[0] == "Status" and header[-3:] == (
        "Aangemeld op",
        "Positie op de wachtlijst",
        "Aanwezigheid",
    )
    email = header.index("E-mailadres")
    assert sorted((r[0], r[email], r[-2]) for r in rows[1:]) == [
        ("Bevestigd", "persoon1@example.nl", None),
        ("Bevestigd", "persoon2@example.nl", None),
        ("Bevestigd", "persoon3@example.nl", None),
        ("Geannuleerd", "persoon0@example.nl", None),
    ]
    assert all(isinstance(r[-3], dt.datetime) for r in rows[1:])  # real date cells

    # The session takes place: attendance opens.
    now = timezone.now()
    Session.objects.filter(pk=session.pk).update(
        starts_at=now - dt.timedelta(hours=3), ends_at=now - dt.timedelta(hours=1)
    )
    page.reload()
    page.get_by_label("alle bevestigde aanmeldingen").check()
    page.get_by_role("button", name="Aanwezig melden").click()
    page.wait_for_url(f"**/admin/trainingen/sessies/{session.pk}/")
    assert "3 aanmeldingen gemarkeerd: Aanwezig." in page.locator(".messages").inner_text()
    assert_accessible(page)
    assert set(
        Registration.objects.filter(status="confirmed").values_list("attendance", flat=True)
    ) == {"present"}
