import io

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook

from learning import services
from learning.models import Registration, Session

pytestmark = pytest.mark.django_db


def test_sessions_list_filters_and_detail(coordinator, make_training, make_session, person_factory):
    a = make_session(make_training("Alpha"), capacity=1)
    make_session(make_training("Beta"))
    services.register(session_id=a.pk, person=person_factory(1), now=timezone.now())
    html = coordinator.get("/admin/trainingen/sessies/").content.decode()
    assert "Alpha" in html and "Beta" in html
    html = coordinator.get(f"/admin/trainingen/sessies/?training={a.page_id}").content.decode()
    assert "Alpha</a>" in html and "Beta</a>" not in html
    html = coordinator.get(f"/admin/trainingen/sessies/{a.pk}/").content.decode()
    assert "persoon1@example.nl" in html


def test_manual_add_move_and_cancel_session(
    coordinator, make_training, make_session, person_factory, committed
):
    session = make_session(make_training(), capacity=1)
    services.register(session_id=session.pk, person=person_factory(1), now=timezone.now())
    data = {
        "add-first_name": "Kees",
        "add-last_name": "Smit",
        "add-email": "kees@example.nl",
        "add-organisation": "Politie",
        "add-function": "Wijkagent",
        "add-municipality": "other",
        "add-target_group": str(person_factory().target_group_id),
    }
    response = coordinator.post(f"/admin/trainingen/sessies/{session.pk}/", data)
    assert response.status_code == 302
    kees = Registration.objects.get(participant__email="kees@example.nl")
    assert kees.status == "waiting"  # full: capacity respected
    coordinator.post(
        f"/admin/trainingen/sessies/aanmelding/{kees.pk}/status/", {"status": "confirmed"}
    )
    kees.refresh_from_db()
    assert kees.status == "waiting"
    session.capacity = 2
    session.save()
    coordinator.post(
        f"/admin/trainingen/sessies/aanmelding/{kees.pk}/status/", {"status": "confirmed"}
    )
    kees.refresh_from_db()
    assert kees.status == "confirmed"
    with committed():
        coordinator.post(f"/admin/trainingen/sessies/{session.pk}/annuleren/")
    assert Session.objects.get(pk=session.pk).status == "cancelled"
    assert len(mail.outbox) == 2


def test_exports_csv_and_xlsx(coordinator, make_training, make_session, person_factory):
    session = make_session(make_training())
    services.register(
        session_id=session.pk,
        person=person_factory(1, last_name="=HYPERLINK()"),
        now=timezone.now(),
    )
    csv_body = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.csv")
    text = csv_body.content.decode("utf-8-sig")
    assert "persoon1@example.nl" in text and "'=HYPERLINK()" in text
    xlsx = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.values)
    assert rows[0][1] == "Voornaam" and rows[1][3] == "persoon1@example.nl"


def test_non_coordinators_cannot_see_registrations(client, make_training, make_session):
    session = make_session(make_training())
    user = User.objects.create_user("editor", "e@example.nl", "x", is_staff=True)

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.csv").status_code in (
        302,
        403,
    )
    client.logout()
    assert client.get("/admin/trainingen/sessies/").status_code == 302
