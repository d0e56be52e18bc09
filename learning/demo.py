"""Demo trainings and webinars with sessions over the current year. Idempotent:
pages are found by slug; sessions and registrations are only added to pages without sessions."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from learning import services
from learning.models import (
    AMSTERDAM,
    Attendance,
    Evaluation,
    Format,
    Kind,
    Level,
    Organisation,
    Participant,
    Registration,
    RegistrationStatus,
    RequestKind,
    RequestStatus,
    Session,
    TrainingIndexPage,
    TrainingPage,
    TrainingRequest,
)
from learning.services.organisations import find_or_create
from learning.services.participants import participant_key
from website.demo import ensure_home, rich, upsert_child
from website.models import Municipality, Region, TargetGroup

LOCATIONS = [
    ("Zorg- en Veiligheidshuis Kennemerland\nZijlweg 245, 2015 CK Haarlem", "kennemerland"),
    ("Gemeentehuis Alkmaar\nMallegatsplein 10, 1815 AG Alkmaar", "noord-holland-noord"),
    ("Stadhuis Zaanstad\nStationsplein 3, 1506 AG Zaandam", "zaanstreek-waterland"),
]

TRAININGS = [
    # slug, title, level, format, duration, dayparts, themes, intro
    (
        "basis-radicalisering-herkennen",
        "Radicalisering herkennen en duiden",
        Level.BASIC,
        Format.ON_SITE,
        "1 dagdeel",
        1,
        ["Radicalisering", "Signalen"],
        "Wat is radicalisering, hoe herkent u signalen en wanneer schakelt u het Zorg- en "
        "Veiligheidshuis in? Een praktische basistraining met casussen uit Noord-Holland.",
    ),
    (
        "basis-polarisatie-in-de-wijk",
        "Polarisatie in de wijk",
        Level.BASIC,
        Format.HYBRID,
        "3 uur",
        1,
        ["Polarisatie", "Samenwerking"],
        "Spanningen tussen groepen in de wijk: hoe ontstaan ze, hoe herkent u ze en wat kunt u "
        "als professional doen om het gesprek gaande te houden?",
    ),
    (
        "basis-extremisme-online",
        "Extremisme online: memes, gaming en complotdenken",
        Level.BASIC,
        Format.ONLINE,
        "2 uur",
        1,
        ["Online radicalisering", "Extremisme"],
        "Jongeren komen online in aanraking met extremistische content. We laten zien hoe dat "
        "gaat en hoe u erover in gesprek gaat.",
    ),
    (
        "basis-asielketen",
        "Signalen van radicalisering in de asielketen",
        Level.BASIC,
        Format.ON_SITE,
        "1 dagdeel",
        1,
        ["Signalen", "Radicalisering"],
        "Voor medewerkers van COA, VluchtelingenWerk en IND: signalen duiden met oog voor "
        "trauma, cultuur en context, en weten wie u kunt bellen.",
    ),
    (
        "verdieping-casusoverleg",
        "Verdieping: het persoonsgerichte casusoverleg",
        Level.IN_DEPTH,
        Format.ON_SITE,
        "3 dagdelen",
        3,
        ["Radicalisering", "Samenwerking"],
        "Voor wie de basistraining volgde: risicotaxatie, informatiedeling binnen de kaders van "
        "de AVG en het opstellen van een plan van aanpak in het casusoverleg.",
    ),
    (
        "verdieping-gesprekstechnieken",
        "Verdieping: in gesprek met radicaliserende jongeren",
        Level.IN_DEPTH,
        Format.ON_SITE,
        "2 dagdelen",
        2,
        ["Gespreksvoering", "Jongeren"],
        "Oefenen met acteurs: het gesprek aangaan zonder te veroordelen, grenzen stellen en "
        "contact houden.",
    ),
]

WEBINARS = [
    ("webinar-actualiteiten-dreigingsbeeld", "Het actuele dreigingsbeeld", ["Dreigingsbeeld"]),
    ("webinar-anti-institutioneel-extremisme", "Anti-institutioneel extremisme", ["Extremisme"]),
    ("webinar-rechtsextremisme-jongeren", "Rechtsextremisme onder jongeren", ["Jongeren"]),
    ("webinar-polarisatie-na-incidenten", "Polarisatie na een incident", ["Polarisatie"]),
    (
        "webinar-school-en-radicalisering",
        "Radicalisering en de school",
        ["Jongeren", "Polarisatie"],
    ),
    ("webinar-terugkeerders", "Terugkeerders en hun kinderen", ["Radicalisering"]),
]

PEOPLE = [
    ("Fatima", "El Amrani"),
    ("Jeroen", "de Vries"),
    ("Sanne", "Bakker"),
    ("Mohamed", "Yilmaz"),
    ("Lotte", "Visser"),
    ("Kees", "Smit"),
    ("Noor", "Jansen"),
    ("Daan", "Mulder"),
]
# (name, sector slug, municipality slug or ""): checked reference organisations.
ORGANISATIONS = [
    ("Gemeente Haarlem", "gemeenten", "haarlem"),
    ("GGD Kennemerland", "zorg", "haarlem"),
    ("COA", "asielketen", ""),
    ("Politie Noord-Holland", "politie-om", ""),
]


def _organisations() -> list[Organisation]:
    sectors = {g.slug: g for g in TargetGroup.objects.all()}
    places = {m.slug: m for m in Municipality.objects.all()}
    found = []
    for name, sector, place in ORGANISATIONS:
        organisation = find_or_create(name=name)
        organisation.verified = True
        organisation.sector = organisation.sector or sectors.get(sector)
        organisation.municipality = organisation.municipality or places.get(place)
        organisation.save(update_fields=["verified", "sector", "municipality"])
        found.append(organisation)
    return found


def _index(home, slug, title, intro, only_kind):
    page = upsert_child(
        home, TrainingIndexPage, slug, title=title, intro=intro, only_kind=only_kind
    )
    services.give_coordinators_the_catalogue(page_id=page.pk)
    return page


def _session_rows(page, *, year_start, index, count, online, dayparts, regions):
    """Sessions spread over the year; the first one of every page lies in the past."""
    rows = []
    for n in range(count):
        day = year_start + dt.timedelta(days=(index * 11 + n * 97) % 360 + 14)
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        location, region_slug = LOCATIONS[(index + n) % len(LOCATIONS)]
        session = Session(
            page=page,
            sort_order=n,
            date=day,
            start_time=dt.time(9, 30) if not online else dt.time(15, 0),
            end_time=dt.time(12, 30) if not online else dt.time(16, 30),
            more_dayparts=[
                (
                    "daypart",
                    {
                        "date": day + dt.timedelta(days=7 * d),
                        "start_time": dt.time(9, 30),
                        "end_time": dt.time(12, 30),
                    },
                )
                for d in range(1, dayparts)
            ],
            online=online,
            location="" if online else location,
            join_url="https://meet.example.nl/cter-" + page.slug if online else "",
            capacity=4 if n == 1 else 20,
            region=regions.get(region_slug),
        )
        rows.append(session)
    return rows


def _add_registrations(session, *, now, groups, municipalities, organisations, full):
    taken = session.capacity + 2 if full else min(3, session.capacity)
    for i in range(taken):
        first, last = PEOPLE[i % len(PEOPLE)]
        status = (
            RegistrationStatus.CONFIRMED if i < session.capacity else RegistrationStatus.WAITING
        )
        when = min(now, session.starts_at) - dt.timedelta(days=30, minutes=-i)
        # Spread over the municipalities (and so the three regions); some people come
        # back to a later session, so unique participants stay below registrations.
        spread = i + session.pk * 3
        email = f"{first.lower()}.{spread % 60}@example.nl"
        registration = Registration.objects.create(
            session=session,
            status=status,
            target_group=groups[spread % len(groups)],
            municipality=municipalities[spread % len(municipalities)] if municipalities else None,
            organisation=organisations[spread % len(organisations)],
            person=participant_key(email=email, now=when),
            created_at=when,
            status_changed_at=when,
        )
        Participant.objects.create(
            registration=registration,
            first_name=first,
            last_name=last,
            email=email,
            function="Beleidsadviseur" if i % 2 else "Wijkcoördinator",
        )
        if session.ends_at < now and status == RegistrationStatus.CONFIRMED:
            _add_aftercare(registration, i)


def _requests(*, now, municipalities):
    """Two open requests for the coordinators' dashboard, once."""
    if TrainingRequest.objects.exists():
        return
    for days, kind, status, organisation in (
        (12, RequestKind.IN_COMPANY, RequestStatus.NEW, "GGD Kennemerland"),
        (30, RequestKind.PRESSURE_COOKER, RequestStatus.IN_PROGRESS, ""),
    ):
        request = TrainingRequest.objects.create(
            kind=kind,
            status=status,
            organisation=organisation,
            municipality=municipalities[0] if municipalities and not organisation else None,
            contact_name="Demo Contactpersoon",
            contact_email="contact@example.nl",
            wanted="Basistraining radicalisering herkennen",
            preferred_period="Na de zomer",
            group_size=15,
        )
        # created_at is set on insert (auto_now_add): date it back afterwards.
        TrainingRequest.objects.filter(pk=request.pk).update(
            created_at=now - dt.timedelta(days=days)
        )


DEMO_COMMENTS = ["", "Meer casuïstiek uit de eigen gemeente.", "", "Iets meer tijd voor vragen."]


def _add_aftercare(registration, i):
    """Past sessions: most people came, half of them answered the survey."""
    ended = registration.session.ends_at
    present = i % 4 != 3
    registration.attendance = Attendance.PRESENT if present else Attendance.ABSENT
    registration.attendance_marked_at = ended
    registration.reminder_sent_at = ended - dt.timedelta(days=2)
    registration.survey_sent_at = ended + dt.timedelta(hours=1) if present else None
    registration.save(
        update_fields=["attendance", "attendance_marked_at", "reminder_sent_at", "survey_sent_at"]
    )
    if present and i % 2 == 0:
        Evaluation.objects.create(
            registration=registration,
            overall=3 + i % 3,
            usefulness=4 + i % 2,
            recommend=i % 3 != 2,
            improvement=DEMO_COMMENTS[i % len(DEMO_COMMENTS)],
            created_at=ended + dt.timedelta(days=1),
        )


@transaction.atomic
def seed(*, scale: int = 1, stdout=None, extra_trainings: int = 0, sessions_per_page: int = 4):
    now = timezone.now()
    year_start = timezone.localtime(now, AMSTERDAM).date() - dt.timedelta(days=90)
    home = ensure_home()
    catalogue = _index(
        home,
        "trainingen",
        "Trainingen",
        "Basis- en verdiepingstrainingen en webinars over radicalisering, extremisme en "
        "polarisatie. Gratis voor professionals in Noord-Holland; aanmelden zonder account.",
        "",
    )
    webinars = _index(
        home,
        "webinars",
        "Webinars",
        "Korte online sessies over actuele ontwikkelingen, met ruimte voor uw vragen.",
        Kind.WEBINAR,
    )
    groups = list(TargetGroup.objects.all())
    regions = {r.slug: r for r in Region.objects.all()}
    # Most municipalities, not all: the reach report shows the ones not yet reached.
    municipalities = [m for n, m in enumerate(Municipality.objects.order_by("name")) if n % 8 != 5]
    organisations = _organisations()

    specs = []
    for copy in range(max(scale, 1)):
        suffix = "" if copy == 0 else f"-{copy + 1}"
        for slug, title, level, fmt, duration, parts, themes, intro in TRAININGS:
            specs.append(
                (
                    catalogue,
                    slug + suffix,
                    title,
                    Kind.TRAINING,
                    level,
                    fmt,
                    duration,
                    parts,
                    themes,
                    intro,
                )
            )
        for slug, title, themes in WEBINARS:
            intro = (
                f"Een webinar van anderhalf uur over {title.lower()}, met een expert uit het "
                "netwerk en ruimte voor vragen uit de praktijk."
            )
            specs.append(
                (
                    webinars,
                    slug + suffix,
                    title,
                    Kind.WEBINAR,
                    Level.BASIC,
                    Format.ONLINE,
                    "1,5 uur",
                    1,
                    themes,
                    intro,
                )
            )
    for n in range(extra_trainings):
        intro = "Een training om de catalogus onder belasting te meten."
        specs.append(
            (
                catalogue,
                f"bench-training-{n + 1}",
                f"Oefentraining {n + 1}",
                Kind.TRAINING,
                Level.BASIC,
                Format.ON_SITE,
                "1 dagdeel",
                1,
                ["Radicalisering"],
                intro,
            )
        )

    pages = {}
    for index, (parent, slug, title, kind, level, fmt, duration, parts, themes, intro) in enumerate(
        specs
    ):
        page = upsert_child(
            parent,
            TrainingPage,
            slug,
            title=title,
            intro=intro,
            objectives=rich(
                "U herkent signalen en weet ze te duiden.",
                "U weet wie u inschakelt en hoe u informatie deelt.",
            ),
            level=level,
            kind=kind,
            format=fmt,
            duration_label=duration,
            dayparts=parts,
            trainers="Trainers van het Zorg- en Veiligheidshuis en het Expertise-unit Sociale "
            "Stabiliteit",
            in_company=kind == Kind.TRAINING,
            price="Gratis",
            practical_info=rich("Koffie en thee staan klaar. Aanmelden kan tot de dag vooraf."),
        )
        page.tags.set(themes)
        page.target_groups.set(groups[index % len(groups) :][:3] or groups[:3])
        page.save_revision().publish()
        pages[slug] = page
        if not page.sessions.exists():
            rows = _session_rows(
                page,
                year_start=year_start,
                index=index,
                count=sessions_per_page,
                online=fmt == Format.ONLINE,
                dayparts=parts,
                regions=regions,
            )
            for session in rows:
                session.save()
                if not groups:
                    continue
                _add_registrations(
                    session,
                    now=now,
                    groups=groups,
                    municipalities=municipalities,
                    organisations=organisations,
                    full=session.capacity == 4 and session.ends_at > now,
                )
    _requests(now=now, municipalities=municipalities)
    basis = pages.get("basis-radicalisering-herkennen")
    for slug in ("verdieping-casusoverleg", "verdieping-gesprekstechnieken"):
        if basis and slug in pages and pages[slug].prior_training_id != basis.pk:
            pages[slug].prior_training = basis
            pages[slug].save_revision().publish()
    if stdout:
        stdout.write(f"learning: {len(pages)} trainings and webinars")
    return pages
