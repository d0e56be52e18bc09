"""A participant's journey after registering: reminder e-mail -> personal page -> survey ->
certificate (one A4 page) -> "Mijn trainingen"; axe-core on every new page."""

import datetime as dt
import re

import pytest
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import Level, Registration, Session
from tests.conftest import COORDINATOR_PASSWORD, assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def path_after(message, marker):
    body = message.body
    found = re.search(r"https?://[^/\s]+(/\S+)", body[body.index(marker) :])
    assert found, body
    return found.group(1)


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


def test_from_reminder_to_certificate_and_my_trainings(
    page, make_training, make_session, person_factory
):
    training = make_training("Polarisatie in de wijk", level=Level.BASIC)
    session = make_session(training, days=1)
    now = timezone.now()
    services.register(
        session_id=session.pk,
        person=person_factory(1, first_name="Fatima", last_name="El Amrani"),
        now=now - dt.timedelta(days=7),  # reminders go to who registered before the window
    )
    mail.outbox.clear()

    # The reminder e-mail links to the personal page.
    assert services.send_due_reminders(now=now) == 1
    reminder = mail.outbox[-1]
    assert reminder.subject == "Herinnering: Polarisatie in de wijk"
    page.goto(path_after(reminder, "Uw aanmelding bekijken"))
    assert page.get_by_text("Uw plek is bevestigd").is_visible()
    assert page.get_by_role("link", name="Bewijs van deelname").count() == 0

    # The session takes place; the trainer marks her present; the survey goes out.
    session = Session.objects.get(pk=session.pk)
    session.date = (timezone.localtime(now) - dt.timedelta(days=2)).date()
    session.save()
    services.mark_attendance(session_id=session.pk, attendance="present", now=timezone.now())
    assert services.send_due_surveys(now=timezone.now()) == 1
    survey = mail.outbox[-1]
    page.goto(path_after(survey, "Vul de vragenlijst in"))
    assert_accessible(page)
    page.get_by_role("button", name="Antwoorden versturen").click()
    assert page.get_by_text("Kies ja of nee.", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_role("group", name="Welk cijfer geeft u de training als geheel?").get_by_label(
        "4"
    ).check()
    page.get_by_role("group", name="Hoe bruikbaar is de training").get_by_label("5").check()
    page.get_by_label("Ja").check()
    page.get_by_label("Wat kan er beter?").fill("Meer voorbeelden uit de wijk.")
    page.get_by_role("button", name="Antwoorden versturen").click()
    assert page.get_by_role("heading", name="Bedankt voor uw antwoorden").is_visible()
    assert_accessible(page)

    # The certificate, from the personal page; it prints on one A4 page.
    page.get_by_role("link", name="Naar uw aanmelding").click()
    page.get_by_role("link", name="Bewijs van deelname").click()
    assert page.get_by_role("heading", name="Bewijs van deelname").is_visible()
    for text in ("Fatima El Amrani", "Polarisatie in de wijk", "Basis", "3 uur"):
        assert page.get_by_text(text).first.is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert not page.locator(".cter-header").is_visible()
    pdf = page.pdf(format="A4", prefer_css_page_size=True, print_background=True)
    assert pdf_pages(pdf) == 1
    page.emulate_media(media="screen")

    # "Mijn trainingen": ask for a link, open it, press the button, see the certificate.
    page.goto("/mijn-trainingen/")
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("geen-adres")
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    assert page.get_by_text("Voer een geldig e-mailadres in.", exact=True).is_visible()
    assert_accessible(page)
    page.get_by_label("E-mailadres").fill("persoon1@example.nl")
    page.get_by_role("button", name="Stuur mij een inloglink").click()
    assert page.get_by_role("heading", name="Kijk in uw e-mail").is_visible()
    assert_accessible(page)
    sign_in = mail.outbox[-1]
    link = path_after(sign_in, "http")
    page.goto(link)
    assert_accessible(page)
    page.get_by_role("button", name="Toon mijn trainingen").click()
    page.wait_for_url("**/mijn-trainingen/overzicht/")
    assert page.get_by_role("heading", name="Afgelopen").is_visible()
    certificate = page.locator("a[href$='/bewijs-van-deelname/']")
    assert certificate.is_visible() and "Bewijs van deelname" in certificate.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.goto(link)  # used once: no longer works
    assert page.get_by_role("heading", name="Deze inloglink werkt niet meer").is_visible()
    assert_accessible(page)


def test_attendance_select_all_by_keyboard_in_admin(
    page, live_server, coordinator_user, make_training, make_session, person_factory
):
    session = make_session(make_training(), days=-2)
    for n in range(3):
        services.register(
            session_id=session.pk,
            person=person_factory(n),
            now=session.starts_at - dt.timedelta(days=5),
        )
    page.goto("/admin/login/")
    page.fill("#id_username", coordinator_user.username)
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/trainingen/sessies/{session.pk}/")
    select_all = page.get_by_label("Alles selecteren")
    select_all.focus()
    page.keyboard.press("Space")
    assert page.locator('input[name="registrations"]:checked').count() == 3
    page.get_by_role("button", name="Aanwezig melden").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert set(Registration.objects.values_list("attendance", flat=True)) == {"present"}
    assert "3 aanmeldingen gemarkeerd: Aanwezig." in page.locator(".messages").inner_text()
