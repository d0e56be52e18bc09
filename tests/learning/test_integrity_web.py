"""Issue 11 (web side): limits, privacy, hostile input and small 500s on the learning pages."""

from __future__ import annotations

import datetime as dt
import io
import logging
import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from openpyxl import load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError
from wagtail.models import Page, PageViewRestriction

from learning import exports, selectors, services
from learning.forms import (
    InCompanyRequestForm,
    PressureCookerRequestForm,
    RegistrationForm,
    SignInRequestForm,
    SurveyForm,
)
from learning.models import Participant, Registration, TrainingRequest
from learning.services import Person
from website.models import Municipality, SiteSettings, TargetGroup
from website.text import spreadsheet_text

pytestmark = pytest.mark.django_db

HOUR = 3600


def valid_form(**overrides):
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@example.nl",
        "organisation": "Gemeente Haarlem",
        "function": "Beleidsadviseur",
        "municipality": str(Municipality.objects.first().pk),
        "target_group": str(TargetGroup.objects.first().pk),
        "consent": "on",
    }
    data.update(overrides)
    return data


def request_form(**overrides):
    data = {
        "organisation": "Gemeente Zaanstad",
        "municipality": str(Municipality.objects.first().pk),
        "contact_name": "Wethouder",
        "contact_email": "college@example.nl",
        "wanted": "Onrust na een incident",
        "preferred_period": "voorjaar",
        "group_size": "12",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(client, coordinator_user, reference_data):
    """A real coordinator: a member of the group Coördinator, no superuser."""
    client.force_login(coordinator_user)
    return client


@pytest.fixture
def coordinator_mail(site_home):
    settings = SiteSettings.load()
    settings.coordinator_email = "coordinatie@samenveilig-nh.example.nl"
    settings.save()


# ----- item 6: rate limits and maximum lengths ----------------------------------------------


def test_registration_flood_gets_a_dutch_429_per_client_and_session(
    client, settings, make_training, make_session
):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "registration": {"client": (5, HOUR), "client_session": (3, HOUR)},
    }
    session = make_session(make_training(), capacity=50)
    other = make_session(make_training("Polarisatie duiden"), capacity=50)
    url = f"/trainingen/aanmelden/{session.pk}/"
    for n in range(3):
        assert client.post(url, valid_form(email=f"bot{n}@example.nl")).status_code == 302
    mail.outbox.clear()
    response = client.post(url, valid_form(email="bot3@example.nl", first_name="Bottie"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    html = response.content.decode()
    assert "U heeft dit formulier te vaak verstuurd" in html
    assert 'value="Bottie"' in html and 'value="bot3@example.nl"' in html  # input kept
    assert Registration.objects.filter(session=session).count() == 3
    assert mail.outbox == []  # a refused registration mails nobody
    # another session from the same client still works, until the per-client limit
    other_url = f"/trainingen/aanmelden/{other.pk}/"
    assert client.post(other_url, valid_form(email="x1@example.nl")).status_code == 302
    assert client.post(other_url, valid_form(email="x2@example.nl")).status_code == 429
    # another client is not affected
    response = client.post(url, valid_form(email="echt@example.nl"), REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 302


def test_request_flood_gets_a_dutch_429(client, settings, catalogue, coordinator_mail):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "request": {"client": (2, HOUR)}}
    url = "/trainingen/aanvragen/in-company/"
    for _ in range(2):
        assert client.post(url, request_form()).status_code == 302
    mail.outbox.clear()
    response = client.post(url, request_form(contact_name="Zoveelste"))
    assert response.status_code == 429
    assert "U heeft dit formulier te vaak verstuurd" in response.content.decode()
    assert 'value="Zoveelste"' in response.content.decode()
    # the pressure-cooker form shares the limit
    response = client.post(
        "/trainingen/aanvragen/pressure-cooker/", request_form(contact_name="Weer")
    )
    assert response.status_code == 429
    assert TrainingRequest.objects.count() == 2 and mail.outbox == []


def test_huge_remarks_get_a_dutch_message_and_are_neither_stored_nor_mailed(
    client, catalogue, coordinator_mail
):
    remarks = "Lang verhaal. " * (2_400_000 // 14)
    response = client.post("/trainingen/aanvragen/in-company/", request_form(remarks=remarks))
    assert response.status_code == 200
    html = response.content.decode()
    assert "niet meer dan 4000 tekens" in html
    assert TrainingRequest.objects.count() == 0 and mail.outbox == []


def test_every_text_field_of_every_public_form_has_a_maximum_length(reference_data):

    for form_class in (
        RegistrationForm,
        InCompanyRequestForm,
        PressureCookerRequestForm,
        SignInRequestForm,
        SurveyForm,
    ):
        for name, field in form_class().fields.items():
            if isinstance(field, forms.CharField):
                assert field.max_length, f"{form_class.__name__}.{name} has no max_length"
    for model, names in (
        (TrainingRequest, ["organisation", "contact_name", "contact_phone", "wanted", "remarks"]),
        (Participant, ["first_name", "last_name", "function", "needs"]),
    ):
        for name in names:
            assert model._meta.get_field(name).max_length, f"{model.__name__}.{name}"


def test_sign_in_stranger_cannot_lock_someone_out(
    client, settings, committed, make_training, make_session
):
    session = make_session(make_training(), days=-3)
    register_many_people(session)
    mail.outbox.clear()
    stranger = {"REMOTE_ADDR": "10.6.6.6"}
    with committed():
        statuses = [
            client.post(
                "/mijn-trainingen/", {"email": "persoon0@example.nl"}, **stranger
            ).status_code
            for _ in range(25)
        ]
    assert statuses[:3] == [302] * 3 and set(statuses[3:]) == {429}
    # the owner of the address, from her own client, still gets her link
    with committed():
        response = client.post("/mijn-trainingen/", {"email": "persoon0@example.nl"})
    assert response.status_code == 302
    assert len(mail.outbox) == 4


def register_many_people(session):

    group = TargetGroup.objects.first()
    for n in range(2):
        services.register(
            session_id=session.pk,
            person=Person(
                first_name=f"Persoon{n}",
                last_name="Jansen",
                email=f"persoon{n}@example.nl",
                function="Wijkcoördinator",
                organisation="Gemeente Haarlem",
                target_group_id=group.pk,
                municipality=Municipality.objects.first(),
            ),
            now=session.starts_at - dt.timedelta(days=7),
        )


def test_sign_in_refused_by_the_client_limit_does_not_count_on_the_address(client, settings):
    settings.RATE_LIMITS = {
        **settings.RATE_LIMITS,
        "sign-in": {"client": (2, HOUR), "email_client": (3, HOUR), "email": (3, HOUR)},
    }
    flood = {"REMOTE_ADDR": "10.7.7.7"}
    for _ in range(10):
        client.post("/mijn-trainingen/", {"email": "doel@example.nl"}, **flood)
    # two counted from the flooding client, the other eight refused before the address:
    # the address has one request left for its owner (3 per address from anywhere)
    assert client.post("/mijn-trainingen/", {"email": "doel@example.nl"}).status_code == 302
    assert client.post("/mijn-trainingen/", {"email": "doel@example.nl"}).status_code == 429


# ----- item 8: control characters, exports and logs ---------------------------------------


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Fati\x07ma"),
        ("last_name", "El\x1b[31m Amrani"),
        ("organisation", "Gemeente \u202eHaarlem"),
        ("function", "Advi\u2066seur\u2069"),
        ("needs", "Rolstoel\x00"),
        ("first_name", "Fatima\nBcc: x"),
        ("organisation", "Gemeente\x85Haarlem"),
    ],
)
def test_registration_refuses_control_and_bidi_characters(
    client, make_training, make_session, field, value
):
    session = make_session(make_training())
    response = client.post(f"/trainingen/aanmelden/{session.pk}/", valid_form(**{field: value}))
    assert response.status_code == 200
    html = response.content.decode()
    assert "onzichtbare stuurtekens" in html
    assert Registration.objects.count() == 0


def test_multi_line_fields_keep_line_breaks_and_tabs(client, catalogue, coordinator_mail):
    remarks = "Eerste regel\r\nTweede\tregel"
    response = client.post("/trainingen/aanvragen/in-company/", request_form(remarks=remarks))
    assert response.status_code == 302
    assert TrainingRequest.objects.get().remarks == remarks
    response = client.post(
        "/trainingen/aanvragen/pressure-cooker/", request_form(remarks="Zie \u202ebijlage")
    )
    assert response.status_code == 200 and "onzichtbare stuurtekens" in response.content.decode()


def test_survey_refuses_bidi_overrides(client, make_training, make_session, person_factory):
    session = make_session(make_training(), days=-3)
    reg = services.register(
        session_id=session.pk,
        person=person_factory(1),
        now=session.starts_at - dt.timedelta(days=7),
    ).registration
    Registration.objects.filter(pk=reg.pk).update(attendance="present")
    response = client.post(
        f"/trainingen/aanmelding/{reg.token}/evaluatie/",
        {"overall": "4", "usefulness": "4", "recommend": "yes", "improvement": "Meer \u2067tijd"},
    )
    assert response.status_code == 200
    assert "onzichtbare stuurtekens" in response.content.decode()


def older_row_with(make_training, make_session, person_factory, **values):
    """A registration stored before the forms refused such characters."""
    session = make_session(make_training())
    services.register(session_id=session.pk, person=person_factory(1, **values), now=timezone.now())
    return session


def test_exports_survive_control_characters_in_older_rows(
    coordinator, make_training, make_session, person_factory
):

    session = older_row_with(
        make_training,
        make_session,
        person_factory,
        function="Advi\x07seur",
        last_name="=1+1",
        organisation="@SUM(A1)",
    )
    base = f"/admin/trainingen/sessies/{session.pk}/deelnemers"
    response = coordinator.get(base + ".xlsx")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    row = [cell for cell in sheet[2] if cell.value is not None]
    values = [cell.value for cell in row]
    assert "Advi\ufffdseur" in values
    assert "=1+1" in values and all(cell.data_type == "s" for cell in row)  # text, no formula
    text = coordinator.get(base + ".csv").content.decode("utf-8-sig")
    assert "Advi\ufffdseur" in text and "\x07" not in text
    assert ";'=1+1;" in text and ";'@SUM(A1);" in text


def test_csv_neutralises_formulas_behind_tab_and_carriage_return():

    assert spreadsheet_text("\t=cmd") == "'\t=cmd"
    assert spreadsheet_text("\r=cmd") == "'\r=cmd"
    assert spreadsheet_text("-2+3") == "'-2+3"
    assert spreadsheet_text("Gemeente Haarlem") == "Gemeente Haarlem"
    assert spreadsheet_text(None) == ""


def test_exception_messages_with_personal_values_never_reach_the_log(
    coordinator, make_training, make_session, person_factory, monkeypatch, console
):

    session = older_row_with(make_training, make_session, person_factory)
    person = Participant.objects.get()

    def broken(_session):
        try:
            raise KeyError(person.email)
        except KeyError as exc:
            raise IllegalCharacterError(f"{person.first_name} cannot be used") from exc

    monkeypatch.setattr(exports, "as_xlsx", broken)
    coordinator.raise_request_exception = False
    response = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.xlsx")
    assert response.status_code == 500
    output = console.getvalue()
    assert "IllegalCharacterError" in output and "KeyError" in output  # the traceback stays
    assert "persoon1@example.nl" not in output and "Persoon1" not in output


@pytest.fixture
def console():

    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


# ----- item 7: page privacy and live status on every public view and feed -------------------


def restrict(page, kind, **extra):

    return PageViewRestriction.objects.create(page=page, restriction_type=kind, **extra)


@pytest.mark.parametrize("kind", ["login", "password", "groups", "ancestor"])
def test_restricted_training_neither_shows_nor_accepts_registrations(
    client, make_training, make_session, catalogue, kind
):
    page = make_training("Besloten training")
    session = make_session(page)
    if kind == "ancestor":
        restrict(catalogue, "login")
    elif kind == "groups":
        restriction = restrict(page, "groups")
        restriction.groups.add(Group.objects.create(name="Partners"))
    else:
        restrict(page, kind, password="geheim" if kind == "password" else "")
    url = f"/trainingen/aanmelden/{session.pk}/"
    response = client.get(url)
    assert response.status_code in (302, 404)
    assert "Besloten training" not in response.content.decode()
    response = client.post(url, valid_form())
    assert response.status_code in (302, 404)
    assert Registration.objects.count() == 0 and mail.outbox == []
    assert client.get(f"/trainingen/sessie/{session.pk}.ics").status_code == 404
    for feed in (
        "/trainingen/agenda.ics",
        f"/trainingen/agenda/{TargetGroup.objects.first().slug}.ics",
    ):
        page.target_groups.add(TargetGroup.objects.first())
        assert "Besloten training" not in client.get(feed).content.decode()


def test_password_restricted_training_opens_after_the_password(client, make_training, make_session):
    page = make_training("Besloten training")
    session = make_session(page)
    restriction = restrict(page, "password", password="geheim")
    response = client.get(f"/trainingen/aanmelden/{session.pk}/")
    assert response.status_code == 302 and response.url == page.url  # Wagtail asks there
    client.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{page.pk}/",
        {"password": "geheim", "return_url": page.url},
    )
    assert client.get(page.url).status_code == 200
    assert client.get(f"/trainingen/aanmelden/{session.pk}/").status_code == 200
    response = client.post(f"/trainingen/aanmelden/{session.pk}/", valid_form())
    assert response.status_code == 302 and Registration.objects.count() == 1
    assert client.get(f"/trainingen/sessie/{session.pk}.ics").status_code == 200


def test_unpublished_training_neither_shows_nor_accepts_registrations(
    client, make_training, make_session
):
    page = make_training("Ingetrokken training")
    session = make_session(page)
    page.unpublish()
    url = f"/trainingen/aanmelden/{session.pk}/"
    assert client.get(url).status_code == 404
    assert client.post(url, valid_form()).status_code == 404
    assert client.get(f"/trainingen/sessie/{session.pk}.ics").status_code == 404
    assert "Ingetrokken training" not in client.get("/trainingen/agenda.ics").content.decode()
    assert Registration.objects.count() == 0


# ----- item 10: smaller 500s -------------------------------------------------------------------


def test_export_url_allows_only_csv_and_xlsx(coordinator, make_training, make_session):
    session = make_session(make_training())
    base = f"/admin/trainingen/sessies/{session.pk}/deelnemers"
    assert coordinator.get(base + ".csv").status_code == 200
    assert coordinator.get(base + ".xlsx").status_code == 200
    coordinator.raise_request_exception = False
    for suffix in (".exe", ".html", ".csv%0D%0ASet-Cookie:%20x=1", ".csv%0Ax", ".xlsx%22", ".CSV"):
        assert coordinator.get(base + suffix, follow=True).status_code == 404, suffix


def test_attendance_csv_with_a_quoted_delimiter_in_the_header_gets_a_file_error(
    coordinator, make_training, make_session
):

    session = make_session(make_training(), days=-3)
    for content in (b'"x,email";naam\nx;y\n', b'"x;email",naam\r\n"a;b",c\r\n'):
        upload = SimpleUploadedFile("lijst.csv", content, content_type="text/csv")
        response = coordinator.post(
            f"/admin/trainingen/sessies/{session.pk}/aanwezigheid/importeren/", {"file": upload}
        )
        assert response.status_code == 200
        assert "Geen kolom met e-mailadressen gevonden" in response.content.decode()


BIG = "9" * 30


def test_ids_beyond_64_bits_give_404_or_are_ignored(coordinator, make_training, make_session):
    session = make_session(make_training())
    coordinator.raise_request_exception = False
    for url in (
        f"/admin/trainingen/sessies/{BIG}/",
        f"/admin/trainingen/sessies/{BIG}/annuleren/",
        f"/admin/trainingen/sessies/{BIG}/deelnemers.csv",
        f"/admin/trainingen/sessies/aanmelding/{BIG}/annuleren/",
        f"/admin/trainingen/evaluaties/{BIG}/",
        f"/admin/trainingen/organisaties/{BIG}/",
        f"/trainingen/aanmelden/{BIG}/",
        f"/trainingen/sessie/{BIG}.ics",
        f"/documents/{BIG}/x.pdf",
    ):
        assert coordinator.get(url, follow=True).status_code == 404, url
    for url in (
        f"/admin/trainingen/sessies/{BIG}/gewijzigd/",
        f"/admin/trainingen/sessies/{BIG}/aanwezigheid/",
        f"/admin/trainingen/sessies/aanmelding/{BIG}/status/",
        f"/admin/trainingen/organisaties/{BIG}/gecontroleerd/",
    ):
        assert coordinator.post(url).status_code == 404, url
    # filters: the forged value is ignored, the list still shows
    response = coordinator.get(f"/admin/trainingen/sessies/?training={BIG}")
    assert response.status_code == 200
    response = coordinator.get(f"/admin/trainingen/sessies/?training=-{BIG}&status=planned")
    assert response.status_code == 200
    assert session.page.title in coordinator.get("/admin/trainingen/sessies/").content.decode()


# ----- item 14: correctness nits ---------------------------------------------------------------


def test_evaluation_overview_counts_only_sessions_that_took_place(
    coordinator, make_training, make_session, person_factory
):

    page = make_training("Signalen duiden")
    past = make_session(page, days=-3)
    future = make_session(page, days=20)
    for session, n in ((past, 1), (future, 2)):
        services.register(
            session_id=session.pk,
            person=person_factory(n),
            now=min(session.starts_at, timezone.now()) - dt.timedelta(days=7),
        )
    Registration.objects.filter(session=past).update(attendance="present")
    # a coordinator marked someone present ahead of time: still no session that took place
    Registration.objects.filter(session=future).update(attendance="present")
    (row,) = selectors.evaluation_by_training(now=timezone.now())
    assert row["sessions"] == 1
    html = coordinator.get("/admin/trainingen/evaluaties/").content.decode()
    assert "<td>Signalen duiden</td>" not in html  # linked title
    assert "<td>1</td><td>2</td>" in html  # 1 session, 2 present (as recorded)


def test_time_elements_carry_no_microseconds(client, make_training, make_session, site_home):

    page = make_training()
    session = make_session(page)
    privacy = Page.objects.get(slug="privacy").specific
    privacy.save_revision().publish()  # last_published_at with microseconds
    valid = re.compile(
        r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?([+-]\d{2}:?\d{2}|Z)?)?$"
    )
    for url in (privacy.url, page.url, f"/trainingen/aanmelden/{session.pk}/", "/trainingen/"):
        html = client.get(url).content.decode()
        stamps = re.findall(r'<time datetime="([^"]*)"', html)
        assert stamps, url
        for stamp in stamps:
            assert valid.match(stamp) or stamp.startswith("PT"), (url, stamp)


# ----- item 13: personal pages -------------------------------------------------------------------


def personal_urls(reg):
    base = f"/trainingen/aanmelding/{reg.token}/"
    return [
        base,
        base + "annuleren/",
        base + "agenda.ics",
        base + "evaluatie/",
        base + "bewijs-van-deelname/",
    ]


def attended_registration(make_training, make_session, person_factory):
    session = make_session(make_training(), days=-3)
    reg = services.register(
        session_id=session.pk,
        person=person_factory(1),
        now=session.starts_at - dt.timedelta(days=7),
    ).registration
    Registration.objects.filter(pk=reg.pk).update(attendance="present")
    return reg


def test_personal_pages_and_ics_are_private_and_never_stored(
    client, make_training, make_session, person_factory
):
    upcoming = services.register(
        session_id=make_session(make_training("Komt nog")).pk,
        person=person_factory(2),
        now=timezone.now(),
    ).registration
    past = attended_registration(make_training, make_session, person_factory)
    urls = personal_urls(upcoming) + personal_urls(past)
    urls += ["/mijn-trainingen/", "/mijn-trainingen/verstuurd/", "/mijn-trainingen/inloggen/x/"]
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert response.get("Cache-Control") == "private, no-store", (url, response.status_code)


def test_after_anonymisation_a_personal_link_says_the_data_was_removed(
    client, make_training, make_session, person_factory
):
    reg = attended_registration(make_training, make_session, person_factory)
    services.anonymise_participants(
        ended_before=timezone.now() + dt.timedelta(days=1), now=timezone.now()
    )
    for url in personal_urls(reg):
        response = client.get(url)
        assert response.status_code == 410, url
        assert response.get("Cache-Control") == "private, no-store", (url, response.status_code)
        if not url.endswith(".ics"):
            assert "gegevens zijn verwijderd" in response.content.decode(), url
    response = client.post(personal_urls(reg)[1])
    assert response.status_code == 410
    assert Registration.objects.get(pk=reg.pk).status == "confirmed"  # nothing changed


def test_registering_writes_no_personal_token_into_the_session(client, make_training, make_session):
    session = make_session(make_training())
    response = client.post(f"/trainingen/aanmelden/{session.pk}/", valid_form())
    assert response.status_code == 302
    token = Registration.objects.get().token
    stored = client.session.load() if client.session.session_key else {}
    assert token not in repr(stored)
