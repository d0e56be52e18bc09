"""Demo content: products of every type for every target group, landing pages,
the product overview and this year's communication plan. Idempotent (by slug/title)."""

from pathlib import Path

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from wagtail.models import PageViewRestriction

from website import roles
from website.demo import (
    demo_document,
    demo_image,
    ensure_home,
    ensure_root_collection,
    rich,
    upsert_child,
)
from website.models import TargetGroup

from .models import (
    AnimationPage,
    CommunicationPlanPage,
    InfoSheetPage,
    ProductIndexPage,
    TargetGroupIndexPage,
    TargetGroupPage,
    WebinarRecordingPage,
)

MEDIA = Path(__file__).parent / "demo_media"
PLAN_READERS = [roles.COMMUNICATIE, roles.COORDINATOR, roles.ANALIST, roles.BEHEERDER]

INTROS = {
    "gemeenten": "Voor ambtenaren openbare orde en veiligheid en hun collega's in de 32 gemeenten.",
    "bestuurders": "Voor burgemeesters en wethouders die besluiten over de aanpak van radicalisering.",
    "asielketen": "Voor professionals in de asielketen: VluchtelingenWerk, COA en IND.",
    "zorg": "Voor professionals in de GGZ en GGD die signalen opvangen.",
    "politie-om": "Voor politie en Openbaar Ministerie in Noord-Holland.",
    "onderwijs": "Voor docenten, mentoren en zorgcoördinatoren in het onderwijs.",
    "sociaal-domein": "Voor wijkteams, jeugdhulp en het sociaal domein.",
    "zorg-en-veiligheidshuizen": "Voor medewerkers van de drie Zorg- en Veiligheidshuizen.",
}
TITLES = {
    "gemeenten": "Voor gemeenteambtenaren",
    "bestuurders": "Voor burgemeesters en wethouders",
    "asielketen": "Voor professionals in de asielketen",
    "zorg": "Voor professionals in de zorg",
    "politie-om": "Voor politie en Openbaar Ministerie",
    "onderwijs": "Voor het onderwijs",
    "sociaal-domein": "Voor het sociaal domein en de jeugdhulp",
    "zorg-en-veiligheidshuizen": "Voor de Zorg- en Veiligheidshuizen",
}
OFFERS = [
    (
        "In-companytraining",
        "Een training op uw eigen locatie, afgestemd op uw team of een mix van partners.",
        "/trainingen/aanvragen/in-company/",
        "Vraag een in-companytraining aan",
    ),
    (
        "Pressure cooker",
        "Een bijeenkomst op maat voor het college van burgemeester en wethouders over "
        "onrust en polarisatie in de eigen gemeente.",
        "/trainingen/aanvragen/pressure-cooker/",
        "Vraag een pressure cooker aan",
    ),
]


def _document(title: str, filename: str):
    return demo_document(title, MEDIA / filename)


def _image(title: str, filename: str):
    return demo_image(title, MEDIA / filename)


def _product(parent, model, slug, *, groups, themes, **fields):
    page = upsert_child(parent, model, slug, **fields)
    page.target_groups.set(groups)
    page.tags.set(themes)
    page.save_revision().publish()
    return page


@transaction.atomic
def seed(*, scale: int = 1, stdout=None):
    home = ensure_home()
    groups = list(TargetGroup.objects.order_by("sort_order"))
    today = timezone.localdate()
    ensure_root_collection()
    pdf = _document("Informatieblad signalen herkennen (PDF)", "informatieblad.pdf")
    video = _document("Animatie: wat doet het Zorg- en Veiligheidshuis? (video)", "animatie.mp4")
    captions = _document("Animatie: ondertiteling (WebVTT)", "animatie.vtt")
    poster = _image("Animatie: beeld", "poster.png")

    overview = upsert_child(
        home,
        ProductIndexPage,
        "producten",
        title="Producten per doelgroep",
        intro="Informatiebladen, animaties, opnames, trainingen, webinars en podcasts, "
        "gemaakt voor uw vakgebied. Filter op type, doelgroep of thema.",
    )
    transcript = rich(
        "Radicalisering herkennen begint bij goed kijken.",
        "Twijfelt u? Bel het Zorg- en Veiligheidshuis.",
    )
    products = []
    for n in range(scale):
        suffix = f"-{n + 1}" if n else ""
        for i, group in enumerate(groups):
            products.append(
                _product(
                    overview,
                    InfoSheetPage,
                    f"informatieblad-{group.slug}{suffix}",
                    groups=[group],
                    themes=["Radicalisering", "Signalen"] if i % 2 else ["Polarisatie"],
                    title=f"Signalen van radicalisering herkennen: {group.name}{suffix}",
                    summary="Welke signalen kunt u zien, hoe duidt u ze en wie schakelt u in?",
                    purpose=f"{group.name} herkennen signalen en weten wie ze kunnen bellen.",
                    publication_date=today - timezone.timedelta(days=3 * i + n),
                    pdf=pdf,
                    body=[
                        ("heading", {"text": "Waar let u op?", "level": "h2"}),
                        (
                            "paragraph",
                            rich(
                                "Radicaliseringsprocessen verlopen geleidelijk. Let op "
                                "veranderingen in gedrag, taal en contacten.",
                                "Eén signaal zegt weinig; een combinatie vraagt om overleg.",
                            ),
                        ),
                        ("heading", {"text": "Wie schakelt u in?", "level": "h2"}),
                        (
                            "paragraph",
                            rich(
                                "Bespreek uw zorgen met het Zorg- en Veiligheidshuis in uw regio."
                            ),
                        ),
                    ],
                )
            )
    products.append(
        _product(
            overview,
            AnimationPage,
            "animatie-zorg-en-veiligheidshuis",
            groups=groups,
            themes=["Signalen"],
            title="Animatie: wat doet het Zorg- en Veiligheidshuis?",
            summary="In vier seconden: wanneer u het Zorg- en Veiligheidshuis inschakelt.",
            purpose="Alle doelgroepen kennen de route naar het Zorg- en Veiligheidshuis.",
            publication_date=today - timezone.timedelta(days=1),
            video=video,
            captions=captions,
            poster=poster,
            card_image=poster,
            transcript=transcript,
            described_transcript=rich(
                "Beeld: een testbeeld met gekleurde balken. Stem: Radicalisering herkennen "
                "begint bij goed kijken. Twijfelt u? Bel het Zorg- en Veiligheidshuis."
            ),
        )
    )
    products.append(
        _product(
            overview,
            AnimationPage,
            "animatie-polarisatie",
            groups=[g for g in groups if g.slug in {"onderwijs", "sociaal-domein"}],
            themes=["Polarisatie"],
            title="Animatie: polarisatie in de klas",
            summary="Een korte animatie over gesprekken in de klas; extern gehost.",
            purpose="Docenten voeren het gesprek in plaats van het te vermijden.",
            publication_date=today - timezone.timedelta(days=5),
            external_video_id="aqz-KE-bpKQ",
            transcript=rich("Een docent gaat met de klas in gesprek over polarisatie."),
            described_transcript=rich(
                "Beeld: een klaslokaal. Een docent luistert naar leerlingen die van mening "
                "verschillen en vat samen wat ze horen."
            ),
        )
    )
    products.append(
        _product(
            overview,
            WebinarRecordingPage,
            "opname-webinar-online-radicalisering",
            groups=[g for g in groups if g.slug in {"gemeenten", "asielketen", "zorg"}],
            themes=["Online radicalisering", "Radicalisering"],
            title="Opname webinar: online radicalisering",
            summary="Terugkijken: hoe jongeren online in aanraking komen met extremisme.",
            purpose="Professionals kennen de online leefwereld en de signalen daarin.",
            publication_date=today - timezone.timedelta(days=10),
            video=video,
            captions=captions,
            poster=poster,
            slides=pdf,
            transcript=transcript,
        )
    )
    voor = upsert_child(
        home,
        TargetGroupIndexPage,
        "voor",
        title="Voor uw vakgebied",
        intro="Kies uw doelgroep: u ziet alles wat voor u is gemaakt.",
    )
    for group in groups:
        upsert_child(
            voor,
            TargetGroupPage,
            group.slug,
            title=TITLES.get(group.slug, f"Voor {group.name}"),
            target_group=group,
            intro=rich(INTROS.get(group.slug, group.name)),
            offers=[
                (
                    "offer",
                    {"title": t, "text": text, "link": {"page": None, "url": url, "label": lbl}},
                )
                for t, text, url, lbl in OFFERS
            ],
            pinned=[("page", products[-3])] if group.slug == "asielketen" else [],
        )
    by_slug = {p.slug: p for p in products}
    plan = upsert_child(
        home,
        CommunicationPlanPage,
        f"communicatieplan-{today.year}",
        title=f"Communicatieplan {today.year}",
        year=today.year,
        intro=rich(
            "Per doelgroep: wat we willen bereiken, welke partners we beter willen bereiken "
            "en welke producten we daarvoor maken."
        ),
        sections=[
            (
                "group",
                {
                    "target_group": group,
                    "goals": rich(
                        "Professionals in deze doelgroep herkennen signalen van radicalisering "
                        "en weten wie ze kunnen inschakelen."
                    ),
                    "partners": INTROS.get(group.slug, ""),
                    "products": [
                        {
                            "title": "Informatieblad signalen herkennen",
                            "purpose": "Signalen duiden",
                            "channel": "Website en nieuwsbrief",
                            "month": "3",
                            "status": "published",
                            "page": by_slug.get(f"informatieblad-{group.slug}"),
                        },
                        {
                            "title": "Animatie Zorg- en Veiligheidshuis",
                            "purpose": "De route kennen",
                            "channel": "Website en sociale media",
                            "month": "5",
                            "status": "published",
                            "page": by_slug.get("animatie-zorg-en-veiligheidshuis"),
                        },
                        {
                            "title": "Podcast met ervaringsdeskundige",
                            "purpose": "Verhalen uit de praktijk",
                            "channel": "Podcastplatforms",
                            "month": "9",
                            "status": "in_production" if group.sort_order % 2 else "idea",
                            "page": None,
                        },
                    ],
                },
            )
            for group in groups
        ],
    )
    # The plan shows internal statuses and live reach: for the roles that plan and report
    # (the steering group gets the role Analist), not for the public or partners (Wagtail's
    # page privacy by group, editable in the admin).
    restriction, _created = PageViewRestriction.objects.get_or_create(
        page=plan, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    if restriction.restriction_type != PageViewRestriction.GROUPS:
        restriction.restriction_type = PageViewRestriction.GROUPS
        restriction.save(update_fields=["restriction_type"])
    restriction.groups.set(Group.objects.filter(name__in=PLAN_READERS))
    if stdout:
        stdout.write(f"Outreach: {len(products)} products, {len(groups)} target group pages")
