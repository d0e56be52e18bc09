import icalendar
import pytest
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import Format, Kind, Registration, TrainingIndexPage
from tests.conftest import assert_accessible
from website.demo import upsert_child
from website.models import TargetGroup

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_find_register_cancel_and_promote(page, make_training, make_session, person_factory):
    make_training("Webinar online haat", kind=Kind.WEBINAR, fmt=Format.ONLINE)
    training = make_training("Polarisatie in de wijk")
    session = make_session(training, capacity=1)

    page.goto("/trainingen/")
    assert_accessible(page)
    page.locator("summary", has_text="Filters").click()
    page.get_by_label("Soort").select_option("training")
    page.get_by_role("button", name="Resultaten tonen").click()
    page.wait_for_url("**/trainingen/?*kind=training*")
    assert page.get_by_role("link", name="Webinar online haat").count() == 0
    page.get_by_role("link", name="Polarisatie in de wijk").click()
    assert_accessible(page)
    page.get_by_role("link", name="Aanmelden").first.click()
    assert_accessible(page)

    page.get_by_label("Voornaam").fill("Fatima")
    page.get_by_label("Achternaam").fill("El Amrani")
    page.get_by_label("E-mailadres").fill("fatima@example.nl")
    page.get_by_label("Organisatie").fill("Gemeente Haarlem")
    page.get_by_label("Functie").fill("Beleidsadviseur")
    page.get_by_label("Gemeente waar u werkt").select_option(label="Haarlem")
    page.get_by_label("Doelgroep").select_option(index=1)
    page.get_by_role("button", name="Aanmelden").click()
    assert page.get_by_text("Ga akkoord met de privacyverklaring").first.is_visible()
    assert page.get_by_label("Voornaam").input_value() == "Fatima"
    assert_accessible(page)
    page.get_by_label("Ik ga akkoord met de privacyverklaring").check()
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_url("**/trainingen/aanmelding/**")
    assert page.get_by_text("Uw plek is bevestigd").is_visible()
    assert_accessible(page)

    confirmation = mail.outbox[-1]
    assert confirmation.to == ["fatima@example.nl"]
    cal = icalendar.Calendar.from_ical(confirmation.attachments[0][1])
    assert str(cal.walk("VEVENT")[0]["SUMMARY"]) == "Polarisatie in de wijk"

    group = TargetGroup.objects.first()
    other = services.register(
        session_id=session.pk,
        person=person_factory(2, target_group_id=group.pk),
        now=timezone.now(),
    )
    assert other.registration.status == "waiting"
    mail.outbox.clear()

    page.get_by_role("button", name="Mijn aanmelding annuleren").click()
    page.wait_for_url(lambda url: "/annuleren/" in url)
    assert page.get_by_role("heading", name="Uw aanmelding annuleren?").is_visible()
    assert_accessible(page)
    assert Registration.objects.filter(status="cancelled").count() == 0  # asked, not done
    page.get_by_role("button", name="Ja, annuleer mijn aanmelding").click()
    page.wait_for_url("**/trainingen/aanmelding/*/")
    assert page.get_by_text(
        "Uw aanmelding is geannuleerd. We hebben u een bevestiging per e-mail gestuurd."
    ).is_visible()
    assert page.get_by_role("status").count() == 1  # one message, not two saying the same
    other.registration.refresh_from_db()
    assert other.registration.status == "confirmed"
    promoted = [m for m in mail.outbox if m.to == ["persoon2@example.nl"]]
    assert promoted and promoted[0].subject.startswith("Er is een plek vrijgekomen")
    assert Registration.objects.filter(status="confirmed").count() == 1


def test_webinars_listing_and_request_form_accessible(page, catalogue, make_training, site_home):
    upsert_child(site_home, TrainingIndexPage, "webinars", title="Webinars", only_kind="webinar")
    page.goto("/webinars/")
    assert page.locator("h1").inner_text() == "Webinars"
    assert_accessible(page)
    page.goto("/trainingen/?format=hybrid")
    assert page.get_by_text("Geen trainingen of webinars gevonden").is_visible()
    assert_accessible(page)
    page.goto("/trainingen/aanvragen/in-company/")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert_accessible(page)
