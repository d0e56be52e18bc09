"""Demo content for the site-wide pages. Idempotent: pages are found by slug."""

from django.contrib.auth.models import Group
from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, PageViewRestriction, Site

from website import roles
from website.models import HomePage, SiteSettings, StandardPage

WELCOME_TITLE = "Welcome to your new Wagtail site!"


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def facts(data: str, purpose: str, who: str, kept: str) -> str:
    """One kind of personal data on the privacy statement: what, why, who sees it, how long."""
    rows = [("Gegevens", data), ("Waarvoor", purpose), ("Wie ziet ze", who), ("Hoe lang", kept)]
    return "<ul>" + "".join(f"<li><b>{label}:</b> {text}</li>" for label, text in rows) + "</ul>"


def ensure_root_collection():
    """Documents and images need a root collection (a fresh test database has none)."""
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def demo_document(title: str, path):
    """A Wagtail document from a committed file, created once (by title), with its size
    and hash set as an upload in the admin sets them."""

    Document = get_document_model()
    doc = Document.objects.filter(title=title).first()
    if doc is None:
        with open(path, "rb") as handle:
            doc = Document(title=title)
            doc.file.save(path.name, File(handle), save=False)
            doc._set_document_file_metadata()
            doc.save()
    return doc


def demo_image(title: str, path):
    """A Wagtail image from a committed file, created once (by title)."""

    Image = get_image_model()
    image = Image.objects.filter(title=title).first()
    if image is None:
        with open(path, "rb") as handle:
            image = Image(title=title)
            image.file.save(path.name, File(handle), save=True)
    return image


def upsert_child(parent: Page, model, slug: str, **fields) -> Page:
    """Create ``slug`` under ``parent`` or update it in place; always published."""
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        for key, value in fields.items():
            setattr(existing, key, value)
        existing.save_revision().publish()
        return existing
    page = model(slug=slug, **fields)
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def partner_page(home: HomePage) -> StandardPage:
    """A page for partner organisations only (Wagtail's page privacy by group): visitors
    are asked to log in at /inloggen/, and only members of the group Partner see it."""
    page = upsert_child(
        home,
        StandardPage,
        "partners",
        title="Voor partnerorganisaties",
        intro="Achtergrondinformatie en afspraken voor de partners in het netwerk.",
        body=[
            ("heading", {"text": "Afspraken in het netwerk", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Hier vindt u de werkafspraken, contactpersonen en het draaiboek voor "
                    "casusoverleg. Deze pagina is alleen zichtbaar voor ingelogde partners."
                ),
            ),
        ],
        show_in_menus=False,
    )
    restriction, _created = PageViewRestriction.objects.get_or_create(
        page=page, defaults={"restriction_type": PageViewRestriction.GROUPS}
    )
    restriction.groups.set(Group.objects.filter(name=roles.PARTNER))
    return page


@transaction.atomic
def ensure_home() -> HomePage:
    home = HomePage.objects.first()
    root = Page.get_first_root_node() or Page.add_root(
        instance=Page(title="Root", slug="root", locale=Locale.get_default())
    )
    if home is None:
        for welcome in Page.objects.filter(depth=2, title=WELCOME_TITLE):
            welcome.delete()
        home = HomePage(title="Samen werken aan een veilig Noord-Holland", slug="home")
        root.add_child(instance=home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        Site.objects.create(
            hostname="localhost",
            port=80,
            root_page=home,
            is_default_site=True,
            site_name="Samen Veilig CTER",
        )
    elif site.root_page_id != home.pk or site.site_name != "Samen Veilig CTER":
        site.root_page = home
        site.site_name = "Samen Veilig CTER"
        site.save()
    return home


STATEMENTS = {
    "over-cter": (
        "Over CTER",
        "CTER staat voor contraterrorisme, extremisme en radicalisering. Noord-Holland Samen "
        "Veilig ondersteunt 32 gemeenten en hun partners bij het herkennen en aanpakken ervan.",
        [
            ("heading", {"text": "Wat doen we?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Radicalisering en extremisme vragen om samenwerking tussen gemeenten, zorg, "
                    "onderwijs, politie, het Openbaar Ministerie en de asielketen. Het project CTER "
                    "brengt die partners samen in de drie Zorg- en Veiligheidshuisregio's: "
                    "Noord-Holland Noord, Kennemerland en Zaanstreek-Waterland.",
                    "We bieden basis- en verdiepingstrainingen, webinars, podcasts en "
                    "informatiebladen, afgestemd op wat professionals in hun werk tegenkomen.",
                ),
            ),
            ("heading", {"text": "Voor wie?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Voor ambtenaren en bestuurders van gemeenten, professionals in zorg en "
                    "sociaal domein, medewerkers van VluchtelingenWerk, COA en IND, politie, "
                    "Openbaar Ministerie, scholen en de Zorg- en Veiligheidshuizen."
                ),
            ),
            (
                "accordion",
                {
                    "title": "Veelgestelde vragen",
                    "items": [
                        {
                            "question": "Kost een training iets?",
                            "answer": rich(
                                "Nee, de trainingen zijn gratis voor professionals in Noord-Holland."
                            ),
                        },
                        {
                            "question": "Moet ik een account aanmaken?",
                            "answer": rich(
                                "Nee. U meldt zich aan met uw naam en e-mailadres en krijgt een persoonlijke link."
                            ),
                        },
                    ],
                },
            ),
        ],
    ),
    "privacy": (
        "Privacyverklaring",
        "Hoe wij omgaan met uw persoonsgegevens als u zich aanmeldt voor een training of webinar.",
        [
            ("heading", {"text": "Wie is verantwoordelijk?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Noord-Holland Samen Veilig (project CTER) is verantwoordelijk voor de "
                    "verwerking van uw gegevens op deze website. Vragen stelt u via het "
                    "contactadres onderaan de pagina.",
                ),
            ),
            (
                "heading",
                {"text": "Welke gegevens, waarvoor, wie ze ziet en hoe lang", "level": "h2"},
            ),
            (
                "paragraph",
                rich(
                    "We verwerken alleen wat nodig is, voor onze publieke taak: professionals "
                    "toerusten om radicalisering en extremisme te herkennen. Medewerkers zien "
                    "alleen wat hun rol vraagt; wie wat ziet staat hieronder per soort gegevens.",
                ),
            ),
            ("heading", {"text": "Aanmelding voor een training of webinar", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Naam, e-mailadres, functie, organisatie, gemeente en doelgroep; wensen over "
                    "toegankelijkheid of dieet als u die opgeeft.",
                    "De training organiseren, u informeren (bevestiging, herinnering, "
                    "wijzigingen), uw aanwezigheid vastleggen voor een bewijs van deelname, en "
                    "zonder namen rapporteren welke doelgroepen, organisaties en gemeenten we "
                    "bereiken.",
                    "Coördinatoren van het programma (ook de deelnemerslijst). De trainer van uw "
                    "sessie ziet uw naam en organisatie, niet uw e-mailadres. Communicatie, "
                    "analisten en partners zien geen namen, alleen aantallen.",
                    "Naam, e-mailadres, functie en wensen wissen we twaalf maanden na afloop van "
                    "de training. Wat blijft zijn cijfers die niet naar u te herleiden zijn "
                    "(doelgroep, organisatie, gemeente, aanwezigheid).",
                ),
            ),
            ("heading", {"text": "Evaluatie na de training", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Uw cijfers en uw toelichting.",
                    "De trainingen verbeteren.",
                    "Coördinatoren; de trainer van uw sessie.",
                    "De toelichting wissen we twaalf maanden na afloop; de cijfers blijven zonder "
                    "naam.",
                ),
            ),
            ("heading", {"text": "Mijn trainingen", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Uw e-mailadres, voor een inloglink.",
                    "U uw aanmeldingen, bewijzen van deelname en een kopie van uw gegevens "
                    "laten zien, zonder account.",
                    "Niemand; alleen een versleutelde vorm van de link wordt bewaard.",
                    "Een link is 24 uur geldig en werkt één keer; verlopen links verwijderen we.",
                ),
            ),
            (
                "heading",
                {"text": "Aanvraag voor een in-companytraining of pressure cooker", "level": "h3"},
            ),
            (
                "paragraph",
                facts(
                    "Naam, e-mailadres en telefoonnummer van de contactpersoon, organisatie, "
                    "gemeente en uw wensen.",
                    "De aanvraag afhandelen.",
                    "Coördinatoren.",
                    "De contactgegevens wissen we twaalf maanden na ontvangst; wat gevraagd werd "
                    "blijft zonder naam.",
                ),
            ),
            ("heading", {"text": "E-mails die we sturen", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Uw e-mailadres en het onderwerp.",
                    "Zorgen dat elke e-mail aankomt, ook als de mailserver even niet werkt.",
                    "Beheerders (technisch beheer).",
                    "De inhoud wissen we na verzending; het bericht zelf na twaalf maanden.",
                ),
            ),
            ("heading", {"text": "Accounts van medewerkers en partners", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Naam, e-mailadres, gebruikersnaam, rol en, voor tweestapsverificatie, de "
                    "sleutel van de app. Bij mislukte inlogpogingen: gebruikersnaam en "
                    "IP-adres.",
                    "Inloggen, en de site beschermen tegen het raden van wachtwoorden.",
                    "Beheerders.",
                    "Zolang het account bestaat. Mislukte pogingen verdwijnen na een geslaagde "
                    "inlog, of bij de eerstvolgende inlogpoging op de site na de wachttijd van "
                    "15 minuten.",
                ),
            ),
            ("heading", {"text": "Logboek", "level": "h3"}),
            (
                "paragraph",
                facts(
                    "Welke medewerker wanneer een deelnemerslijst exporteerde, een aanmelding "
                    "verplaatste of annuleerde, aanwezigheid registreerde, gegevens opzocht of "
                    "wiste; nooit de gegevens van deelnemers zelf.",
                    "Verantwoorden wie wat deed met persoonsgegevens.",
                    "Beheerders; coördinatoren voor hun eigen onderdelen.",
                    "Zolang dat voor verantwoording nodig is.",
                ),
            ),
            ("heading", {"text": "Statistieken zonder cookies", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Deze website plaatst geen cookies voor statistieken en gebruikt geen "
                    "analysediensten van derden. We tellen bezoeken, downloads en beluisterde "
                    "podcastafleveringen zonder IP-adressen op te slaan: een versleutelde code "
                    "van uw IP-adres en browser, met een sleutel die elke dag wordt vervangen en "
                    "weggegooid, voorkomt alleen dat we u twee keer tellen.",
                    "Een video van YouTube laden we pas als u daarvoor op de knop klikt. Vanaf "
                    "dat moment gelden de voorwaarden van YouTube (we gebruiken "
                    "youtube-nocookie.com).",
                ),
            ),
            ("heading", {"text": "Uw rechten", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "U kunt uw gegevens inzien, laten corrigeren of laten verwijderen, en u kunt "
                    "bezwaar maken tegen de verwerking. Een kopie van alles wat we onder uw "
                    "e-mailadres bewaren downloadt u zelf in Mijn trainingen. Uw aanmelding "
                    "annuleren kan altijd via de persoonlijke link in uw bevestiging. Voor "
                    "verwijderen of corrigeren neemt u contact met ons op via het e-mailadres "
                    "onderaan de pagina; een coördinator wist uw gegevens dan, behalve de cijfers "
                    "zonder naam.",
                    "Bent u het niet eens met hoe we met uw gegevens omgaan? Dan kunt u een klacht "
                    "indienen bij de Autoriteit Persoonsgegevens.",
                ),
            ),
        ],
    ),
    "toegankelijkheid": (
        "Toegankelijkheidsverklaring",
        "Wij willen dat iedereen deze website kan gebruiken.",
        [
            (
                "paragraph",
                rich(
                    "Noord-Holland Samen Veilig streeft ernaar dat deze website voldoet aan de "
                    "Web Content Accessibility Guidelines (WCAG) 2.1 op niveau AA, zoals het "
                    "Besluit digitale toegankelijkheid overheid voorschrijft."
                ),
            ),
            ("heading", {"text": "Status", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "De website voldoet gedeeltelijk aan de eisen. Elke pagina wordt automatisch "
                    "getest met axe-core; handmatige onderzoeken volgen. Video's hebben "
                    "ondertiteling en een tekstversie, podcasts hebben een transcript."
                ),
            ),
            ("heading", {"text": "Iets niet toegankelijk?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Loopt u tegen een probleem aan? Laat het ons weten via het contactadres "
                    "onderaan de pagina. We reageren binnen vijf werkdagen."
                ),
            ),
        ],
    ),
}


def seed(*, scale: int = 1, stdout=None) -> HomePage:
    home = ensure_home()
    home.title = "Samen werken aan een veilig Noord-Holland"
    home.intro = (
        "Trainingen, webinars, podcasts en informatie over radicalisering, extremisme en "
        "terrorisme voor professionals in de 32 gemeenten van Noord-Holland."
    )
    home.body = [
        (
            "highlights",
            {
                "title": "Wat zoekt u?",
                "items": [
                    {
                        "title": "Trainingen",
                        "text": "Basis- en verdiepingstrainingen, online en op locatie.",
                        "link": {"url": "/trainingen/", "label": "Trainingen"},
                    },
                    {
                        "title": "Webinars",
                        "text": "Korte online sessies over actuele thema's.",
                        "link": {"url": "/webinars/", "label": "Webinars"},
                    },
                    {
                        "title": "Podcasts",
                        "text": "Gesprekken met professionals uit het netwerk.",
                        "link": {"url": "/podcasts/", "label": "Podcasts"},
                    },
                    {
                        "title": "Producten per doelgroep",
                        "text": "Informatiebladen, animaties en meer, voor uw vakgebied.",
                        "link": {"url": "/producten/", "label": "Producten"},
                    },
                ],
            },
        ),
        (
            "text",
            {
                "title": "Samen signaleren, samen handelen",
                "text": rich(
                    "Radicalisering herkennen begint bij professionals die dichtbij mensen staan. "
                    "Wij helpen u signalen te duiden en te weten wie u kunt inschakelen."
                ),
            },
        ),
        (
            "quote",
            {
                "quote": "Door de training weet ik nu wanneer ik het Zorg- en Veiligheidshuis inschakel.",
                "attribution": "Wijkcoördinator, gemeente Zaanstad",
            },
        ),
    ]
    home.save_revision().publish()
    pages = {
        slug: upsert_child(home, StandardPage, slug, title=title, intro=intro, body=body)
        for slug, (title, intro, body) in STATEMENTS.items()
    }
    partner_page(home)
    settings = SiteSettings.load()
    settings.main_navigation = [
        ("link", {"url": url, "label": label})
        for url, label in [
            ("/trainingen/", "Trainingen"),
            ("/webinars/", "Webinars"),
            ("/podcasts/", "Podcasts"),
            ("/producten/", "Producten per doelgroep"),
            ("/zoeken/", "Zoeken"),
        ]
    ]
    settings.footer_text = (
        "Noord-Holland Samen Veilig, project CTER: contraterrorisme, extremisme en "
        "radicalisering. Voor professionals in Noord-Holland Noord, Kennemerland en "
        "Zaanstreek-Waterland."
    )
    settings.footer_links = [
        ("link", {"page": pages["over-cter"], "url": "", "label": ""}),
        ("link", {"page": None, "url": "/voor/", "label": "Aanbod per doelgroep"}),
        ("link", {"page": None, "url": "/mijn-trainingen/", "label": "Mijn trainingen"}),
    ]
    settings.contact_email = "cter@samenveilig-nh.example.nl"
    settings.contact_phone = "088 123 45 67"
    settings.contact_address = "Postbus 123\n2000 AA Haarlem"
    settings.coordinator_email = "coordinatie@samenveilig-nh.example.nl"
    settings.privacy_page = pages["privacy"]
    settings.accessibility_page = pages["toegankelijkheid"]
    settings.save()
    return home
