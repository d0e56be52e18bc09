"""Issue 18 items 1-3 on the coordinator screens (Wagtail report views, issue 12 item 5):
exports a coordinator can hand on, the session screens, and the warning before a changed
session with registrants is published."""

import csv
import datetime as dt
import io
import re

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import GroupPagePermission, Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from learning import services
from learning.models import Kind, Level, Registration, Session
from tests.learning.aftercare_helpers import after

pytestmark = pytest.mark.django_db


def _register(session, person_factory, n, *, now):
    return services.register(session_id=session.pk, person=person_factory(n), now=now).registration


def _over_capacity(make_training, make_session, person_factory):
    session = make_session(make_training("Basistraining radicalisering"), capacity=2)
    now = timezone.now()
    regs = [_register(session, person_factory, n, now=now) for n in range(1, 5)]
    services.mark_attendance(
        session_id=session.pk,
        attendance="present",
        registration_ids=[regs[0].pk],
        now=after(session),
    )
    return session, regs


def test_participants_xlsx_has_local_date_cells_attendance_position_and_dutch_status(
    coordinator, make_training, make_session, person_factory
):
    session, regs = _over_capacity(make_training, make_session, person_factory)
    winter = dt.datetime(2026, 1, 15, 13, 5, tzinfo=dt.UTC)
    Registration.objects.filter(pk=regs[0].pk).update(created_at=winter)
    response = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/deelnemers.xlsx")
    assert response.status_code == 200
    start = timezone.localtime(session.starts_at).date().isoformat()
    disposition = response["Content-Disposition"]
    assert f"deelnemers-basistraining-radicalisering-{start}.xlsx" in disposition
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[0] == "Status" and header[-3:] == [
        "Aangemeld op",
        "Positie op de wachtlijst",
        "Aanwezigheid",
    ]
    by_mail = {r[header.index("E-mailadres")].value: r for r in rows[1:]}
    first = by_mail["persoon1@example.nl"]
    cell = first[header.index("Aangemeld op")]
    assert cell.is_date and cell.value == dt.datetime(2026, 1, 15, 14, 5)  # Amsterdam, not UTC

    def summary(row):
        return [row[0].value, row[-2].value, row[-1].value]

    assert summary(first) == ["Bevestigd", None, "Aanwezig"]
    assert summary(by_mail["persoon3@example.nl"]) == ["Wachtlijst", 1, None]
    assert summary(by_mail["persoon4@example.nl"]) == ["Wachtlijst", 2, None]
    assert summary(by_mail["persoon2@example.nl"]) == ["Bevestigd", None, "Onbekend"]


def test_participants_csv_is_semicolon_separated_in_local_time(
    coordinator, make_training, make_session, person_factory
):
    session, regs = _over_capacity(make_training, make_session, person_factory)
    summer = dt.datetime(2026, 7, 1, 8, 0, tzinfo=dt.UTC)
    Registration.objects.filter(pk=regs[0].pk).update(created_at=summer)
    response = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/?export=csv")
    assert "deelnemers-basistraining-radicalisering-" in response["Content-Disposition"]
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert rows[0][0] == "Status" and rows[0][-3] == "Aangemeld op"
    first = next(r for r in rows if "persoon1@example.nl" in r)
    assert first[-3] == "01-07-2026 10:00"  # summer time: UTC+2
    assert [first[0], *first[-2:]] == ["Bevestigd", "", "Aanwezig"]


def test_export_follows_the_status_filter(coordinator, make_training, make_session, person_factory):
    session, _regs = _over_capacity(make_training, make_session, person_factory)
    response = coordinator.get(
        f"/admin/trainingen/sessies/{session.pk}/?status=waiting&export=xlsx"
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert [r[0] for r in sheet.iter_rows(min_row=2, values_only=True)] == ["Wachtlijst"] * 2


def test_sessions_list_shows_kind_and_level_and_filters_on_them(
    coordinator, make_training, make_session
):
    make_session(make_training("Webinar online", kind=Kind.WEBINAR, level=Level.BASIC))
    make_session(make_training("Verdieping", kind=Kind.TRAINING, level=Level.IN_DEPTH))
    html = coordinator.get("/admin/trainingen/sessies/").content.decode()
    assert "<td>Webinar</td>" in html and "<td>Verdieping</td>" in html
    assert "<th" in html and "Soort" in html and "Niveau" in html
    html = coordinator.get("/admin/trainingen/sessies/?kind=webinar").content.decode()
    assert "Webinar online</a>" in html and "Verdieping</a>" not in html
    html = coordinator.get(f"/admin/trainingen/sessies/?level={Level.IN_DEPTH}").content.decode()
    assert "Verdieping</a>" in html and "Webinar online</a>" not in html


def test_sessions_list_shows_its_default_period_and_can_show_older_sessions(
    coordinator, make_training, make_session
):
    make_session(make_training("Lang geleden"), days=-90)
    make_session(make_training("Binnenkort"), days=5)
    html = coordinator.get("/admin/trainingen/sessies/").content.decode()
    default = (timezone.localdate() - dt.timedelta(days=30)).isoformat()
    assert re.search(
        rf'name="start"[^>]*value="{default}"|value="{default}"[^>]*name="start"', html
    )
    assert "Binnenkort</a>" in html and "Lang geleden</a>" not in html
    html = coordinator.get("/admin/trainingen/sessies/?start=").content.decode()
    assert "Lang geleden</a>" in html and "Binnenkort</a>" in html


def test_sessions_list_exports_with_date_cells(coordinator, make_training, make_session):
    session = make_session(make_training("Basistraining"), days=5)
    response = coordinator.get("/admin/trainingen/sessies/?export=xlsx")
    assert re.search(
        r"sessies-\d{4}-\d\d-\d\d-\d{4}-\d\d-\d\d\.xlsx", response["Content-Disposition"]
    )
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    assert header[:4] == ["Training", "Soort", "Niveau", "Begin"]
    start = rows[1][3]
    assert start.is_date
    assert start.value == timezone.make_naive(timezone.localtime(session.starts_at))


def test_session_links_to_its_training_editor_and_back(
    coordinator, coordinator_user, make_training, make_session
):
    session = make_session(make_training("Basistraining"))
    html = coordinator.get(f"/admin/trainingen/sessies/{session.pk}/").content.decode()
    assert f'href="/admin/pages/{session.page_id}/edit/"' in html
    GroupPagePermission.objects.create(  # the coordinator may edit this training
        group=coordinator_user.groups.get(),
        page=Page.objects.get(pk=session.page_id),
        permission_type="change",
    )
    editor = coordinator.get(f"/admin/pages/{session.page_id}/edit/").content.decode()
    link = f"/admin/trainingen/sessies/?training={session.page_id}&amp;start="
    assert link in editor
    listing = coordinator.get(f"/admin/trainingen/sessies/?training={session.page_id}&start=")
    assert f"/admin/trainingen/sessies/{session.pk}/" in listing.content.decode()


# ----- item 3: a changed session with registrants ----------------------------------------------


def _edit_data(page, session, **changes):
    values = {
        "id": str(session.pk),
        "date": session.date.isoformat(),
        "start_time": session.start_time.strftime("%H:%M"),
        "end_time": session.end_time.strftime("%H:%M"),
        "more_dayparts": streamfield([]),
        "online": "",
        "join_url": "",
        "location": session.location,
        "capacity": str(session.capacity),
        "deadline": "",
        "region": "",
        "status": "planned",
        **changes,
    }
    extra = values.pop("notify_changed_sessions", "")
    return nested_form_data(
        {
            "title": page.title,
            "slug": page.slug,
            "intro": page.intro or "Intro",
            "objectives": rich_text("<p>Doelen</p>"),
            "level": page.level,
            "kind": page.kind,
            "format": page.format,
            "duration_label": page.duration_label or "1 dagdeel",
            "dayparts": "1",
            "target_groups": [],
            "tags": "",
            "trainers": "",
            "price": "Gratis",
            "practical_info": rich_text(""),
            "sessions": inline_formset([values], initial=1),
            "notify_changed_sessions": extra,
            "action-publish": "publish",
        }
    )


@pytest.fixture
def editor_client(client, db):
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    return client


def test_publishing_a_moved_session_with_registrants_asks_first_then_sends_the_update(
    editor_client, make_training, make_session, person_factory, committed
):
    page = make_training("Basistraining")
    session = make_session(page)
    _register(session, person_factory, 1, now=timezone.now())
    url = f"/admin/pages/{page.pk}/edit/"
    later = (session.date + dt.timedelta(days=7)).isoformat()
    mail.outbox.clear()
    with committed():
        response = editor_client.post(url, _edit_data(page, session, date=later))
    assert response.status_code == 200  # not saved: the editor has to choose
    html = response.content.decode()
    assert "Kies of zij de bijgewerkte uitnodiging krijgen" in html
    assert "(1 aanmelding)" in html
    assert Session.objects.get(pk=session.pk).date == session.date
    assert not mail.outbox

    with committed():
        response = editor_client.post(
            url, _edit_data(page, session, date=later, notify_changed_sessions="send")
        )
    assert response.status_code == 302
    moved = Session.objects.get(pk=session.pk)
    assert moved.date.isoformat() == later and moved.sequence == session.sequence + 1
    assert len(mail.outbox) == 1
    ics = next(a for a in mail.outbox[0].attachments if a[0].endswith(".ics"))
    assert f"SEQUENCE:{moved.sequence}" in ics[1]


def test_a_moved_session_can_be_published_without_a_message(
    editor_client, make_training, make_session, person_factory, committed
):
    page = make_training("Basistraining")
    session = make_session(page)
    _register(session, person_factory, 1, now=timezone.now())
    mail.outbox.clear()
    with committed():
        response = editor_client.post(
            f"/admin/pages/{page.pk}/edit/",
            _edit_data(page, session, start_time="10:00", notify_changed_sessions="skip"),
        )
    assert response.status_code == 302
    assert Session.objects.get(pk=session.pk).start_time == dt.time(10, 0)
    assert not mail.outbox


def test_other_changes_or_sessions_without_registrants_publish_without_asking(
    editor_client, make_training, make_session, person_factory
):
    page = make_training("Basistraining")
    session = make_session(page)
    url = f"/admin/pages/{page.pk}/edit/"
    later = (session.date + dt.timedelta(days=7)).isoformat()
    assert editor_client.post(url, _edit_data(page, session, date=later)).status_code == 302
    session.refresh_from_db()
    _register(session, person_factory, 1, now=timezone.now())
    assert editor_client.post(url, _edit_data(page, session, capacity="30")).status_code == 302
