"""Findings of the UX review: confirmation before cancelling, one clear message after it,
the coordinator screens, the .ics attachment header and organisation suggestions."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone

from learning import selectors, services
from learning.admin_views import ManualAddForm
from learning.forms import RegistrationForm
from learning.models import Organisation, Registration, Session

pytestmark = pytest.mark.django_db


# ----- public: "Mijn aanmelding annuleren" asks first -----------------------------------------


def test_public_cancel_asks_first_and_post_cancels_with_one_message(
    client, make_training, make_session, person_factory, committed
):
    session = make_session(make_training("Polarisatie in de wijk"), capacity=1)
    now = timezone.now()
    reg = services.register(session_id=session.pk, person=person_factory(1), now=now).registration
    waiting = services.register(session_id=session.pk, person=person_factory(2), now=now)
    page = client.get(f"/trainingen/aanmelding/{reg.token}/").content.decode()
    # The button on the personal page only leads to the question (a GET form).
    assert f'<form method="get" action="/trainingen/aanmelding/{reg.token}/annuleren/">' in page

    with committed():
        confirm = client.get(f"/trainingen/aanmelding/{reg.token}/annuleren/")
    html = confirm.content.decode()
    assert confirm.status_code == 200 and confirm["Cache-Control"] == "private, no-store"
    assert "Uw aanmelding annuleren?" in html and "Polarisatie in de wijk" in html
    assert "Ja, annuleer mijn aanmelding" in html and "csrfmiddlewaretoken" in html
    reg.refresh_from_db()
    assert reg.status == "confirmed" and not mail.outbox  # looking is not cancelling

    with committed():
        response = client.post(f"/trainingen/aanmelding/{reg.token}/annuleren/")
    assert response.status_code == 302
    reg.refresh_from_db()
    assert reg.status == "cancelled"
    assert [m.to for m in mail.outbox] == [["persoon1@example.nl"], ["persoon2@example.nl"]]
    waiting.registration.refresh_from_db()
    assert waiting.registration.status == "confirmed"

    html = client.get(response.url).content.decode()
    assert html.count("Uw aanmelding is geannuleerd") == 1
    assert "We hebben u een bevestiging per e-mail gestuurd" in html
    assert "Deze aanmelding is geannuleerd" not in html  # not a second alert saying the same
    # Later visits show the plain state, without claiming a mail was just sent.
    html = client.get(response.url).content.decode()
    assert "Deze aanmelding is geannuleerd" in html and "bevestiging per e-mail" not in html
    # Asking again for a cancelled registration just shows the personal page.
    again = client.get(f"/trainingen/aanmelding/{reg.token}/annuleren/")
    assert again.status_code == 302 and again.url == f"/trainingen/aanmelding/{reg.token}/"


def test_public_leaving_the_waiting_list_says_so(
    client, make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    services.register(session_id=session.pk, person=person_factory(1), now=now)
    waiting = services.register(session_id=session.pk, person=person_factory(2), now=now)
    token = waiting.registration.token
    html = client.get(f"/trainingen/aanmelding/{token}/annuleren/").content.decode()
    assert "Van de wachtlijst af?" in html and "Ja, haal mij van de wachtlijst" in html
    response = client.post(f"/trainingen/aanmelding/{token}/annuleren/")
    html = client.get(response.url).content.decode()
    assert "U staat niet meer op de wachtlijst" in html and "bevestiging per e-mail" in html
    assert Registration.objects.get(pk=waiting.registration.pk).status == "cancelled"


# ----- admin: cancelling a registration or a whole session asks first -------------------------


def test_admin_row_cancel_asks_first(
    coordinator, make_training, make_session, person_factory, committed
):
    session = make_session(make_training("Radicalisering herkennen"))
    reg = services.register(
        session_id=session.pk, person=person_factory(1), now=timezone.now()
    ).registration
    with committed():
        # The old one-click form field now only leads to the question.
        moved = coordinator.post(
            f"/admin/trainingen/sessies/aanmelding/{reg.pk}/status/", {"status": "cancelled"}
        )
        assert moved.url == f"/admin/trainingen/sessies/aanmelding/{reg.pk}/annuleren/"
        html = coordinator.get(moved.url).content.decode()
    assert "Persoon1 Jansen" in html and "Radicalisering herkennen" in html
    assert "Ja, annuleer de aanmelding" in html
    reg.refresh_from_db()
    assert reg.status == "confirmed" and not mail.outbox

    with committed():
        response = coordinator.post(moved.url)
    assert response.url == f"/admin/trainingen/sessies/{session.pk}/"
    reg.refresh_from_db()
    assert reg.status == "cancelled" and len(mail.outbox) == 1


def test_admin_session_cancel_asks_first_with_count_in_danger_zone(
    coordinator, make_training, make_session, person_factory, committed
):
    session = make_session(make_training("Radicalisering herkennen"), capacity=1)
    now = timezone.now()
    services.register(session_id=session.pk, person=person_factory(1), now=now)
    services.register(session_id=session.pk, person=person_factory(2), now=now)
    page = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/").content.decode()
    # The cancel action sits in its own section, after the add form, as a link to the question.
    add_form = page.index("Handmatig een aanmelding toevoegen")
    danger = page.index('aria-labelledby="danger-heading"')
    assert add_form < danger
    assert f'href="/admin/trainingen/sessies/{session.pk}/annuleren/"' in page[danger:]
    assert f'action="/admin/trainingen/sessies/{session.pk}/annuleren/"' not in page

    with committed():
        html = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/annuleren/")
        html = html.content.decode()
    assert "Radicalisering herkennen" in html
    assert "2 personen (bevestigd of op de wachtlijst) krijgen een e-mail" in html
    assert Session.objects.get(pk=session.pk).status == "planned" and not mail.outbox

    with committed():
        response = coordinator.post(f"/admin/trainingen/sessies/{session.pk}/annuleren/")
    assert response.url == f"/admin/trainingen/sessies/{session.pk}/"
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert len(mail.outbox) == 2
    html = coordinator.get(response.url).content.decode()
    assert "Sessie geannuleerd; 2 personen geïnformeerd." in html


# ----- admin screens -----------------------------------------------------------------------------


def test_session_page_table_scrolls_and_add_form_has_no_consent(
    coordinator, make_training, make_session
):
    session = make_session(make_training())
    html = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/").content.decode()
    region = html.index('role="region"')
    assert 'tabindex="0"' in html[region - 80 : region + 80]
    assert html.index('role="region"') < html.index('<table class="listing">')
    assert "privacyverklaring" not in html
    assert "consent" not in ManualAddForm().fields
    assert "consent" in RegistrationForm().fields  # the public form keeps it


def test_filter_labels_past_status_and_menu_label(coordinator, make_training, make_session):
    training = make_training("Afgelopen training")
    past = make_session(training, days=-3)
    make_session(training, days=5, status="cancelled")
    html = coordinator.get("/admin/trainingen/sessies/?start=2000-01-01").content.decode()
    assert "---" not in html
    assert "Alle trainingen" in html and "Alle statussen" in html
    assert "<td>Afgelopen</td>" in html and "<td>Geannuleerd</td>" in html
    assert "<td>Gepland</td>" not in html
    detail = coordinator.get(f"/admin/trainingen/sessies/{past.pk}/").content.decode()
    assert "Status: Afgelopen" in detail
    assert Session.objects.get(pk=past.pk).status == "planned"  # computed, not stored
    dashboard = coordinator.get("/admin/").content.decode()
    assert (
        '"label": "Sessies"' in dashboard or "&quot;label&quot;: &quot;Sessies&quot;" in dashboard
    )


# ----- .ics attachment -------------------------------------------------------------------------


def test_ics_attachment_has_exactly_one_charset(
    make_training, make_session, person_factory, committed
):
    session = make_session(make_training())
    with committed():
        services.register(session_id=session.pk, person=person_factory(1), now=timezone.now())
    message = mail.outbox[-1].message()
    (part,) = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    header = part["Content-Type"]
    assert header.lower().count("charset") == 1, header
    assert part.get_param("charset") == "utf-8"
    assert part.get_param("method") == "PUBLISH"
    assert part.get_filename() == "uitnodiging.ics"


# ----- organisation suggestions: checked organisations only -----------------------------------


def test_suggestions_only_checked_organisations(
    client, coordinator, make_training, make_session, person_factory
):
    session = make_session(make_training())
    services.register(
        session_id=session.pk, person=person_factory(1, organisation="x"), now=timezone.now()
    )
    Organisation.objects.create(name="Politie Noord-Holland", verified=True)
    assert selectors.organisation_suggestions() == ["Politie Noord-Holland"]
    html = client.get(f"/trainingen/aanmelden/{session.pk}/").content.decode()
    assert '<option value="Politie Noord-Holland">' in html
    assert '<option value="x">' not in html

    typed = Organisation.objects.get(name="x")
    listing = coordinator.get("/admin/trainingen/organisaties/").content.decode()
    assert "Markeren als gecontroleerd" in listing
    response = coordinator.post(
        f"/admin/trainingen/organisaties/{typed.pk}/gecontroleerd/", {"verified": "1"}
    )
    assert response.url == "/admin/trainingen/organisaties/"
    assert "x" in selectors.organisation_suggestions()
    coordinator.post(f"/admin/trainingen/organisaties/{typed.pk}/gecontroleerd/", {"verified": "0"})
    assert "x" not in selectors.organisation_suggestions()


def test_organisation_verify_needs_coordinator(client, make_training):
    organisation = Organisation.objects.create(name="x")
    user = User.objects.create_user("editor", "editor@example.nl", "x")
    client.force_login(user)
    client.post(
        f"/admin/trainingen/organisaties/{organisation.pk}/gecontroleerd/", {"verified": "1"}
    )
    organisation.refresh_from_db()
    assert not organisation.verified


def test_migration_marks_reference_and_shared_organisations(
    make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=20)
    now = timezone.now()
    for n, name in enumerate(["Buurtteam Zaandam", "Buurtteam Zaandam", "x", "x"]):
        email = "zelfde@example.nl" if name == "x" else f"p{n}@example.nl"
        person = person_factory(n, organisation=name, email=email)
        services.register(session_id=session.pk, person=person, now=now + dt.timedelta(days=n))
    Organisation.objects.get_or_create(name="COA")
    Organisation.objects.update(verified=False)
    migration = importlib.import_module("learning.migrations.0003_organisation_verified")
    migration.mark_known(apps, None)
    checked = set(Organisation.objects.filter(verified=True).values_list("name", flat=True))
    # Two different people: checked; one person twice ("x"): not; reference data: checked.
    assert checked == {"Buurtteam Zaandam", "COA"}
