"""Journeys for in-company sessions and organisations, in a real browser with axe-core:
a pressure-cooker request for a district, a coordinator (non-superuser) planning it as a
session with a private link, a participant registering through that link, and the
coordinator merging two spellings of one organisation."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail
from django.utils import timezone

from learning.models import Organisation, Registration, RequestScope, TrainingRequest
from learning.services import organisations
from tests.conftest import COORDINATOR_PASSWORD, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _log_in(page):
    page.goto("/admin/login/")
    page.fill("#id_username", "coord")
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")


def test_pressure_cooker_for_a_district_planned_and_registered_through_the_private_link(
    page, catalogue, make_training, site_home, coordinator_user
):
    make_training("Polarisatie in de wijk")

    # The requester: a pressure cooker for a district, not one municipality.
    page.goto("/trainingen/aanvragen/pressure-cooker/")
    assert_accessible(page)
    page.get_by_label("Een district (regio)").check()
    page.get_by_label("Contactpersoon").fill("Wethouder Jansen")
    page.get_by_label("E-mailadres").fill("college@example.nl")
    page.get_by_label("Onderwerp (bijvoorbeeld lokale onrust of polarisatie)").fill(
        "Polarisatie in de wijk"
    )
    page.get_by_label("Voorkeursperiode").fill("voorjaar")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert page.get_by_text("Kies het district waarvoor de pressure cooker is.").first.is_visible()
    assert page.get_by_label("Contactpersoon").input_value() == "Wethouder Jansen"
    assert_accessible(page)
    page.get_by_role("combobox", name="District (regio)").select_option(
        label="Zaanstreek-Waterland"
    )
    page.get_by_role("button", name="Aanvraag versturen").click()
    page.wait_for_url("**/aanvragen/bedankt/")
    request = TrainingRequest.objects.get()
    assert request.scope == RequestScope.REGION and request.region.name == "Zaanstreek-Waterland"

    # The coordinator plans it from the requests screen.
    _log_in(page)
    page.goto(f"/admin/trainingen/aanvragen/{request.pk}/sessie/")
    assert page.get_by_role("heading", name="De aanvraag").is_visible()
    assert_accessible(page, context_selector="main")
    day = timezone.localdate() + dt.timedelta(days=21)
    page.locator("#id_training").select_option(label="Polarisatie in de wijk")
    page.locator("#id_date").fill(day.isoformat())
    page.locator("#id_start_time").fill("19:30")
    page.locator("#id_end_time").fill("21:30")
    page.locator("#id_capacity").fill("8")
    page.locator("#id_location").fill("Raadhuis, Zaandam")
    page.get_by_role("button", name="Sessie plannen").click()
    page.wait_for_url("**/admin/trainingen/sessies/*/")
    link = page.get_by_role("textbox", name="Link").input_value()
    assert "/trainingen/besloten/" in link
    assert_accessible(page, context_selector="main")
    assert any(link in m.body for m in mail.outbox if m.to == ["college@example.nl"])

    # A participant registers through the private link (the same form).
    participant = page.context.browser.new_context(  # a visitor without the admin session
        base_url=page.url.split("/admin")[0], locale="nl-NL", bypass_csp=True
    )
    tab = participant.new_page()
    tab.goto(urlsplit(link).path)
    assert_accessible(tab)
    tab.get_by_label("Voornaam").fill("Sanne")
    tab.get_by_label("Achternaam").fill("de Vries")
    tab.get_by_label("E-mailadres").fill("sanne@example.nl")
    tab.get_by_label("Organisatie").fill("Gemeente Zaanstad")
    tab.get_by_label("Functie").fill("Wethouder")
    tab.get_by_label("Gemeente waar u werkt").select_option(label="Zaanstad")
    tab.get_by_label("Doelgroep").select_option(index=1)
    tab.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    tab.get_by_role("button", name="Aanmelden").click()
    tab.wait_for_url("**/trainingen/aanmelding/**")
    assert tab.get_by_text("Uw plek is bevestigd").is_visible()
    assert_accessible(tab)
    participant.close()
    assert Registration.objects.get().session.page.unlisted


def test_a_coordinator_merges_two_spellings(page, reference_data, coordinator_user):
    kept = organisations.find_or_create(name="GGD Kennemerland")
    Organisation.objects.filter(pk=kept.pk).update(verified=True)
    typo = organisations.find_or_create(name="GGD Kenemerland")
    _log_in(page)
    page.goto("/admin/trainingen/organisaties/dubbel/")
    assert_accessible(page, context_selector="main")
    page.get_by_role(
        "link", name=re.compile("^Samenvoegen ?: GGD Kenemerland → GGD Kennemerland$")
    ).click()
    question = page.get_by_text("GGD Kenemerland samenvoegen met GGD Kennemerland?")
    question.wait_for()  # the click navigates; is_visible() alone does not wait for it
    assert question.is_visible()
    assert_accessible(page, context_selector="main")
    page.get_by_role("button", name="Ja, samenvoegen").click()
    page.wait_for_url(f"**/organisaties/{kept.pk}/")
    assert Organisation.objects.get(pk=typo.pk).merged_into_id == kept.pk
    assert_accessible(page, context_selector="main")
