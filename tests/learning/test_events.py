"""Network events and connection tracks (issue 15 items 1 and 2): the page type on
learning's sessions, workshop rounds with their own capacity, whole-track registration,
the listing at /bijeenkomsten/, the hooks (cards, reach, activity) and hostile input."""

import datetime as dt
import io

import icalendar
import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from learning import selectors, services
from learning.factories import (
    EventIndexPageFactory,
    NetworkEventPageFactory,
    RegistrationFactory,
    SessionFactory,
    WorkshopFactory,
)
from learning.models import (
    AMSTERDAM,
    Attendance,
    EventType,
    Kind,
    Level,
    Registration,
    RegistrationStatus,
    WorkshopChoice,
)
from website.cards import collect_cards
from website.hooks import activities, card_kinds, reach_totals
from website.models import Region, TargetGroup

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(site_home):
    return EventIndexPageFactory(parent=site_home)


def form_data(n=0, **extra):
    return {
        "first_name": "Noor",
        "last_name": "Visser",
        "email": f"noor{n}@example.nl",
        "organisation": "GGD Hollands Noorden",
        "function": "Sociaal psychiatrisch verpleegkundige",
        "municipality": "other",
        "target_group": str(TargetGroup.objects.first().pk),
        "consent": "on",
        **extra,
    }


def event_with_rounds(events, *, capacity=2, title="Themadag mei"):
    page = NetworkEventPageFactory(parent=events, title=title)
    session = SessionFactory(page=page, capacity=50)
    one = [WorkshopFactory(page=page, round=1, title=f"R1-{i}", capacity=capacity) for i in (1, 2)]
    two = [WorkshopFactory(page=page, round=2, title=f"R2-{i}", capacity=capacity) for i in (1, 2)]
    return page, session, one, two


# ----- counting: never a training ---------------------------------------------------------


def test_an_event_with_a_level_never_counts_as_a_training_or_webinar(events, make_training):
    now = dt.datetime(2031, 6, 15, 12, tzinfo=AMSTERDAM)
    event = NetworkEventPageFactory(parent=events, title="Themadag")
    event.level = Level.IN_DEPTH  # an editor or import set a level: still not a training
    event.save_revision().publish()
    assert event.kind == Kind.NETWORK_EVENT
    basic = make_training("Basis", level=Level.BASIC)
    for page in (event, basic):
        session = SessionFactory(page=page, date=dt.date(2031, 3, 1))
        RegistrationFactory(session=session, attendance=Attendance.PRESENT)
    found = {(c.line, c.status): c.count for c in activities(year=2031, now=now)}
    assert found == {("basic_training", "delivered"): 1, ("network_event", "delivered"): 1}


def test_an_event_is_a_card_a_feed_entry_and_a_reach_figure(client, events, make_training):
    group = TargetGroup.objects.first()
    event = NetworkEventPageFactory(
        parent=events, title="Werksessie zorg en veiligheid", target_groups=[group]
    )
    session = SessionFactory(page=event, days=20)
    make_training("Een training")
    services.register(
        session_id=session.pk,
        person=services.Person(
            first_name="A",
            last_name="B",
            email="a@example.nl",
            function="F",
            organisation="O",
            target_group_id=group.pk,
        ),
        now=timezone.now(),
    )
    assert ("network_event", "Netwerkbijeenkomst") in [(k, str(v)) for k, v in card_kinds()]
    cards = collect_cards(target_group=group, kinds=["network_event"])
    assert [c.title for c in cards] == ["Werksessie zorg en veiligheid"]
    assert cards[0].kind_label == "Netwerkbijeenkomst"
    assert "Basis" not in cards[0].meta  # no level on an event card
    assert reach_totals(page_ids=[event.pk])[event.pk]["registrations"] == 1
    feed = icalendar.Calendar.from_ical(client.get("/trainingen/agenda.ics").content)
    assert "Werksessie zorg en veiligheid" in [str(e["SUMMARY"]) for e in feed.walk("VEVENT")]
    # Search finds it, labelled by its type.
    html = client.get("/zoeken/", {"q": "Werksessie"}).content.decode()
    assert "Werksessie zorg en veiligheid" in html


def test_listing_shows_events_only_and_catalogue_filters_by_kind(client, events, make_training):
    NetworkEventPageFactory(parent=events, title="Netwerkbijeenkomst Zaanstad")
    make_training("Basistraining signalen")
    listing = client.get("/bijeenkomsten/").content.decode()
    assert "Netwerkbijeenkomst Zaanstad" in listing and "Basistraining signalen" not in listing
    assert 'name="level"' not in listing  # events have no level filter
    assert "In-companytraining aanvragen" not in listing
    filtered = client.get("/trainingen/", {"kind": "network_event"}).content.decode()
    assert "Basistraining signalen" not in filtered
    assert '<option value="network_event" selected>Netwerkbijeenkomst</option>' in filtered


def test_unlisted_private_event_stays_out_of_the_listing(client, events):
    from wagtail.models import PageViewRestriction  # noqa: PLC0415 (only here)

    event = NetworkEventPageFactory(parent=events, title="Besloten werksessie")
    PageViewRestriction.objects.create(page=event, restriction_type="login")
    assert "Besloten werksessie" not in client.get("/bijeenkomsten/").content.decode()


# ----- workshop rounds ------------------------------------------------------------------


def test_workshop_choice_per_round_in_the_confirmation(client, events, committed):
    _page, session, one, two = event_with_rounds(events)
    form = client.get(f"/trainingen/aanmelden/{session.pk}/").content.decode()
    assert "Workshop in ronde 1" in form and "Workshop in ronde 2" in form
    with committed():
        response = client.post(
            f"/trainingen/aanmelden/{session.pk}/",
            form_data(round_1=str(one[0].pk), round_2=str(two[1].pk)),
        )
    assert response.status_code == 302
    registration = Registration.objects.get()
    chosen = {c.round: c.workshop_id for c in registration.workshop_choices.all()}
    assert chosen == {1: one[0].pk, 2: two[1].pk}
    body = mail.outbox[-1].body
    assert "Uw workshops" in body and "Ronde 1: R1-1" in body and "Ronde 2: R2-2" in body
    personal = client.get(response["Location"]).content.decode()
    assert "Ronde 1: R1-1" in personal and "Ronde 2: R2-2" in personal


def test_a_full_workshop_refuses_and_leaves_nothing_behind(
    client, events, person_factory, committed
):
    _page, session, one, two = event_with_rounds(events, capacity=1)
    now = timezone.now()
    services.register_for_event(
        session_id=session.pk,
        person=person_factory(1),
        workshops={1: one[0].pk, 2: two[0].pk},
        now=now,
    )
    mail.outbox.clear()
    with committed():
        response = client.post(
            f"/trainingen/aanmelden/{session.pk}/",
            form_data(2, round_1=str(one[0].pk), round_2=str(two[1].pk)),
        )
    html = response.content.decode()
    assert response.status_code == 200
    assert "De workshop &quot;R1-1&quot; is vol; kies een andere workshop." in html
    assert 'value="Noor"' in html  # input kept
    assert Registration.objects.count() == 1 and WorkshopChoice.objects.count() == 2
    assert mail.outbox == []
    assert "R1-1: vol" in html  # the full workshop is marked in the choice


def test_the_coordinator_sees_who_chose_which_workshop_and_how_full_each_is(
    coordinator, events, person_factory
):
    _page, session, one, two = event_with_rounds(events, capacity=5)
    url = f"/admin/trainingen/sessies/{session.pk}/"

    def register(n, first, second):
        services.register_for_event(
            session_id=session.pk,
            person=person_factory(n),
            workshops={1: first.pk, 2: second.pk},
            now=timezone.now(),
        )

    def queries():
        coordinator.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = coordinator.get(url)
        return response, len(ctx.captured_queries)

    register(1, one[0], two[1])
    _response, few = queries()
    for n in range(2, 6):
        register(n, one[0] if n % 2 else one[1], two[0])
    response, many = queries()
    assert few == many  # the choices come in one query, however many registrations

    html = response.content.decode()
    assert "Workshops" in html
    # R1-1 was chosen by people 1, 3, 5; R1-2 by 2, 4; R2-1 by 2-5; R2-2 by 1
    for title, taken in (("R1-1", 3), ("R1-2", 2), ("R2-1", 4), ("R2-2", 1)):
        row = html.split(f'<th scope="row">{title}')[1].split("</tr>")[0]
        assert f"<td>{taken}</td><td>5</td>" in row.replace("\n", "")
    assert html.count("Ronde 1: R1-1") == 3 and html.count("Ronde 2: R2-2") == 1

    export = coordinator.get(f"{url}?export=xlsx")
    sheet = load_workbook(io.BytesIO(export.content)).active
    rows = list(sheet.values)
    assert rows[0][-1] == "Workshops"
    assert sorted(row[-1] for row in rows[1:]) == sorted(
        ["Ronde 1: R1-1; Ronde 2: R2-2"]
        + ["Ronde 1: R1-2; Ronde 2: R2-1"] * 2
        + ["Ronde 1: R1-1; Ronde 2: R2-1"] * 2
    )


@pytest.mark.parametrize(
    "round_1",
    ["999999", "9" * 4000, "-1", "1e3", "\x00\x1b", "<script>alert(1)</script>", ""],
)
def test_hostile_workshop_ids_get_a_dutch_message(client, events, round_1):
    _page, session, _one, two = event_with_rounds(events)
    response = client.post(
        f"/trainingen/aanmelden/{session.pk}/",
        form_data(round_1=round_1, round_2=str(two[0].pk)),
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "ronde 1" in html and "<script>alert(1)</script>" not in html
    assert not Registration.objects.exists()


def test_a_workshop_of_another_event_or_round_is_refused(events, person_factory):
    _page, session, _one, two = event_with_rounds(events)
    _other_page, _s, other_one, _t = event_with_rounds(events, title="Andere themadag")
    for forged in (
        {1: other_one[0].pk, 2: two[0].pk},
        {1: two[0].pk, 2: two[1].pk},
        {2: two[0].pk},
    ):
        with pytest.raises(services.RegistrationError):
            services.register_for_event(
                session_id=session.pk,
                person=person_factory(),
                workshops=forged,
                now=timezone.now(),
            )
    assert not Registration.objects.exists()


# ----- connection tracks ----------------------------------------------------------------


def make_track(events, *, capacity=10):
    track = NetworkEventPageFactory(
        parent=events,
        title="Verbindingstraject GGZ/GGD en CTER-partners",
        event_type=EventType.CONNECTION_TRACK,
    )
    north, zaan, south = list(Region.objects.order_by("pk")[:3])
    past = [SessionFactory(page=track, region=north, days=d) for d in (-90, -60)]
    nxt = [SessionFactory(page=track, region=zaan, days=d, capacity=capacity) for d in (20, 50, 80)]
    later = [SessionFactory(page=track, region=south, days=d) for d in (120, 150)]
    return track, (north, zaan, south), past, nxt, later


def test_track_page_shows_which_region_had_it_and_which_is_next(client, events):
    track, (north, zaan, south), *_ = make_track(events)
    detail = selectors.event_detail(page=track)
    assert [(r.region, r.state) for r in detail["regions"]] == [
        (north, "done"),
        (zaan, "next"),
        (south, "later"),
    ]
    html = client.get(track.url).content.decode()
    assert "Is geweest" in html and "Volgende regio" in html
    assert html.count("Aanmelden voor het hele traject") == 2  # the open regions


def test_whole_track_registration_one_email_one_calendar_per_meeting_outcome(
    client, events, committed
):
    track, (north, zaan, _south), _past, nxt, _later = make_track(events, capacity=1)
    RegistrationFactory(session=nxt[1])  # the second meeting is full
    url = f"/trainingen/traject/{track.pk}/aanmelden/"
    form = client.get(url, {"regio": zaan.pk}).content.decode()
    assert f'value="{zaan.pk}" id="id_region_0" checked' in form or "checked" in form
    assert north.name not in form.split("<form")[1]  # a region that has had it is no choice
    with committed():
        response = client.post(url, form_data(region=str(zaan.pk)))
    assert response.status_code == 302
    outcome = client.get(response["Location"]).content.decode()
    assert outcome.count("Bevestigd") == 2 and outcome.count("Wachtlijst") == 1
    mine = Registration.objects.filter(participant__email="noor0@example.nl")
    assert sorted(r.session_id for r in mine) == sorted(s.pk for s in nxt)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == f"Aanmelding voor het traject: {track.title}"
    assert message.body.count("Uw plek is bevestigd.") == 2
    assert "wachtlijst" in message.body
    cal = icalendar.Calendar.from_ical(message.attachments[0][1])
    assert len(cal.walk("VEVENT")) == 2  # the confirmed meetings
    # Again: no duplicates, the links once more.
    mail.outbox.clear()
    with committed():
        again = client.post(url, form_data(region=str(zaan.pk)))
    assert again.status_code == 302 and mine.count() == 3
    assert mail.outbox[0].subject.startswith("Uw aanmelding voor het traject")


@pytest.mark.parametrize("region", [None, "", "0", "9" * 400, "abc\x00", "-5"])
def test_hostile_track_regions_get_a_dutch_message(client, events, region):
    track, _regions, *_ = make_track(events)
    data = form_data()
    if region is not None:
        data["region"] = region
    response = client.post(f"/trainingen/traject/{track.pk}/aanmelden/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Kies de regio" in html or "Kies een van de genoemde regio" in html
    assert not Registration.objects.exists()


def test_a_past_region_or_another_page_is_refused(client, events, person_factory):
    track, (north, _zaan, _south), *_ = make_track(events)
    response = client.post(f"/trainingen/traject/{track.pk}/aanmelden/", form_data(region=north.pk))
    assert "Kies een van de genoemde regio" in response.content.decode()
    with pytest.raises(services.RegistrationError):
        services.register_for_track(
            page_id=track.pk, region_id=north.pk, person=person_factory(), now=timezone.now()
        )
    plain = NetworkEventPageFactory(parent=events, title="Geen traject")
    assert client.get(f"/trainingen/traject/{plain.pk}/aanmelden/").status_code == 404
    assert client.get("/trainingen/traject/99999999/aanmelden/").status_code == 404
    assert client.get(f"/trainingen/traject/{track.pk}/aangemeld/").status_code == 404
    assert not Registration.objects.exists()


# ----- queries flat in the number of events ---------------------------------------------


def count_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(ctx.captured_queries)


def add_events(events, count, *, start=0):
    groups = list(TargetGroup.objects.all()[:2])
    for n in range(start, start + count):
        page = NetworkEventPageFactory(
            parent=events, title=f"Bijeenkomst {n}", target_groups=groups, tags=["polarisatie"]
        )
        for days in (10, 40, 70):
            SessionFactory(page=page, days=days + n)
        for round_number in (1, 2):
            WorkshopFactory(page=page, round=round_number)


def test_query_counts_do_not_grow_with_the_number_of_events(client, events):
    track, *_ = make_track(events)
    urls = ("/bijeenkomsten/", "/bijeenkomsten/bijeenkomst-0/", track.url)

    def measure():
        return [(count_queries(client, url), count_queries(client, url)) for url in urls]

    add_events(events, 3)
    for url in urls:
        client.get(url)
    add_events(events, 1, start=3)
    small = measure()
    add_events(events, 16, start=4)
    for n in range(12):  # more meetings and workshops on the measured pages too
        SessionFactory(page=track, days=200 + n, region=Region.objects.last())
    assert measure() == small
    (_listing_cold, listing_warm), (_event_cold, event_warm), (_track_cold, track_warm) = small
    assert listing_warm <= 12 and event_warm <= 14 and track_warm <= 14, small


def test_registration_form_queries_do_not_grow_with_workshops(client, events):
    page, session, _one, _two = event_with_rounds(events)
    url = f"/trainingen/aanmelden/{session.pk}/"
    client.get(url)
    small = count_queries(client, url)
    for n in range(10):
        WorkshopFactory(page=page, round=1 + n % 3)
        RegistrationFactory(session=session, status=RegistrationStatus.CONFIRMED)
    client.get(url)  # the change made the caches cold once
    assert count_queries(client, url) == small
    assert small <= 13, small


# ----- the programme's demo pages (item 7) ------------------------------------------------


def test_demo_programme_pages_are_real_dutch_pages_and_idempotent(client, site_home):
    from learning import demo_programme  # noqa: PLC0415 (only here)

    first = demo_programme.seed()
    demo_programme.seed()  # again: nothing doubles
    track = first["track"]
    assert track.sessions.count() == 9 and first["theme_day"].workshops.count() == 6
    regions = selectors.event_detail(page=track)["regions"]
    assert [r.state for r in regions] == ["done", "next", "later"]
    assert regions[0].region.slug == "noord-holland-noord"
    assert first["theme_day"].sessions.get().starts_at.astimezone(AMSTERDAM).month == 5
    urls = [
        "/bijeenkomsten/",
        first["theme_day"].url,
        track.url,
        "/programma/",
        "/programma/pilot-wij-school/",
        "/programma/one-on-one-mentoring/",
        "/programma/convenant-en-werkproces/",
        "/programma/specialisten-radicalisering-extremisme/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert "lorem" not in html.lower()
    specialists = client.get(urls[-1]).content.decode()
    for region in ("Kennemerland", "Noord-Holland Noord", "Zaanstreek-Waterland"):
        assert region in specialists
    home = client.get("/").content.decode()
    assert 'href="/bijeenkomsten/"' in home


# ----- editors ------------------------------------------------------------------------------


def test_editor_creates_an_event_with_a_meeting_and_a_workshop(client, events, person_factory):
    from django.contrib.auth.models import User  # noqa: PLC0415 (only here)
    from wagtail.test.utils.form_data import (  # noqa: PLC0415 (only here)
        inline_formset,
        nested_form_data,
        rich_text,
        streamfield,
    )

    from learning.models import NetworkEventPage, Session  # noqa: PLC0415 (only here)

    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    day = timezone.localdate() + dt.timedelta(days=30)
    session_row = {
        "date": day.isoformat(),
        "start_time": "13:00",
        "end_time": "16:30",
        "more_dayparts": streamfield([]),
        "online": "",
        "join_url": "",
        "location": "Stadhuis Zaanstad",
        "capacity": "30",
        "deadline": "",
        "region": "",
        "status": "planned",
    }
    data = {
        "title": "Netwerkbijeenkomst onderwijs",
        "slug": "netwerkbijeenkomst-onderwijs",
        "event_type": "network_meeting",
        "intro": "Voor zorgcoördinatoren en schoolleiders.",
        "objectives": rich_text("<p>Elkaar kennen</p>"),
        "programme": streamfield(
            [
                (
                    "item",
                    {
                        "start_time": "13:00",
                        "end_time": "",
                        "title": "Welkom",
                        "speaker": "",
                        "room": "",
                        "description": "",
                    },
                )
            ]
        ),
        "format": "on_site",
        "duration_label": "Middag",
        "target_groups": [],
        "tags": "onderwijs",
        "partners": "Gemeente Zaanstad",
        "trainers": "",
        "price": "Gratis",
        "practical_info": rich_text(""),
        "sessions": inline_formset([session_row]),
        "workshops": inline_formset(
            [{"round": "1", "capacity": "15", "title": "Casus", "host": "", "room": "Zaal 1"}]
        ),
        "action-publish": "publish",
    }
    # A connection track registers for all meetings at once: no workshop rounds on it.
    track = client.post(
        f"/admin/pages/add/learning/networkeventpage/{events.pk}/",
        nested_form_data(dict(data, event_type="connection_track")),
    )
    assert track.status_code == 200
    assert "Een verbindingstraject heeft geen workshoprondes" in track.content.decode()
    assert not NetworkEventPage.objects.exists()
    response = client.post(
        f"/admin/pages/add/learning/networkeventpage/{events.pk}/", nested_form_data(data)
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = NetworkEventPage.objects.get(slug="netwerkbijeenkomst-onderwijs")
    assert page.live and page.kind == Kind.NETWORK_EVENT and page.workshops.count() == 1
    session = Session.objects.get(page=page)
    workshop = page.workshops.get()
    registration = services.register_for_event(
        session_id=session.pk,
        person=person_factory(),
        workshops={1: workshop.pk},
        now=timezone.now(),
    ).registration
    assert registration.workshop_choices.get().workshop == workshop
    # A chosen workshop cannot be deleted in the editor: a Dutch message, nothing lost.
    edit = dict(
        data,
        sessions=inline_formset([dict(session_row, id=str(session.pk))], initial=1),
        workshops=inline_formset(
            [
                {
                    "id": str(workshop.pk),
                    "round": "1",
                    "capacity": "15",
                    "title": "Casus",
                    "host": "",
                    "room": "Zaal 1",
                    "DELETE": "1",
                }
            ],
            initial=1,
        ),
    )
    response = client.post(f"/admin/pages/{page.pk}/edit/", nested_form_data(edit))
    assert response.status_code == 200
    assert "kan niet worden verwijderd" in response.content.decode()
    assert page.workshops.count() == 1 and registration.workshop_choices.count() == 1
