"""The audit trail: sensitive actions in Wagtail's log with who and when, visible and
filterable in the site history report, never with personal data (issue 14)."""

import datetime as dt
import json

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from wagtail.models import ModelLogEntry

from learning import services
from learning.models import Registration
from tests.conftest import verified_login
from website import roles

pytestmark = pytest.mark.django_db

EMAIL = "fatima.elamrani@example.nl"


@pytest.fixture
def setting(make_training, make_session, person_factory, role_user):
    past = make_session(make_training("Radicalisering herkennen"), days=-1, capacity=1)
    before = timezone.now() - dt.timedelta(days=7)
    first = services.register(
        session_id=past.pk,
        person=person_factory(1, first_name="Fatima", last_name="El Amrani", email=EMAIL),
        now=before,
    ).registration
    second = services.register(
        session_id=past.pk, person=person_factory(2, first_name="Jan"), now=before
    ).registration
    coordinator = role_user(roles.COORDINATOR)
    trainer = role_user(roles.TRAINER)
    return past, first, second, coordinator, trainer


def entries(action):
    return list(ModelLogEntry.objects.filter(action=action).select_related("user").order_by("pk"))


def test_coordinator_actions_are_recorded_with_who_and_when(client, setting):
    session, first, second, coordinator, trainer = setting
    verified_login(client, coordinator)
    base = f"/admin/trainingen/sessies/{session.pk}"
    client.get(f"{base}/deelnemers.csv")
    client.post(f"/admin/trainingen/sessies/aanmelding/{first.pk}/status/", {"status": "waiting"})
    client.post(f"/admin/trainingen/sessies/aanmelding/{second.pk}/annuleren/")
    client.post(f"{base}/aanwezigheid/", {"scope": "all", "attendance": "present"})
    client.post(
        f"{base}/aanwezigheid/importeren/",
        {"file": SimpleUploadedFile("a.csv", f"email\n{EMAIL}\n".encode())},
    )
    client.post(f"{base}/trainers/", {"trainers": [trainer.pk]})
    client.post(
        f"/admin/trainingen/organisaties/{first.organisation_id}/gecontroleerd/",
        {"verified": "1"},
    )
    expected = {
        "cter.registrations.export": {"format": "CSV", "count": 2},
        "cter.registration.move": {"from": "Bevestigd", "to": "Wachtlijst"},
        "cter.registration.cancel": {},
        "cter.attendance.mark": {"attendance": "Aanwezig"},
        "cter.attendance.import": {},
        "cter.session.trainers": {"count": 1},
        "cter.organisation.verify": {},
    }
    for action, data in expected.items():
        (entry,) = entries(action)
        assert entry.user == coordinator, action
        assert timezone.now() - entry.timestamp < dt.timedelta(minutes=1)
        for key, value in data.items():
            assert entry.data[key] == value, (action, key)


def test_no_entry_holds_personal_data(client, setting):
    session, first, _second, coordinator, _trainer = setting
    verified_login(client, coordinator)
    client.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.xlsx")
    client.post(f"/admin/trainingen/sessies/aanmelding/{first.pk}/annuleren/")
    client.post("/admin/persoonsgegevens/", {"email": EMAIL})
    client.post("/admin/persoonsgegevens/", {"email": EMAIL, "action": "json"})
    client.post("/admin/persoonsgegevens/wissen/", {"email": EMAIL, "confirm": "1"})
    logged = ModelLogEntry.objects.all()
    assert logged.filter(action__startswith="cter.").count() >= 5
    text = json.dumps([[e.label, e.data] for e in logged], ensure_ascii=False)
    for personal in (EMAIL, "Fatima", "El Amrani", "persoon2@example.nl", "Jan"):
        assert personal not in text, personal


def test_the_site_history_report_shows_and_filters_them_in_dutch(client, setting):
    session, first, _second, coordinator, _trainer = setting
    verified_login(client, coordinator)
    client.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.csv")
    client.post(f"/admin/trainingen/sessies/aanmelding/{first.pk}/status/", {"status": "waiting"})
    report = client.get("/admin/reports/site-history/").content.decode()
    assert "Deelnemerslijst geëxporteerd als CSV (2 aanmeldingen)" in report
    assert "Aanmelding verplaatst van Bevestigd naar Wachtlijst" in report
    assert "Deelnemerslijst exporteren" in report  # the action filter's choice
    filtered = client.get(
        "/admin/reports/site-history/?action=cter.registrations.export"
    ).content.decode()
    assert "Deelnemerslijst geëxporteerd" in filtered
    assert "Aanmelding verplaatst" not in filtered


def test_a_participant_cancelling_through_their_link_is_recorded_without_a_user(setting, client):
    _session, first, _second, _coordinator, _trainer = setting
    services.cancel_registration(registration_id=first.pk, now=timezone.now())
    (entry,) = entries("cter.registration.cancel")
    assert entry.user is None and entry.object_id == str(first.pk)


def test_role_changes_are_recorded_however_they_are_made(client, role_user):
    beheerder = role_user(roles.BEHEERDER)
    colleague = role_user(roles.TRAINER, "a.bakker")
    verified_login(client, beheerder)
    last = ModelLogEntry.objects.order_by("pk").last().pk
    coordinator_group = Group.objects.get(name=roles.COORDINATOR)
    response = client.post(
        f"/admin/users/edit/{colleague.pk}/",
        {
            "username": "a.bakker",
            "email": "a.bakker@example.nl",
            "first_name": "Anna",
            "last_name": "Bakker",
            "is_active": "on",
            "groups": [coordinator_group.pk],
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    made = list(ModelLogEntry.objects.filter(action="cter.roles.change", pk__gt=last))
    assert {"added": "Coördinator", "removed": "-"} in [e.data for e in made]
    assert {"added": "-", "removed": "Trainer"} in [e.data for e in made]
    assert {(e.user, e.object_id) for e in made} == {(beheerder, str(colleague.pk))}
    # in the shell too (no user)
    colleague.groups.add(Group.objects.get(name=roles.ANALIST))
    newest = ModelLogEntry.objects.filter(action="cter.roles.change").order_by("pk").last()
    assert newest.data == {"added": "Analist", "removed": "-"} and newest.user is None


def test_erasure_and_two_factor_resets_are_recorded(client, setting, role_user):
    _session, _first, _second, coordinator, _trainer = setting
    beheerder = role_user(roles.BEHEERDER)
    verified_login(client, beheerder)
    client.post(f"/admin/tweestapsverificatie/medewerkers/{coordinator.pk}/herstellen/")
    (reset,) = entries("cter.two_factor.reset")
    assert reset.user == beheerder and reset.object_id == str(coordinator.pk)
    assert Registration.objects.filter(participant__email=EMAIL).exists()
