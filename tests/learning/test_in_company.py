"""In-company sessions from requests: a training not listed publicly, reachable only
through a private registration link (issue 13 item 5)."""

import datetime as dt
import logging

import pytest
from django.contrib.auth.models import Permission, User
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import Page

from learning import selectors, services
from learning.models import (
    AMSTERDAM,
    Level,
    PrivateLink,
    Registration,
    RequestKind,
    RequestScope,
    RequestStatus,
    Session,
    TrainingPage,
    TrainingRequest,
)
from website import hooks as cter
from website.logging import redact
from website.models import Municipality, Region, TargetGroup
from website.search import search_pages

pytestmark = pytest.mark.django_db


def _request(**kw):
    values = {
        "kind": RequestKind.IN_COMPANY,
        "organisation": "GGD Kennemerland",
        "contact_name": "Fatima Bakker",
        "contact_email": "f.bakker@example.nl",
        "wanted": "Radicalisering herkennen",
        "preferred_period": "najaar",
        "group_size": 12,
    }
    values.update(kw)
    return TrainingRequest.objects.create(**values)


def _plan(days=20, **kw):
    start = timezone.localtime(timezone.now(), AMSTERDAM) + dt.timedelta(days=days)
    values = {
        "date": start.date(),
        "start_time": dt.time(13, 0),
        "end_time": dt.time(16, 0),
        "capacity": 2,
        "location": "Zijlweg 245, Haarlem",
    }
    values.update(kw)
    return services.SessionPlan(**values)


@pytest.fixture
def scheduled(make_training, make_session, committed):
    listed = make_training("Radicalisering herkennen", level=Level.BASIC)
    make_session(listed)
    request = _request()
    with committed():  # the contact person's e-mail goes after the commit
        return services.schedule_request(
            request_id=request.pk, training_id=listed.pk, plan=_plan(), now=timezone.now()
        )


def _form(**overrides):
    data = {
        "first_name": "Sanne",
        "last_name": "de Vries",
        "email": "sanne@example.nl",
        "organisation": "GGD Kennemerland",
        "function": "Jeugdarts",
        "municipality": str(Municipality.objects.get(name="Haarlem").pk),
        "target_group": str(TargetGroup.objects.first().pk),
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_a_request_becomes_a_session_of_an_unlisted_copy_with_a_private_link(scheduled):
    session, request = scheduled.session, scheduled.request
    page = session.page
    listed = TrainingPage.objects.get(title="Radicalisering herkennen")
    assert page.pk != listed.pk and page.unlisted and page.live
    assert page.level == listed.level and page.get_parent().pk == listed.get_parent().pk
    assert "GGD Kennemerland" in page.title
    assert list(page.sessions.all()) == [session]  # the catalogue's sessions were not copied
    assert request.status == RequestStatus.SCHEDULED and request.session == session
    assert PrivateLink.objects.get(session=session).token in scheduled.url
    assert len(scheduled.link.token) >= 40
    # The published revision has the session: publishing the page again keeps it.
    TrainingPage.objects.get(pk=page.pk).get_latest_revision().publish()
    assert Session.objects.filter(pk=session.pk).exists()
    # The contact person gets the link to share.
    sent = [m for m in mail.outbox if m.to == ["f.bakker@example.nl"]]
    assert len(sent) == 1 and scheduled.url in sent[0].body
    assert "Deel deze link" in sent[0].body


def test_the_unlisted_training_is_nowhere_public(client, scheduled):
    page, session = scheduled.session.page, scheduled.session
    assert "GGD Kennemerland" not in client.get("/trainingen/").content.decode()
    assert page.pk not in [c.page_id for c in selectors.cards()]
    assert client.get(page.url).status_code == 404
    assert client.get(f"/trainingen/aanmelden/{session.pk}/").status_code == 404
    assert client.get(f"/trainingen/sessie/{session.pk}.ics").status_code == 404
    assert f"session-{session.pk}-" not in client.get("/trainingen/agenda.ics").content.decode()
    sitemap = client.get("/sitemap.xml").content.decode()
    assert page.url not in sitemap and "radicalisering-herkennen" in sitemap
    found = search_pages("Radicalisering")
    assert found is not None
    ids = [p.pk for p in found.object_list]
    assert TrainingPage.objects.get(title="Radicalisering herkennen").pk in ids
    assert page.pk not in ids
    assert cter.exclude_unlisted(Page.objects.filter(pk=page.pk)).count() == 0


def test_people_register_through_the_private_link_as_for_any_session(client, scheduled, committed):
    url = f"/trainingen/besloten/{scheduled.link.token}/"
    response = client.get(url)
    html = response.content.decode()
    assert response.status_code == 200 and "GGD Kennemerland" in html
    assert response["X-Robots-Tag"] == "noindex"
    assert "Terug naar de training" not in html
    for n in range(3):
        with committed():
            response = client.post(url, _form(email=f"collega{n}@example.nl"))
        assert response.status_code == 302
    statuses = list(
        Registration.objects.filter(session=scheduled.session)
        .order_by("pk")
        .values_list("status", flat=True)
    )
    assert statuses == ["confirmed", "confirmed", "waiting"]  # capacity 2
    confirmation = next(m for m in mail.outbox if m.to == ["collega0@example.nl"])
    assert confirmation.attachments and "BEGIN:VCALENDAR" in str(confirmation.attachments[0][1])
    personal = client.get(response.url).content.decode()
    assert "Terug naar de training" not in personal
    # Same form, same Dutch errors.
    html = client.post(url, _form(first_name="")).content.decode()
    assert "Vul uw voornaam in." in html
    assert client.get("/trainingen/besloten/onbekend/").status_code == 404


def test_in_company_sessions_count_towards_targets_and_reach(scheduled):
    session = scheduled.session
    services.register(
        session_id=session.pk,
        person=services.Person(
            first_name="A",
            last_name="B",
            email="a@example.nl",
            function="x",
            organisation="GGD Kennemerland",
            target_group_id=TargetGroup.objects.first().pk,
        ),
        now=timezone.now(),
    )
    year = session.starts_at.astimezone(AMSTERDAM).year
    counts = [
        (c.line, c.status, c.count)
        for c in selectors.activity_counts(year=year, now=timezone.now())
        if c.line == "basic_training"
    ]
    planned = sum(n for _line, status, n in counts if status == "planned")
    assert planned == 2  # the catalogue's session and the in-company one
    figures = {f.page_id: f.value for f in selectors.reach_figures(page_ids=[session.page_id])}
    assert figures == {session.page_id: 1}


def test_in_company_sessions_get_reminders_and_attendance_like_any_session(scheduled, committed):
    session = scheduled.session
    person = services.Person(
        first_name="A",
        last_name="B",
        email="a@example.nl",
        function="x",
        organisation="GGD Kennemerland",
        target_group_id=TargetGroup.objects.first().pk,
    )
    with committed():
        services.register(session_id=session.pk, person=person, now=timezone.now())
    mail.outbox.clear()
    day_before = session.starts_at - dt.timedelta(days=1)
    with committed():
        assert services.send_due_reminders(now=day_before) == 1
    assert [m.to for m in mail.outbox] == [["a@example.nl"]]
    assert mail.outbox[0].attachments  # the .ics

    after = session.ends_at + dt.timedelta(hours=1)
    assert services.mark_attendance(session_id=session.pk, attendance="present", now=after) == 1
    year = session.starts_at.astimezone(AMSTERDAM).year
    delivered = [
        c.count
        for c in selectors.activity_counts(year=year, now=after)
        if (c.line, c.status) == ("basic_training", "delivered")
    ]
    assert delivered == [1]


def test_a_second_session_goes_to_the_same_unlisted_training(scheduled):
    page = scheduled.session.page
    again = services.schedule_request(
        request_id=scheduled.request.pk,
        training_id=page.pk,
        plan=_plan(days=30),
        now=timezone.now(),
        email_contact=False,
    )
    assert again.session.page_id == page.pk
    assert TrainingPage.objects.filter(unlisted=True).count() == 1
    assert again.link.token != scheduled.link.token
    # Not while the unlisted training has a draft: publishing that would drop the session.
    page = TrainingPage.objects.get(pk=page.pk)
    page.title = "Concept"
    page.save_revision()
    with pytest.raises(services.RequestError):
        services.schedule_request(
            request_id=scheduled.request.pk,
            training_id=page.pk,
            plan=_plan(days=40),
            now=timezone.now(),
        )


def test_planning_refusals(make_training):
    listed = make_training()
    request = _request()
    now = timezone.now()
    with pytest.raises(services.RequestError, match="eindigen na"):
        services.schedule_request(
            request_id=request.pk,
            training_id=listed.pk,
            plan=_plan(start_time=dt.time(16, 0), end_time=dt.time(9, 0)),
            now=now,
        )
    with pytest.raises(services.RequestError, match="toekomst"):
        services.schedule_request(
            request_id=request.pk, training_id=listed.pk, plan=_plan(days=-3), now=now
        )
    TrainingRequest.objects.filter(pk=request.pk).update(status=RequestStatus.DECLINED)
    with pytest.raises(services.RequestError):
        services.schedule_request(
            request_id=request.pk, training_id=listed.pk, plan=_plan(), now=now
        )
    assert Session.objects.count() == 0


def test_private_link_tokens_never_reach_the_log(scheduled):
    line = f"Not Found: /trainingen/besloten/{scheduled.link.token}/"
    assert scheduled.link.token not in redact(line)
    record = logging.LogRecord("django.request", logging.WARNING, "", 0, line, (), None)
    assert scheduled.link.token not in redact(record.getMessage())


# ----- the coordinator's screens (coordinator_user: tests/conftest.py, a non-superuser) ------


def test_a_coordinator_plans_a_session_from_the_requests_screen(
    client, coordinator_user, make_training
):
    listed = make_training("Polarisatie in de wijk")
    request = _request(wanted="Polarisatie in de wijk", group_size=15)
    client.force_login(coordinator_user)
    listing = client.get("/admin/snippets/learning/trainingrequest/").content.decode()
    assert f"/admin/trainingen/aanvragen/{request.pk}/sessie/" in listing
    url = f"/admin/trainingen/aanvragen/{request.pk}/sessie/"
    form = client.get(url)
    html = form.content.decode()
    assert form.status_code == 200 and "Sessie plannen" in html
    assert 'value="15"' in html  # the group size as capacity
    day = (timezone.localdate() + dt.timedelta(days=14)).isoformat()
    bad = client.post(url, {"training": listed.pk, "date": day, "start_time": "10:00"})
    assert bad.status_code == 400 and "Vul de eindtijd in." in bad.content.decode()
    response = client.post(
        url,
        {
            "training": listed.pk,
            "date": day,
            "start_time": "10:00",
            "end_time": "12:00",
            "capacity": "15",
            "location": "Stationsplein 1, Haarlem",
            "email_contact": "on",
        },
    )
    session = Session.objects.get(page__unlisted=True)
    assert response.status_code == 302 and response.url.endswith(f"/sessies/{session.pk}/")
    detail = client.get(response.url).content.decode()
    assert "Besloten aanmeldlink" in detail and session.private_link.token in detail
    listing = client.get("/admin/snippets/learning/trainingrequest/").content.decode()
    assert f"/admin/trainingen/sessies/{session.pk}/" in listing


def test_other_staff_cannot_plan_sessions(client, make_training):
    request = _request()
    user = User.objects.create_user("editor", "e@example.nl", "x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    url = f"/admin/trainingen/aanvragen/{request.pk}/sessie/"
    assert client.get(url).status_code in (302, 403)
    assert client.post(url, {"training": make_training().pk}).status_code in (302, 403)
    assert Session.objects.count() == 0


def test_a_session_of_an_unlisted_training_made_in_the_editor_gets_a_link_on_request(
    client, coordinator_user, make_training, make_session
):
    unlisted = make_training("Maatwerk", unlisted=True)
    session = make_session(unlisted)
    client.force_login(coordinator_user)
    html = client.get(f"/admin/trainingen/sessies/{session.pk}/").content.decode()
    assert "Besloten aanmeldlink maken" in html
    client.post(f"/admin/trainingen/sessies/{session.pk}/besloten-link/")
    link = PrivateLink.objects.get(session=session)
    assert link.token in client.get(f"/admin/trainingen/sessies/{session.pk}/").content.decode()


# ----- the pressure-cooker request: unit, district or municipality ----------------------------


def _cooker(**overrides):
    data = {
        "contact_name": "Wethouder",
        "contact_email": "college@example.nl",
        "wanted": "Onrust na een incident",
        "preferred_period": "voorjaar",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("scope", "field"),
    [("unit", None), ("region", "region"), ("municipality", "municipality")],
)
def test_a_pressure_cooker_is_for_the_unit_a_district_or_a_municipality(
    client, catalogue, scope, field
):
    region = Region.objects.get(name="Zaanstreek-Waterland")
    place = Municipality.objects.get(name="Zaanstad")
    url = "/trainingen/aanvragen/pressure-cooker/"
    # Both chosen: only what the scope asks for is kept.
    response = client.post(
        url, _cooker(scope=scope, region=str(region.pk), municipality=str(place.pk))
    )
    assert response.status_code == 302
    req = TrainingRequest.objects.get()
    assert req.scope == scope
    assert req.region == (region if field == "region" else None)
    assert req.municipality == (place if field == "municipality" else None)
    assert (
        req.requested_for
        == {
            "unit": "de hele eenheid",
            "region": "Zaanstreek-Waterland",
            "municipality": "Zaanstad",
        }[scope]
    )


def test_the_pressure_cooker_form_asks_for_what_the_scope_needs(client, catalogue):
    url = "/trainingen/aanvragen/pressure-cooker/"
    form = client.get(url).content.decode()
    assert "De hele eenheid (alle gemeenten)" in form and "Een district (regio)" in form
    assert "<legend" in form  # the choice is a fieldset with a legend
    html = client.post(url, _cooker(scope="region")).content.decode()
    assert "Kies het district waarvoor de pressure cooker is." in html
    assert 'value="Onrust na een incident"' in html  # input kept
    html = client.post(url, _cooker(scope="municipality")).content.decode()
    assert "Kies de gemeente waarvoor de pressure cooker is." in html
    html = client.post(url, _cooker(scope="everything")).content.decode()
    assert "Kies waarvoor de pressure cooker is." in html
    html = client.post(url, _cooker(scope="region", region="99999999999")).content.decode()
    assert "Kies een van de districten." in html
    assert TrainingRequest.objects.count() == 0


def test_earlier_requests_read_well(catalogue):
    req = _request(kind=RequestKind.PRESSURE_COOKER, organisation="")
    req.scope = RequestScope.MUNICIPALITY
    req.municipality = Municipality.objects.get(name="Texel")
    assert str(req).endswith(": Texel")


def test_the_private_registration_page_costs_what_the_public_one_costs(
    client, scheduled, make_session
):
    listed = TrainingPage.objects.get(title="Radicalisering herkennen")
    public = f"/trainingen/aanmelden/{listed.sessions.first().pk}/"
    private = f"/trainingen/besloten/{scheduled.link.token}/"

    def count(url):
        client.get(url)  # warm
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    assert count(private) == count(public)
