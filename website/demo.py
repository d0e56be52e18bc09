"""Demo content for the site-wide pages. Idempotent: pages are found by slug."""

from django.core.files import File
from django.db import transaction
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale, Page, Site, Task, Workflow

from website.models import HomePage, SiteSettings, StandardPage

WELCOME_TITLE = "Welcome to your new Wagtail site!"
WORKFLOW_NAME = "Goedkeuring door moderatoren"


def rich(*paragraphs: str) -> str:
    return "".join(f"<p>{p}</p>" for p in paragraphs)


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
            ("heading", {"text": "Welke gegevens verwerken we, en waarom?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Als u zich aanmeldt, vragen we uw naam, e-mailadres, organisatie, functie, "
                    "gemeente en doelgroep. Wensen over toegankelijkheid of dieet zijn optioneel.",
                    "We gebruiken deze gegevens alleen om de training te organiseren, u te "
                    "informeren, uw aanwezigheid vast te leggen voor een bewijs van deelname en, "
                    "zonder namen, te rapporteren welke doelgroepen, organisaties en gemeenten we "
                    "bereiken. Dat doen we voor onze publieke taak: professionals toerusten om "
                    "radicalisering en extremisme te herkennen.",
                    "Bij een aanvraag voor een in-companytraining of pressure cooker gebruiken we "
                    "uw contactgegevens alleen om de aanvraag af te handelen.",
                ),
            ),
            ("heading", {"text": "Hoe lang bewaren we ze?", "level": "h2"}),
            (
                "paragraph",
                rich(
                    "Uw naam, e-mailadres, functie en wensen wissen we twaalf maanden na afloop "
                    "van de training. Hetzelfde geldt voor toelichtingen in evaluaties en voor "
                    "de contactgegevens van afgehandelde aanvragen. Verstuurde e-mails bewaren we "
                    "zonder inhoud. Wat overblijft zijn cijfers (doelgroep, organisatie, gemeente, "
                    "aanwezigheid, scores) die niet naar u te herleiden zijn.",
                    "Een inloglink voor Mijn trainingen is 24 uur geldig en werkt één keer.",
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
                    "bezwaar maken tegen de verwerking. Uw aanmelding annuleren kan altijd via de "
                    "persoonlijke link in uw bevestiging. Neem voor de rest contact met ons op "
                    "via het e-mailadres onderaan de pagina.",
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


def dutch_workflow_names() -> None:
    """Wagtail's migrations create the default workflow and task with English names
    ("Moderators approval"); the admin shows them as they are stored."""
    Workflow.objects.filter(name="Moderators approval").update(name=WORKFLOW_NAME)
    Task.objects.filter(name="Moderators approval").update(name=WORKFLOW_NAME)


def seed(*, scale: int = 1, stdout=None) -> HomePage:
    dutch_workflow_names()
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
    settings = SiteSettings.load()
    settings.main_navigation = [
        ("link", {"url": url, "label": label})
        for url, label in [
            ("/trainingen/", "Trainingen"),
            ("/webinars/", "Webinars"),
            ("/podcasts/", "Podcasts"),
            ("/producten/", "Producten"),
            ("/voor/", "Producten per doelgroep"),
            ("/mijn-trainingen/", "Mijn trainingen"),
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
