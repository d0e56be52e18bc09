"""Demo content of the programme itself (issue 15 item 7): the event listing with the
theme day in May, the GGZ/GGD connection track (NHN pilot done, next regions planned),
the work session with Hogeschool Inholland, and the programme's own pages (WIJ-school
pilot, ONE-on-ONE mentoring, the CTER covenant and work process, the municipal
specialists Radicalisering & Extremisme). Real pages editors can change; idempotent
(pages by slug, meetings and workshops only added to pages that have none)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from learning.models import (
    AMSTERDAM,
    EventType,
    Format,
    Kind,
    NetworkEventPage,
    Session,
    TrainingIndexPage,
    Workshop,
)
from website.demo import ensure_home, rich, upsert_child
from website.models import Region, SiteSettings, StandardPage, TargetGroup

ZVH = {
    "kennemerland": "Zorg- en Veiligheidshuis Kennemerland\nZijlweg 245, 2015 CK Haarlem",
    "noord-holland-noord": "Zorg- en Veiligheidshuis Noord-Holland Noord\nAlkmaar",
    "zaanstreek-waterland": "Zorg- en Veiligheidshuis Zaanstreek-Waterland\nZaandam",
}


def _weekday(day: dt.date) -> dt.date:
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def _next_may(today: dt.date) -> dt.date:
    year = today.year if today.month < 5 else today.year + 1
    return _weekday(dt.date(year, 5, 20))


def _item(start, end, title, speaker="", room="", description=""):
    return (
        "item",
        {
            "start_time": dt.time(*start),
            "end_time": dt.time(*end) if end else None,
            "title": title,
            "speaker": speaker,
            "room": room,
            "description": description,
        },
    )


def _groups(*slugs):
    return list(TargetGroup.objects.filter(slug__in=slugs))


def _event(parent, slug, *, themes, groups, **fields) -> NetworkEventPage:
    page = upsert_child(parent, NetworkEventPage, slug, **fields)
    page.tags.set(themes)
    page.target_groups.set(groups)
    page.save_revision().publish()
    return page


def _theme_day(events, today):
    page = _event(
        events,
        "themadag-mei",
        themes=["Radicalisering", "Samenwerking", "Online radicalisering"],
        groups=_groups("gemeenten", "zorg", "onderwijs", "sociaal-domein", "politie-om"),
        title="Themadag CTER: samen sterker tegen radicalisering",
        event_type=EventType.THEME_DAY,
        intro=(
            "Eén dag voor het hele netwerk van professionals in Noord-Holland die te maken "
            "hebben met radicalisering, extremisme en polarisatie. We delen wat werkt, leren "
            "van casuïstiek uit de drie regio's en leggen de lijnen korter tussen gemeenten, "
            "zorg, onderwijs, politie en de Zorg- en Veiligheidshuizen."
        ),
        objectives=rich(
            "U hoort hoe het CTER-programma er in Noord-Holland voor staat en wat er komend "
            "jaar verandert in de samenwerking.",
            "U verdiept zich in twee workshops naar keuze in een thema uit uw eigen praktijk.",
            "U spreekt collega's uit andere organisaties en regio's: wie belt u de volgende keer?",
        ),
        programme=[
            _item((9, 30), (10, 0), "Inloop met koffie en thee"),
            _item(
                (10, 0),
                (10, 20),
                "Opening: waar staan we met CTER in Noord-Holland?",
                "Programmaleider CTER, Noord-Holland Samen Veilig",
                "Grote zaal",
            ),
            _item(
                (10, 20),
                (11, 5),
                "Van signaal tot aanpak: hoe een zorg komt waar hij hoort",
                "Procesregisseur radicalisering, Zorg- en Veiligheidshuis",
                "Grote zaal",
                "Aan de hand van een geanonimiseerde casus volgen we de route van een eerste "
                "signaal via het casusoverleg naar een persoonsgerichte aanpak.",
            ),
            _item((11, 15), (12, 30), "Workshopronde 1", room="Zie workshops"),
            _item((12, 30), (13, 30), "Lunch en informatiemarkt"),
            _item((13, 30), (14, 45), "Workshopronde 2", room="Zie workshops"),
            _item(
                (15, 0),
                (15, 40),
                "Verbinding in de praktijk: GGZ, GGD en veiligheidspartners",
                "Deelnemers aan de pilot in Noord-Holland Noord",
                "Grote zaal",
                "Wat leverde het verbindingstraject op, wat liep anders dan gedacht en wat "
                "nemen de volgende regio's mee?",
            ),
            _item((15, 40), (16, 30), "Afsluiting en netwerkborrel"),
        ],
        format=Format.ON_SITE,
        duration_label="Hele dag",
        trainers=(
            "Programmaleider CTER\nProcesregisseurs van de drie Zorg- en Veiligheidshuizen\n"
            "Trainers van het Expertise-unit Sociale Stabiliteit"
        ),
        partners=(
            "Zorg- en Veiligheidshuis Kennemerland\nZorg- en Veiligheidshuis Noord-Holland "
            "Noord\nZorg- en Veiligheidshuis Zaanstreek-Waterland\nGGD Hollands Noorden\n"
            "Politie eenheid Noord-Holland"
        ),
        price="Gratis",
        practical_info=rich(
            "De themadag is voor professionals die in Noord-Holland werken. Lunch is "
            "inbegrepen; geef dieetwensen op bij uw aanmelding.",
            "U kiest bij het aanmelden per ronde één workshop. Is een workshop vol, dan kiest "
            "u een andere.",
        ),
    )
    if not page.sessions.exists():
        Session(
            page=page,
            date=_next_may(today),
            start_time=dt.time(9, 30),
            end_time=dt.time(16, 30),
            location="Provinciehuis Noord-Holland\nDreef 3, 2012 HR Haarlem",
            capacity=150,
            region=Region.objects.filter(slug="kennemerland").first(),
        ).save()
    if not page.workshops.exists():
        for order, (rnd, title, host, room, capacity) in enumerate(
            [
                (
                    1,
                    "Online radicalisering herkennen bij jongeren",
                    "Expert online extremisme",
                    "Zaal 1",
                    30,
                ),
                (
                    1,
                    "Het gesprek aangaan bij polariserende uitspraken",
                    "Trainer gesprekstechnieken",
                    "Zaal 2",
                    30,
                ),
                (
                    1,
                    "Informatie delen: wat mag, wat moet?",
                    "Privacyjurist Zorg- en Veiligheidshuis",
                    "Zaal 3",
                    40,
                ),
                (2, "Psychische kwetsbaarheid en extremisme", "Psychiater GGZ", "Zaal 1", 30),
                (
                    2,
                    "Signalen op school: de WIJ-school in Zaanstad",
                    "Schoolleider en wijkagent",
                    "Zaal 2",
                    30,
                ),
                (2, "ONE-on-ONE: mentoring in de praktijk", "Coördinator mentoring", "Zaal 3", 40),
            ]
        ):
            Workshop.objects.create(
                page=page,
                sort_order=order,
                round=rnd,
                title=title,
                host=host,
                room=room,
                capacity=capacity,
            )
    return page


def _track(events, today):
    page = _event(
        events,
        "verbindingstraject-ggz-ggd",
        themes=["Samenwerking", "Radicalisering"],
        groups=_groups("zorg", "zorg-en-veiligheidshuizen", "gemeenten", "politie-om"),
        title="Verbindingstraject GGZ/GGD en CTER-partners",
        event_type=EventType.CONNECTION_TRACK,
        intro=(
            "Zorg en veiligheid kijken vaak naar dezelfde persoon, maar met een andere bril. "
            "In dit traject leren professionals uit de GGZ, de GGD en de CTER-partners "
            "(gemeente, politie, Zorg- en Veiligheidshuis, reclassering) elkaar kennen, "
            "bespreken ze samen casuïstiek en maken ze afspraken over wie wat doet. Het "
            "traject loopt per regio, in drie bijeenkomsten over enkele maanden."
        ),
        objectives=rich(
            "Bijeenkomst 1: kennismaken, elkaars taal en grenzen leren kennen "
            "(beroepsgeheim, informatiedeling, meldroutes).",
            "Bijeenkomst 2: samen een casus doorlopen, van eerste zorg tot persoonsgerichte "
            "aanpak.",
            "Bijeenkomst 3: regionale werkafspraken vastleggen en een vast aanspreekpunt per "
            "organisatie benoemen.",
        ),
        format=Format.ON_SITE,
        duration_label="3 bijeenkomsten van een dagdeel",
        trainers="Procesregisseurs radicalisering van de Zorg- en Veiligheidshuizen\n"
        "Aandachtsfunctionarissen GGZ en GGD",
        partners="GGZ Noord-Holland-Noord\nGGD Hollands Noorden\nGGD Kennemerland\n"
        "GGD Zaanstreek-Waterland\nZorg- en Veiligheidshuizen Noord-Holland",
        price="Gratis",
        practical_info=rich(
            "De pilot in Noord-Holland Noord is afgerond. Daarna volgen Zaanstreek-Waterland "
            "en Kennemerland. U meldt zich met één formulier aan voor alle bijeenkomsten in "
            "uw regio; elke bijeenkomst heeft een eigen aantal plaatsen.",
        ),
    )
    if not page.sessions.exists():
        plan = [
            ("noord-holland-noord", (-120, -85, -50)),
            ("zaanstreek-waterland", (35, 75, 115)),
            ("kennemerland", (160, 200, 240)),
        ]
        for slug, offsets in plan:
            region = Region.objects.filter(slug=slug).first()
            for n, days in enumerate(offsets):
                Session(
                    page=page,
                    sort_order=n,
                    date=_weekday(today + dt.timedelta(days=days)),
                    start_time=dt.time(13, 0),
                    end_time=dt.time(16, 30),
                    location=ZVH[slug],
                    capacity=25,
                    region=region,
                ).save()
    return page


def _work_session(events, today):
    page = _event(
        events,
        "werksessie-inholland",
        themes=["Samenwerking", "Signalen"],
        groups=_groups("onderwijs", "zorg-en-veiligheidshuizen", "sociaal-domein"),
        title="Werksessie zorg- en veiligheidspartners met Hogeschool Inholland",
        event_type=EventType.WORK_SESSION,
        intro=(
            "Een werksessie van een middag voor zorg- en veiligheidspartners, samen met "
            "onderzoekers en docenten van Hogeschool Inholland. We toetsen wat het onderzoek "
            "zegt over vroegsignalering aan wat u in de praktijk ziet, en bepalen samen welke "
            "vragen de hogeschool het komende jaar onderzoekt."
        ),
        programme=[
            _item((13, 0), (13, 20), "Welkom en doel van de middag", "Programmaleider CTER"),
            _item(
                (13, 20),
                (14, 0),
                "Wat weten we over vroegsignalering?",
                "Lector Hogeschool Inholland",
                description="Een korte stand van zaken uit onderzoek en praktijk.",
            ),
            _item((14, 0), (15, 15), "Werktafels per doelgroep", room="Drie werktafels"),
            _item((15, 30), (16, 15), "Oogst en vervolgafspraken"),
        ],
        format=Format.ON_SITE,
        duration_label="Middag",
        partners="Hogeschool Inholland\nZorg- en Veiligheidshuizen Noord-Holland",
        price="Gratis",
    )
    if not page.sessions.exists():
        Session(
            page=page,
            date=_weekday(today + dt.timedelta(days=30)),
            start_time=dt.time(13, 0),
            end_time=dt.time(16, 15),
            location="Hogeschool Inholland\nBijdorplaan 15, 2015 CE Haarlem",
            capacity=40,
            region=Region.objects.filter(slug="kennemerland").first(),
        ).save()
    return page


PROGRAMME_PAGES = [
    (
        "pilot-wij-school",
        "Pilot WIJ-school: drie scholen in Zaanstad",
        "Drie scholen in Zaanstad werken als WIJ-school samen met de gemeente, de wijkagent "
        "en het jeugdwerk aan een veilig schoolklimaat waarin ook lastige gesprekken over "
        "identiteit, geloof en conflict gevoerd kunnen worden.",
        [
            ("heading", {"text": "Wat de pilot doet", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Docenten en mentoren krijgen training in het voeren van het gesprek bij "
                    "polariserende uitspraken en in het herkennen van signalen van "
                    "radicalisering. Elke school heeft een vaste contactpersoon bij de gemeente "
                    "en weet hoe een zorg over een leerling bij het Zorg- en Veiligheidshuis "
                    "komt.",
                    "De pilot loopt een schooljaar. Daarna beslissen de gemeente en de scholen, "
                    "op basis van de evaluatie, of en hoe de aanpak breder wordt ingezet.",
                ),
            ),
            ("heading", {"text": "Voor wie", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Schoolleiders, zorgcoördinatoren, mentoren en docenten van de drie "
                    "deelnemende scholen, en hun partners in de wijk. Andere scholen die "
                    "willen meedoen aan een volgende ronde kunnen contact opnemen met de "
                    "gemeentelijke specialist Radicalisering & Extremisme van hun regio."
                ),
            ),
        ],
    ),
    (
        "one-on-one-mentoring",
        "ONE-on-ONE: mentoring voor jongeren",
        "ONE-on-ONE koppelt een jongere die vatbaar is voor extremistische ideeën aan een "
        "getrainde mentor. Het traject is vrijwillig, duurt ongeveer een jaar en is een "
        "onderdeel van de persoonsgerichte aanpak.",
        [
            ("heading", {"text": "Hoe het werkt", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Na bespreking in het casusoverleg van het Zorg- en Veiligheidshuis kan een "
                    "jongere een mentor krijgen. De mentor is geen hulpverlener, maar een "
                    "vast aanspreekpunt die helpt bij school, werk en vrije tijd en het "
                    "gesprek aangaat over ideeën en idealen.",
                    "Mentoren worden geworven, getraind en begeleid door het programma. Zij "
                    "werken samen met de casusregisseur en melden zorgen direct.",
                ),
            ),
            ("heading", {"text": "Een jongere aanmelden", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Aanmelden gaat niet rechtstreeks, maar via de gemeentelijke specialist "
                    "Radicalisering & Extremisme of het Zorg- en Veiligheidshuis in uw regio. "
                    "Zij beoordelen samen met u of mentoring past."
                ),
            ),
        ],
    ),
    (
        "convenant-en-werkproces",
        "Het CTER-convenant en het werkproces",
        "In het convenant leggen gemeenten, politie, Openbaar Ministerie, zorgpartners en de "
        "Zorg- en Veiligheidshuizen vast hoe zij samenwerken bij zorgen over radicalisering, "
        "extremisme en terrorisme, en onder welke voorwaarden zij informatie delen.",
        [
            ("heading", {"text": "Het werkproces in vier stappen", "level": "h2"}),
            (
                "paragraph",
                "<ol><li><b>Signaal:</b> een professional maakt zich zorgen en bespreekt die "
                "eerst in de eigen organisatie.</li><li><b>Melding:</b> de zorg gaat naar de "
                "gemeentelijke specialist Radicalisering & Extremisme, die bepaalt of het "
                "signaal in het casusoverleg hoort.</li><li><b>Weging en plan:</b> in het "
                "casusoverleg van het Zorg- en Veiligheidshuis wegen de partners de informatie "
                "en stellen zij een persoonsgericht plan op.</li><li><b>Uitvoering en "
                "afschaling:</b> een casusregisseur bewaakt het plan; als de zorgen zijn "
                "weggenomen, wordt de casus afgeschaald en gesloten.</li></ol>",
            ),
            ("heading", {"text": "Informatie delen", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Partners delen alleen wat nodig is voor het doel van het casusoverleg, "
                    "met een grondslag die in het convenant en het bijbehorende privacyprotocol "
                    "is vastgelegd. Twijfelt u? Vraag het de specialist of de privacyjurist van "
                    "het Zorg- en Veiligheidshuis voordat u deelt."
                ),
            ),
        ],
    ),
    (
        "specialisten-radicalisering-extremisme",
        "Gemeentelijke specialisten Radicalisering & Extremisme",
        "Elk Zorg- en Veiligheidshuis in Noord-Holland heeft een gemeentelijke specialist "
        "Radicalisering & Extremisme. Hij of zij is het eerste aanspreekpunt voor "
        "professionals met een zorg en adviseert gemeenten in de regio.",
        [
            ("heading", {"text": "Kennemerland", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "De specialist werkt vanuit het Zorg- en Veiligheidshuis Kennemerland in "
                    "Haarlem, voor Haarlem, Haarlemmermeer, Velsen en de andere gemeenten in "
                    "de regio. Contact: bel het algemene nummer van het Zorg- en "
                    "Veiligheidshuis Kennemerland en vraag naar de specialist Radicalisering & "
                    "Extremisme, of loop binnen op het wekelijkse spreekuur."
                ),
            ),
            ("heading", {"text": "Noord-Holland Noord", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "De specialist werkt vanuit het Zorg- en Veiligheidshuis Noord-Holland "
                    "Noord in Alkmaar, voor de zestien gemeenten van Den Helder tot "
                    "Castricum. Contact: via het Zorg- en Veiligheidshuis Noord-Holland Noord, "
                    "of via de contactpersoon radicalisering van uw eigen gemeente."
                ),
            ),
            ("heading", {"text": "Zaanstreek-Waterland", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "De specialist werkt vanuit het Zorg- en Veiligheidshuis "
                    "Zaanstreek-Waterland in Zaandam, voor Zaanstad, Purmerend en de andere "
                    "gemeenten in de regio. Contact: via het Zorg- en Veiligheidshuis "
                    "Zaanstreek-Waterland; vraag naar de specialist Radicalisering & "
                    "Extremisme."
                ),
            ),
            ("heading", {"text": "Acute dreiging?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Bij direct gevaar belt u altijd 112. De specialist is er voor zorgen en "
                    "vragen, niet voor noodsituaties."
                ),
            ),
        ],
    ),
]


def _links(pages, extra=()):
    return {"links": [{"page": p, "url": "", "label": ""} for p in pages] + list(extra)}


def _programme(home, events, theme_day, track, work_session):
    overview = upsert_child(
        home,
        StandardPage,
        "programma",
        title="Het CTER-programma",
        intro=(
            "Noord-Holland Samen Veilig werkt met gemeenten, zorg, onderwijs, politie en de "
            "Zorg- en Veiligheidshuizen aan het voorkomen en tegengaan van radicalisering, "
            "extremisme en terrorisme. Hier vindt u de onderdelen van het programma."
        ),
    )
    pages = [
        upsert_child(overview, StandardPage, slug, title=title, intro=intro, body=body)
        for slug, title, intro, body in PROGRAMME_PAGES
    ]
    overview.body = [
        ("heading", {"text": "Bijeenkomsten voor het netwerk", "level": "h2"}),
        (
            "link_list",
            _links(
                [theme_day, track, work_session],
                [{"page": events, "url": "", "label": "Alle bijeenkomsten"}],
            ),
        ),
        ("heading", {"text": "Aanpak en samenwerking", "level": "h2"}),
        ("link_list", _links(pages)),
    ]
    overview.save_revision().publish()
    return [overview, *pages]


def _navigation():
    settings = SiteSettings.load()
    links = [(block.block_type, block.value) for block in settings.main_navigation]
    urls = [getattr(value, "get", lambda _k: None)("url") for _type, value in links]
    if "/bijeenkomsten/" in urls:
        return
    at = urls.index("/webinars/") + 1 if "/webinars/" in urls else len(links)
    links.insert(at, ("link", {"url": "/bijeenkomsten/", "label": "Bijeenkomsten"}))
    settings.main_navigation = links
    settings.save()


@transaction.atomic
def seed(*, scale: int = 1, stdout=None):
    today = timezone.localtime(timezone.now(), AMSTERDAM).date()
    home = ensure_home()
    events = upsert_child(
        home,
        TrainingIndexPage,
        "bijeenkomsten",
        title="Bijeenkomsten",
        intro=(
            "Themadagen, werksessies en verbindingstrajecten voor het netwerk van "
            "professionals in Noord-Holland. Gratis; aanmelden zonder account."
        ),
        only_kind=Kind.NETWORK_EVENT,
    )
    theme_day = _theme_day(events, today)
    track = _track(events, today)
    work_session = _work_session(events, today)
    pages = _programme(home, events, theme_day, track, work_session)
    _navigation()
    if stdout:
        stdout.write(f"learning: 3 network events, {len(pages)} programme pages")
    return {"events": events, "theme_day": theme_day, "track": track, "programme": pages}
