"""Issue 18 item 5: what a visitor using the keyboard or a screen reader noticed."""

import pytest
from django.core import mail
from django.utils import timezone

from learning import services
from learning.models import Level

pytestmark = pytest.mark.django_db


def test_a_full_session_says_what_its_button_does(
    client, make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=1)
    services.register(session_id=session.pk, person=person_factory(1), now=timezone.now())
    html = client.get(f"/trainingen/aanmelden/{session.pk}/").content.decode()
    assert "Aanmelden voor de wachtlijst</button>" in html


def test_after_a_failed_submit_focus_goes_to_the_error_summary(client, make_training, make_session):
    session = make_session(make_training())
    html = client.post(
        f"/trainingen/aanmelden/{session.pk}/", {"first_name": "Fatima", "website": ""}
    ).content.decode()
    start = html.index('class="utrecht-alert utrecht-alert--error cter-error-summary"')
    summary_tag = html[html.rindex("<div", 0, start) : html.index(">", start)]
    assert 'tabindex="-1"' in summary_tag and "autofocus" in summary_tag


def test_the_cancellation_email_does_not_offer_to_cancel(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training())
    reg = services.register(
        session_id=session.pk, person=person_factory(1), now=timezone.now()
    ).registration
    mail.outbox.clear()
    with committed():
        services.cancel_registration(registration_id=reg.pk, now=timezone.now())
    (message,) = mail.outbox
    assert "annuleren" not in message.body.lower().split("geannuleerd")[-1]
    assert "Uw aanmelding bekijken" in message.body


def test_after_filtering_one_link_leads_to_the_results(
    client, catalogue, make_training, make_session
):
    make_session(make_training(level=Level.BASIC))
    html = client.get(f"{catalogue.url}?level={Level.BASIC}").content.decode()
    plain = client.get(catalogue.url).content.decode()
    assert 'href="#results-heading">Naar de resultaten</a>' in html
    assert 'id="results-heading"' in html and "Naar de resultaten" not in plain
