"""Data-subject rights: find, export and erase everything stored about one e-mail address;
"Mijn trainingen" gives the person their own copy (issue 14)."""

import csv
import datetime as dt
import io
import json

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import ModelLogEntry

from learning import selectors, services
from learning.models import (
    Evaluation,
    OutboxEmail,
    Participant,
    Registration,
    RegistrationStatus,
    SignInToken,
    TrainingRequest,
)
from tests.conftest import verified_login
from website import personal_data, roles
from website.hooks import PersonalRecord
from website.models import PersonalDataRequest

pytestmark = pytest.mark.django_db

EMAIL = "fatima.elamrani@example.nl"


@pytest.fixture
def person(make_training, make_session, person_factory, committed):
    """Two past registrations with an evaluation, a sign-in link, a request and e-mails;
    someone else's registration on the same session."""
    # The e-mails go at the commit, as in production (nothing pending in the outbox).
    with committed():
        past = make_session(make_training("Basis"), days=-20)
        other_past = make_session(make_training("Verdieping"), days=-10)
        before = timezone.now() - dt.timedelta(days=40)
        regs = [
            services.register(
                session_id=s.pk,
                person=person_factory(1, first_name="Fatima", last_name="El Amrani", email=EMAIL),
                now=before,
            ).registration
            for s in (past, other_past)
        ]
        services.register(session_id=past.pk, person=person_factory(2), now=before)
        Evaluation.objects.create(
            registration=regs[0],
            overall=4,
            usefulness=5,
            recommend=True,
            improvement="Meer casuïstiek uit Zaanstad",
            created_at=timezone.now(),
        )
        services.request_sign_in(email=EMAIL, now=timezone.now())
        TrainingRequest.objects.create(
            kind="in_company",
            organisation="Gemeente Zaanstad",
            contact_name="Fatima El Amrani",
            contact_email=EMAIL.upper(),
            contact_phone="06 12345678",
            wanted="Basistraining",
            preferred_period="Voorjaar",
        )
    return regs


@pytest.fixture
def coordinator_client(client, role_user):
    verified_login(client, role_user(roles.COORDINATOR))
    return client


def test_the_coordinator_finds_everything_stored_under_an_address(coordinator_client, person):
    response = coordinator_client.post("/admin/persoonsgegevens/", {"email": EMAIL.title()})
    html = response.content.decode()
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
    for expected in (
        "Aanmelding",
        "Fatima",
        "El Amrani",
        "Meer casuïstiek uit Zaanstad",
        "Inloglink",
        "Aanvraag",
        "06 12345678",
        "Uitgaande e-mail",
    ):
        assert expected in html, expected
    assert "persoon2@example.nl" not in html  # only this person
    # the look-up is in the audit trail, without the address
    entry = ModelLogEntry.objects.get(action="cter.personal_data.lookup")
    assert EMAIL not in entry.label + json.dumps(entry.data)
    assert entry.data["records"] >= 5


def test_the_address_never_travels_in_a_url(coordinator_client, person):
    html = coordinator_client.post("/admin/persoonsgegevens/", {"email": EMAIL}).content.decode()
    assert "?email=" not in html and 'method="get"' not in html.lower()


def test_export_json_and_csv_with_dutch_field_names(coordinator_client, person):
    response = coordinator_client.post(
        "/admin/persoonsgegevens/", {"email": EMAIL, "action": "json"}
    )
    assert response["Content-Disposition"].startswith('attachment; filename="persoonsgegevens-')
    document = json.loads(response.content)
    assert document["e-mailadres"] == EMAIL
    kinds = [item["soort"] for item in document["gegevens"]]
    assert kinds.count("Aanmelding") == 2
    registration = next(i for i in document["gegevens"] if i["soort"] == "Aanmelding")
    assert registration["onderdeel"] == "Trainingen"
    assert registration["velden"]["Voornaam"] == "Fatima"
    assert registration["velden"]["E-mailadres"] == EMAIL

    response = coordinator_client.post(
        "/admin/persoonsgegevens/", {"email": EMAIL, "action": "csv"}
    )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Onderdeel", "Soort", "Record", "Veld", "Waarde"]
    assert ["Trainingen", "Aanmelding", "1", "Voornaam", "Fatima"] in rows
    exports = ModelLogEntry.objects.filter(action="cter.personal_data.export")
    assert sorted(e.data["format"] for e in exports) == ["CSV", "JSON"]


def test_erase_keeps_the_facts_reports_need(coordinator_client, person):
    facts_before = list(
        Registration.objects.order_by("pk").values(
            "session_id",
            "status",
            "organisation_id",
            "municipality_id",
            "target_group_id",
            "attendance",
        )
    )
    response = coordinator_client.post(
        "/admin/persoonsgegevens/wissen/", {"email": EMAIL, "confirm": "1"}
    )
    assert response.status_code == 302 and response["Location"] == "/admin/persoonsgegevens/"
    assert not Participant.objects.filter(email__iexact=EMAIL).exists()
    assert Participant.objects.filter(anonymised_at__isnull=False, first_name="").count() == 2
    assert Participant.objects.filter(email="persoon2@example.nl").exists()  # others stay
    assert Evaluation.objects.get().improvement == "" and Evaluation.objects.get().overall == 4
    assert not SignInToken.objects.exists()
    assert not OutboxEmail.objects.filter(to__iexact=EMAIL).exists()
    request = TrainingRequest.objects.get()
    assert (request.contact_name, request.contact_email, request.organisation) == (
        "",
        "",
        "Gemeente Zaanstad",
    )
    facts_after = list(
        Registration.objects.order_by("pk").values(
            "session_id",
            "status",
            "organisation_id",
            "municipality_id",
            "target_group_id",
            "attendance",
        )
    )
    assert facts_after == facts_before
    assert personal_data.find(email=EMAIL)[0].records == []
    # recorded without the erased data
    entry = ModelLogEntry.objects.get(action="cter.personal_data.erase")
    saved = PersonalDataRequest.objects.get(action="erase")
    assert EMAIL not in entry.label + json.dumps(entry.data) + json.dumps(saved.records)
    assert "Fatima" not in json.dumps(saved.records)
    assert saved.records["Gegevens van deelnemers"] == 2


def test_erase_waits_for_a_session_still_to_come(
    coordinator_client, person, make_training, make_session, person_factory, committed
):
    upcoming = make_session(make_training("Vervolg"), days=15)
    with committed():
        registration = services.register(
            session_id=upcoming.pk,
            person=person_factory(1, first_name="Fatima", email=EMAIL),
            now=timezone.now(),
        ).registration
    html = coordinator_client.post(
        "/admin/persoonsgegevens/wissen/", {"email": EMAIL}
    ).content.decode()
    assert "kunnen nog niet worden gewist" in html
    assert "Vervolg" in html and "Ja, wissen" not in html
    response = coordinator_client.post(
        "/admin/persoonsgegevens/wissen/", {"email": EMAIL, "confirm": "1"}
    )
    assert response.status_code == 200  # refused, nothing erased
    assert Participant.objects.filter(email=EMAIL).count() == 3
    # after the coordinator cancelled the place (the person gets an e-mail), it works
    with committed():
        services.cancel_registration(registration_id=registration.pk, now=timezone.now())
    assert Registration.objects.get(pk=registration.pk).status == RegistrationStatus.CANCELLED
    coordinator_client.post("/admin/persoonsgegevens/wissen/", {"email": EMAIL, "confirm": "1"})
    assert not Participant.objects.filter(email__iexact=EMAIL).exists()


def test_only_roles_with_the_permission_reach_the_screen(client, role_user, person):
    for role in (roles.COMMUNICATIE, roles.TRAINER, roles.ANALIST):
        verified_login(client, role_user(role))
        response = client.post("/admin/persoonsgegevens/", {"email": EMAIL})
        assert response.status_code == 302 and response["Location"] == "/admin/"
    assert not ModelLogEntry.objects.filter(action__startswith="cter.personal_data").exists()


def test_finding_takes_the_same_queries_for_one_record_or_many(
    person, make_training, make_session, person_factory
):
    def count():
        with CaptureQueriesContext(connection) as ctx:
            selectors.personal_records(email=EMAIL)
        return len(ctx.captured_queries)

    small = count()
    before = timezone.now() - dt.timedelta(days=40)
    for n in range(5):
        session = make_session(make_training(f"Extra {n}"), days=-5)
        services.register(session_id=session.pk, person=person_factory(1, email=EMAIL), now=before)
    assert count() == small


def test_the_person_downloads_their_own_data_from_my_trainings(client, person, committed):
    mail.outbox.clear()
    with committed():
        client.post("/mijn-trainingen/", {"email": EMAIL})
    url = next(word for word in mail.outbox[0].body.split() if "/mijn-trainingen/inloggen/" in word)
    client.post(url)
    overview = client.get("/mijn-trainingen/overzicht/").content.decode()
    assert "/mijn-trainingen/mijn-gegevens.json" in overview
    response = client.get("/mijn-trainingen/mijn-gegevens.json")
    assert response["Cache-Control"] == "private, no-store"
    document = json.loads(response.content)
    assert {item["soort"] for item in document["gegevens"]} >= {"Aanmelding", "Aanvraag"}
    assert "persoon2@example.nl" not in response.content.decode()
    csv_response = client.get("/mijn-trainingen/mijn-gegevens.csv")
    assert "Voornaam;Fatima" in csv_response.content.decode("utf-8-sig")
    assert client.get("/mijn-trainingen/mijn-gegevens.xml").status_code == 404
    assert ModelLogEntry.objects.filter(action="cter.personal_data.self_export").count() == 2
    # without signing in: no data
    assert client.__class__().get("/mijn-trainingen/mijn-gegevens.json").status_code == 302


@pytest.mark.parametrize("value", ["=HYPERLINK(1)", "\t=1+1", "\r@SUM(A1)", "\n-2+3"])
def test_the_personal_data_csv_never_starts_a_cell_with_a_formula(value):
    found = [
        personal_data.Found("Trainingen", [PersonalRecord("Aanmelding", [("Functie", value)])])
    ]
    rows = list(
        csv.reader(
            io.StringIO(personal_data.as_csv(found=found).decode("utf-8-sig")), delimiter=";"
        )
    )
    cell = rows[1][-1]
    assert cell.startswith("'") and value.strip() in cell
