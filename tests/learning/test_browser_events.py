"""Network events in a real browser: every new page type and form passes axe-core and
does its job without JavaScript."""

import re

import pytest
from django.core import mail

from learning import demo_programme
from learning.models import Registration
from tests.conftest import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_person(page, email="samira@example.nl"):
    page.get_by_label("Voornaam").fill("Samira")
    page.get_by_label("Achternaam").fill("Bakker")
    page.get_by_label("E-mailadres").fill(email)
    page.get_by_label("Organisatie").fill("GGD Zaanstreek-Waterland")
    page.get_by_label("Functie").fill("Jeugdarts")
    page.get_by_label("Gemeente waar u werkt").select_option(label="Zaanstad")
    page.get_by_label("Doelgroep").select_option(index=1)


def test_theme_day_with_workshop_rounds(page, site_home):
    demo_programme.seed()
    page.goto("/bijeenkomsten/")
    assert_accessible(page)
    page.get_by_role("link", name="Themadag CTER: samen sterker tegen radicalisering").click()
    assert page.get_by_role("heading", name="Programma").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Aanmelden").first.click()
    fill_person(page)
    page.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    page.get_by_role("button", name="Aanmelden").click()  # no workshops chosen
    assert page.get_by_text("Kies één workshop voor ronde 1.").first.is_visible()
    assert page.get_by_label("Voornaam").input_value() == "Samira"
    assert_accessible(page)
    page.get_by_label("Online radicalisering herkennen bij jongeren", exact=False).check()
    page.get_by_label("Psychische kwetsbaarheid en extremisme", exact=False).check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/trainingen/aanmelding/**")
    assert_accessible(page)
    assert Registration.objects.get().workshop_choices.count() == 2
    assert "Ronde 2: Psychische kwetsbaarheid en extremisme" in mail.outbox[-1].body


def test_connection_track_registration(page, site_home):
    demo_programme.seed()
    page.goto("/bijeenkomsten/verbindingstraject-ggz-ggd/")
    assert page.get_by_text("Is geweest").is_visible()
    assert page.get_by_text("Volgende regio").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"hele traject . Zaanstreek-Waterland")).click()
    assert_accessible(page)
    fill_person(page)
    page.get_by_role("button", name="Aanmelden voor het hele traject").click()
    assert page.get_by_text("Ga akkoord met de privacyverklaring").first.is_visible()
    assert_accessible(page)
    page.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    page.get_by_role("button", name="Aanmelden voor het hele traject").click()
    page.wait_for_url("**/aangemeld/")
    assert page.get_by_text("Bevestigd").count() == 3
    assert_accessible(page)
    assert len(mail.outbox) == 1


def test_programme_pages(page, site_home):
    demo_programme.seed()
    for url in ("/programma/", "/programma/specialisten-radicalisering-extremisme/"):
        page.goto(url)
        assert_accessible(page)
