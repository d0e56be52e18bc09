"""A coordinator helps someone who asks for their data and then to be forgotten: find,
export (JSON), erase; in a real browser with axe-core and the admin's strict CSP."""

import datetime as dt
import json

import pytest
from django.utils import timezone

from learning import services
from learning.models import Participant, Registration
from tests.conftest import assert_accessible
from website import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "fatima.elamrani@example.nl"
PASSWORD = "Een-lang-en-sterk-wachtwoord-1"


def test_find_export_and_erase_a_persons_data(
    page, role_user, make_training, make_session, person_factory, tmp_path
):
    session = make_session(make_training("Polarisatie in de wijk"), days=-5)
    services.register(
        session_id=session.pk,
        person=person_factory(1, first_name="Fatima", last_name="El Amrani", email=EMAIL),
        now=timezone.now() - dt.timedelta(days=10),
    )
    role_user(roles.COORDINATOR, "coord")
    page.goto("/admin/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.get_by_role("link", name="Persoonsgegevens").first.click()
    page.get_by_label("E-mailadres").fill(EMAIL)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Zoeken").click()
    assert page.get_by_role("heading", name=f"2 records voor {EMAIL}").is_visible()
    assert page.get_by_text("El Amrani").first.is_visible()
    assert_accessible(page, context_selector="main")

    with page.expect_download() as download:
        page.get_by_role("button", name="Exporteren (JSON)").click()
    path = tmp_path / "export.json"
    download.value.save_as(path)
    document = json.loads(path.read_text(encoding="utf-8"))
    assert document["gegevens"][0]["velden"]["Achternaam"] == "El Amrani"

    with page.expect_navigation():
        page.get_by_role("button", name="Wissen…").click()
    assert page.get_by_text("Aanmelding: 1").is_visible()
    assert_accessible(page, context_selector="main")
    with page.expect_navigation():
        page.get_by_role("button", name="Ja, wissen").click()
    assert "Gewist: 2 records" in page.locator(".messages").inner_text()
    assert not Participant.objects.filter(email=EMAIL).exists()
    assert Registration.objects.filter(session=session).count() == 1  # the fact stays

    page.get_by_label("E-mailadres").fill(EMAIL)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Zoeken").click()
    assert page.get_by_role("heading", name=f"0 records voor {EMAIL}").is_visible()
