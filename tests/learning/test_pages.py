import datetime as dt
import re

import icalendar
import pytest
import vobject
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.models import PageViewRestriction

from learning import selectors, services
from learning.models import (
    AMSTERDAM,
    Format,
    Kind,
    Registration,
    Session,
    TrainingPage,
    TrainingRequest,
)
from website.models import Municipality, Region, TargetGroup

pytestmark = pytest.mark.django_db


def add_trainings(catalogue, count, *, start=0, sessions=4):
    groups = list(TargetGroup.objects.all()[:2])
    region = Region.objects.first()
    base = timezone.localtime(timezone.now(), AMSTERDAM).date()
    for n in range(start, start + count):
        page = TrainingPage(
            title=f"Training {n}",
            slug=f"training-{n}",
            intro="Over signalen.",
            duration_label="2 uur",
            kind=Kind.WEBINAR if n % 3 == 0 else Kind.TRAINING,
        )
        catalogue.add_child(instance=page)
        page.target_groups.set(groups)
        page.tags.set(["radicalisering"])
        page.save()
        for s in range(sessions):
            Session.objects.create(
                page=page,
                date=base + dt.timedelta(days=5 + n + s * 30),
                start_time=dt.time(10),
                end_time=dt.time(12),
                capacity=5,
                region=region,
                location="Haarlem",
            )


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_catalogue_and_training_page_query_count_does_not_grow(client, catalogue):
    urls = ("/trainingen/", "/trainingen/?free=on&level=basic", "/trainingen/training-1/")

    def measure():
        # First request after a change fills the route, site and settings caches (cold);
        # the next one is the steady state every visitor after it gets (warm).
        return [(count_queries(client, url), count_queries(client, url)) for url in urls]

    add_trainings(catalogue, 5)
    for url in urls:  # process-wide caches: content types, filter choices, site root paths
        client.get(url)
    add_trainings(catalogue, 1, start=5)  # a change: the next requests are cold again
    small = measure()
    add_trainings(catalogue, 44, start=6)
    assert measure() == small
    (catalogue_cold, catalogue_warm), _filtered, (page_cold, page_warm) = small
    # Wagtail's routing, view restrictions and the base layout take part (see README).
    assert catalogue_warm <= 12 and page_warm <= 12, small
    assert catalogue_cold <= 15 and page_cold <= 15, small


def test_catalogue_filters_in_url_and_empty_result(client, make_training, make_session):
    webinar = make_training("Webinar dreiging", kind=Kind.WEBINAR, fmt=Format.ONLINE)
    training = make_training("Basis polarisatie")
    make_session(webinar, days=3, online=True)
    make_session(training, days=20, capacity=1)
    html = client.get("/trainingen/").content.decode()
    assert html.index("Webinar dreiging") < html.index("Basis polarisatie")  # soonest first
    assert "Nog 10 plekken" in html and "Nog 1 plek" in html
    html = client.get("/trainingen/?kind=webinar").content.decode()
    assert "Webinar dreiging" in html and "Basis polarisatie" not in html
    assert 'value="webinar" selected' in html
    html = client.get("/trainingen/?format=hybrid").content.decode()
    assert "Geen trainingen of webinars gevonden" in html and "Filters wissen" in html
    assert client.get("/trainingen/?month=garbage&level=<x>").status_code == 200


def test_free_places_filter_hides_full_sessions(
    client, make_training, make_session, person_factory
):
    full = make_training("Volle training")
    session = make_session(full, capacity=1)
    services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    make_session(make_training("Open training"))
    html = client.get("/trainingen/").content.decode()
    assert "Vol, wachtlijst open" in html
    html = client.get("/trainingen/?free=on").content.decode()
    assert "Open training" in html and "Volle training" not in html


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


def test_register_form_errors_in_dutch_input_kept(client, make_training, make_session):
    session = make_session(make_training())
    url = f"/trainingen/aanmelden/{session.pk}/"
    response = client.post(url, valid_form(email="geen-adres", consent=""))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Ga akkoord met de privacyverklaring" in html
    assert "Vul een e-mailadres in zoals naam@voorbeeld.nl." in html
    assert 'value="El Amrani"' in html and 'aria-invalid="true"' in html
    assert Registration.objects.count() == 0
    # each missing field says what is missing
    html = client.post(url, valid_form(first_name="", municipality="")).content.decode()
    assert "Vul uw voornaam in." in html and "Kies de gemeente waar u werkt." in html
    assert "Dit veld is verplicht" not in html


def test_register_other_municipality_and_personal_page(
    client, make_training, make_session, committed
):
    session = make_session(make_training(), online=True)
    with committed():
        response = client.post(
            f"/trainingen/aanmelden/{session.pk}/", valid_form(municipality="outside")
        )
    reg = Registration.objects.get()
    assert response.url == f"/trainingen/aanmelding/{reg.token}/"
    assert reg.municipality is None and reg.municipality_scope == "outside"
    html = client.get(response.url).content.decode()
    assert "Uw plek is bevestigd" in html and "geheim-123" in html
    assert len(mail.outbox) == 1


def test_honeypot_turns_bots_away(client, make_training, make_session):
    session = make_session(make_training())
    client.post(f"/trainingen/aanmelden/{session.pk}/", valid_form(website="spam"))
    assert Registration.objects.count() == 0


def test_closed_session_shows_message_not_form(client, make_training, make_session):
    session = make_session(make_training(), days=-3)
    html = client.get(f"/trainingen/aanmelden/{session.pk}/").content.decode()
    assert "al plaatsgevonden" in html and '<form method="post"' not in html
    response = client.post(f"/trainingen/aanmelden/{session.pk}/", valid_form())
    assert response.status_code == 200 and Registration.objects.count() == 0
    assert client.get("/trainingen/aanmelden/999999/").status_code == 404


def test_waiting_person_has_no_join_link_and_unknown_token_404(
    client, make_training, make_session, person_factory
):
    session = make_session(make_training(), capacity=1, online=True)
    now = timezone.now()
    services.register(session_id=session.pk, person=person_factory(1), now=now)
    waiting = services.register(session_id=session.pk, person=person_factory(2), now=now)
    html = client.get(f"/trainingen/aanmelding/{waiting.registration.token}/").content.decode()
    assert "wachtlijst" in html and "geheim-123" not in html
    assert client.get("/trainingen/aanmelding/raden/").status_code == 404


def test_feeds_parse_with_two_parsers(client, make_training, make_session):
    page = make_training()
    group = TargetGroup.objects.first()
    page.target_groups.set([group])
    page.save()
    make_session(page, online=True)
    make_session(make_training("Andere training"))
    for url, events in [("/trainingen/agenda.ics", 2), (f"/trainingen/agenda/{group.slug}.ics", 1)]:
        response = client.get(url)
        assert response["Content-Type"].startswith("text/calendar")
        cal = icalendar.Calendar.from_ical(response.content)
        assert len(cal.walk("VEVENT")) == events
        assert "geheim-123" not in response.content.decode()  # join links stay private
        parsed = vobject.readOne(response.content.decode())
        assert len(parsed.contents["vevent"]) == events
    html = client.get("/trainingen/").content.decode()
    assert 'type="text/calendar"' in html and "webcal://" in html
    assert f"/trainingen/agenda/{group.slug}.ics" in html


def test_multi_daypart_session_gives_one_event_per_daypart(
    make_training, person_factory, committed
):
    page = make_training()
    day = timezone.localtime(timezone.now()).date() + dt.timedelta(days=10)
    session = Session.objects.create(
        page=page,
        date=day,
        start_time=dt.time(9),
        end_time=dt.time(12),
        more_dayparts=[
            (
                "daypart",
                {
                    "date": day + dt.timedelta(days=7),
                    "start_time": dt.time(9),
                    "end_time": dt.time(12),
                },
            )
        ],
        capacity=5,
    )
    assert session.ends_at.astimezone(AMSTERDAM).date() == day + dt.timedelta(days=7)
    with committed():
        services.register(session_id=session.pk, person=person_factory(), now=timezone.now())
    cal = icalendar.Calendar.from_ical(mail.outbox[0].attachments[0][1])
    uids = [str(e["UID"]) for e in cal.walk("VEVENT")]
    assert len(uids) == 2 and len(set(uids)) == 2


def test_cards_contract(make_training, make_session, catalogue):
    group = TargetGroup.objects.first()
    page = make_training("Kaarttraining")
    page.target_groups.set([group])
    page.tags.set(["polarisatie"])
    page.save_revision().publish()
    make_session(page, days=30)
    make_training("Zonder sessie", kind=Kind.WEBINAR)
    found = selectors.cards()
    assert [c.title for c in found] == ["Kaarttraining", "Zonder sessie"]
    first, second = found
    assert first.upcoming and first.kind == "training" and first.kind_label == "Training"
    assert first.date_label.startswith("Volgende sessie: ") and first.badge == "Nog 10 plekken"
    assert not second.upcoming and second.date == second_page_date(second)
    assert [c.title for c in selectors.cards(target_group=group)] == ["Kaarttraining"]
    assert [c.title for c in selectors.cards(theme="polarisatie")] == ["Kaarttraining"]
    assert [c.title for c in selectors.cards(kinds=["webinar"])] == ["Zonder sessie"]
    assert selectors.cards(kinds=["episode"]) == []
    counts = selectors.registration_counts([first.page_id, second.page_id])
    assert counts == {}


def second_page_date(card):
    return TrainingPage.objects.get(pk=card.page_id).first_published_at


def test_request_forms_store_and_notify(client, catalogue, committed):
    with committed():
        response = client.post(
            "/trainingen/aanvragen/pressure-cooker/",
            {
                "scope": "municipality",
                "municipality": str(Municipality.objects.first().pk),
                "contact_name": "Wethouder",
                "contact_email": "college@example.nl",
                "wanted": "Onrust na een incident",
                "preferred_period": "voorjaar",
            },
        )
    assert response.status_code == 302

    req = TrainingRequest.objects.get()
    assert req.kind == "pressure_cooker" and req.status == "new"
    assert mail.outbox[0].to == ["coordinatie@samenveilig-nh.example.nl"]
    response = client.post("/trainingen/aanvragen/in-company/", {"contact_email": "x"})
    html = response.content.decode()
    assert response.status_code == 200 and "utrecht-form-field-error-message" in html
    assert "Vul \u2018Contactpersoon\u2019 in." in html  # the message names the field
    assert "privacyverklaring" in html  # and the form says how the details are used
    assert TrainingRequest.objects.count() == 1


def test_private_trainings_are_not_listed(client, make_training, make_session):
    secret = make_training("Besloten training")
    make_session(secret)
    make_session(make_training("Open training"))
    PageViewRestriction.objects.create(page=secret, restriction_type="login")
    html = client.get("/trainingen/").content.decode()
    assert "Open training" in html and "Besloten training" not in html
    assert [c.title for c in selectors.cards()] == ["Open training"]


def test_the_catalogue_shows_twenty_trainings_a_page_with_a_plain_next_link(client, catalogue):
    add_trainings(catalogue, 25, sessions=1)
    first = client.get("/trainingen/?free=on").content.decode()
    assert first.count('class="cter-learning-item"') == 20
    assert 'rel="next"' in first and "free=on&amp;pagina=2" in first
    second = client.get("/trainingen/?free=on&pagina=2").content.decode()
    on_first, on_second = (
        set(re.findall(r">Training (\d+)</a>", html)) for html in (first, second)
    )
    assert len(on_second) >= 5 and not on_first & on_second


def test_the_catalogue_sorts_and_filters_sessions_in_the_database(
    make_training, make_session, person_factory
):
    """Soonest listed session first, trainings without one last; a session filter (free
    places, month, region) leaves out trainings without a matching session and sorts on
    the first session that matches."""
    now = timezone.now()
    soon = make_training("Binnenkort")
    make_session(soon, days=3)
    later = make_training("Later")
    make_session(later, days=40)
    closed_first = make_training("Eerst gesloten")
    make_session(closed_first, days=10, deadline=now - dt.timedelta(hours=1))
    make_session(closed_first, days=50)
    full = make_training("Vol")
    session = make_session(full, days=20, capacity=1)
    services.register(session_id=session.pk, person=person_factory(), now=now)
    make_training("Zonder sessie")
    past = make_training("Voorbij")
    make_session(past, days=-5)

    def titles(**filters):
        entries = selectors.catalogue(filters=filters)
        return [entry.page.title for entry in entries[0 : len(entries)]]

    everything = titles()
    assert everything[:4] == ["Binnenkort", "Eerst gesloten", "Vol", "Later"]
    assert set(everything[4:]) == {"Zonder sessie", "Voorbij"}
    assert titles(free=True) == ["Binnenkort", "Later", "Eerst gesloten"]
    in_fifty = timezone.localtime(now + dt.timedelta(days=50), AMSTERDAM)
    in_three = timezone.localtime(now + dt.timedelta(days=3), AMSTERDAM)
    month = titles(month=(in_fifty.year, in_fifty.month))
    assert "Eerst gesloten" in month and "Zonder sessie" not in month and "Voorbij" not in month
    if (in_three.year, in_three.month) != (in_fifty.year, in_fifty.month):
        assert "Binnenkort" not in month
    region = Region.objects.first()
    Session.objects.filter(page=later).update(region=region)
    assert titles(region=region.slug) == ["Later"]
    entry = selectors.catalogue(filters={"free": True})[2]
    assert entry.page.title == "Eerst gesloten"
    assert [s.is_open for s in entry.sessions] == [True]  # the closed session is not listed


def test_the_catalogue_builds_entries_only_for_the_page_it_shows(client, catalogue, monkeypatch):
    add_trainings(catalogue, 25, sessions=2)
    decorated = []
    original = selectors.decorate_session

    def spy(session, now):
        decorated.append(session.pk)
        return original(session, now)

    monkeypatch.setattr(selectors, "decorate_session", spy)
    html = client.get("/trainingen/").content.decode()
    assert "25 resultaten" in html
    assert 0 < len(decorated) <= 20 * 2


def test_a_registration_post_reads_only_what_it_decides_on(client, make_training, make_session):
    """The form's choices come from the cached reference data and the session's counts
    are left to the locked decision: a registration POST runs 18 statements (BEGIN,
    savepoints and COMMIT included), none of them on target groups or municipalities."""
    session = make_session(make_training(), capacity=5)
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.get(url)
    client.post(url, valid_form(email="eerste@example.nl"))
    data = valid_form(email="tweede@example.nl")
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, data)
    assert response.status_code == 302
    sql = " ".join(q["sql"] for q in ctx.captured_queries)
    assert "website_targetgroup" not in sql and "website_municipality" not in sql
    assert len(ctx.captured_queries) <= 18, [q["sql"][:80] for q in ctx.captured_queries]
    assert Registration.objects.filter(session=session).count() == 2


def test_a_forged_target_group_gets_a_message_next_to_the_field(
    client, make_training, make_session
):
    session = make_session(make_training(), capacity=5)
    url = f"/trainingen/aanmelden/{session.pk}/"
    for forged in ("999999", "-1", "1" * 400, "abc", "1\x00"):
        response = client.post(url, valid_form(target_group=forged))
        html = response.content.decode()
        assert response.status_code == 200, forged
        assert "Kies uw doelgroep." in html and 'value="El Amrani"' in html
        assert "Nog 5 plekken" in html  # places left are shown with the form again
    assert Registration.objects.count() == 0
