"""Demo content: the podcast overview at /podcasts/ and one show with a trailer and three
episodes, each with a real (generated, tiny) MP3 and a transcript. Idempotent by slug."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from website.demo import (
    demo_document,
    demo_image,
    ensure_home,
    ensure_root_collection,
    rich,
    upsert_child,
)
from website.models import TargetGroup

from .models import PodcastEpisodePage, PodcastIndexPage, PodcastShowPage

MEDIA = Path(__file__).parent / "demo_media"

EPISODES = [
    {
        "slug": "trailer",
        "title": "Trailer: Samen Veilig, de podcast",
        "summary": "Waar gaat deze podcast over en voor wie maken we hem?",
        "notes": rich(
            "In <b>Samen Veilig</b> spreken we professionals uit Noord-Holland over "
            "radicalisering, polarisatie en extremisme.",
        ),
        "audio": "trailer.mp3",
        "transcript": "trailer.vtt",
        "days_ago": 40,
        "episode_type": "trailer",
        "number": None,
        "groups": None,
        "themes": ["Radicalisering"],
        "guests": "",
    },
    {
        "slug": "taal-in-de-klas",
        "title": "Als een leerling ineens andere taal gebruikt",
        "summary": "Een docent en een zorgcoördinator over signalen in de klas: vragen "
        "stellen, niet oordelen, en op tijd overleggen.",
        "notes": rich(
            "Wat doet u als een leerling extreme uitspraken doet? In deze aflevering:",
        )
        + "<ul><li>signalen duiden zonder te stigmatiseren</li>"
        "<li>het gesprek met de leerling en de ouders</li>"
        '<li>wanneer u het <a href="https://www.zorgenveiligheidshuis.nl/">Zorg- en '
        "Veiligheidshuis</a> inschakelt</li></ul>",
        "audio": "aflevering-1.mp3",
        "transcript": "aflevering-1.vtt",
        "days_ago": 30,
        "episode_type": "full",
        "number": 1,
        "groups": ["onderwijs", "sociaal-domein"],
        "themes": ["Signalen", "Polarisatie"],
        "guests": "Docent maatschappijleer\nZorgcoördinator voortgezet onderwijs",
    },
    {
        "slug": "polarisatie-in-de-wijk",
        "title": "Polarisatie in de wijk",
        "summary": "Een wijkteam over spanningen tussen bewoners en hoe je het gesprek "
        "gaande houdt.",
        "notes": rich(
            "Polarisatie begint vaak klein. Het wijkteam vertelt hoe zij spanningen "
            "signaleren en met partners bespreken."
        ),
        "audio": "aflevering-2.mp3",
        "transcript": "aflevering-2.srt",
        "days_ago": 20,
        "episode_type": "full",
        "number": 2,
        "groups": ["sociaal-domein", "gemeenten"],
        "themes": ["Polarisatie"],
        "guests": "Wijkteammedewerker",
    },
    {
        "slug": "een-melding-in-het-zorg-en-veiligheidshuis",
        "title": "Een melding in het Zorg- en Veiligheidshuis",
        "summary": "Een casusregisseur neemt u mee van melding tot plan van aanpak.",
        "notes": rich(
            "Van melding tot plan: hoe gemeente, politie en zorg samen optrekken bij "
            "zorgen over radicalisering."
        ),
        "audio": "aflevering-3.mp3",
        "transcript": "aflevering-3.vtt",
        "chapters": "aflevering-3-hoofdstukken.json",
        "days_ago": 5,
        "episode_type": "full",
        "number": 3,
        "groups": ["zorg-en-veiligheidshuizen", "gemeenten", "politie-om", "zorg"],
        "themes": ["Radicalisering", "Signalen"],
        "guests": "Casusregisseur Zorg- en Veiligheidshuis",
    },
]


def _document(title: str, filename: str):
    return demo_document(title, MEDIA / filename)


def _image(title: str, filename: str):
    return demo_image(title, MEDIA / filename)


@transaction.atomic
def seed(*, scale: int = 1, stdout=None):
    home = ensure_home()
    ensure_root_collection()
    groups = {g.slug: g for g in TargetGroup.objects.all()}
    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    overview = upsert_child(
        home,
        PodcastIndexPage,
        "podcasts",
        title="Podcasts",
        intro="Gesprekken met professionals uit Noord-Holland over radicalisering, "
        "polarisatie en extremisme. Luister hier of in uw eigen podcastapp.",
    )
    show = upsert_child(
        overview,
        PodcastShowPage,
        "samen-veilig",
        title="Samen Veilig, de podcast",
        description="Professionals uit de 32 gemeenten van Noord-Holland Noord, Kennemerland "
        "en Zaanstreek-Waterland vertellen hoe zij radicalisering en polarisatie "
        "herkennen en aanpakken, en wat zij van elkaar leren.",
        artwork=_image("Podcast Samen Veilig: artwork", "artwork.png"),
        category="Government",
        author="Noord-Holland Samen Veilig, project CTER",
        owner_name="Communicatie Samen Veilig CTER",
        owner_email="communicatie@cter.example.nl",
        copyright=f"© {now.year} Noord-Holland Samen Veilig",
    )
    made = []
    for n in range(scale):
        suffix = f"-{n + 1}" if n else ""
        for spec in EPISODES:
            fields = {
                "title": spec["title"] + (f" ({n + 1})" if n else ""),
                "summary": spec["summary"],
                "show_notes": spec["notes"],
                "audio": _document(f"Podcast: {spec['slug']} (audio)", spec["audio"]),
                "transcript": _document(
                    f"Podcast: {spec['slug']} (transcript)", spec["transcript"]
                ),
                "publication_date": now - dt.timedelta(days=spec["days_ago"] + n),
                "episode_type": spec["episode_type"],
                "season": 1 if spec["number"] else None,
                "episode_number": spec["number"],
                "guests": spec["guests"],
            }
            if spec.get("chapters"):
                fields["chapters"] = _document(
                    f"Podcast: {spec['slug']} (hoofdstukken)", spec["chapters"]
                )
            episode = upsert_child(show, PodcastEpisodePage, spec["slug"] + suffix, **fields)
            wanted = spec["groups"] or list(groups)
            episode.target_groups.set([groups[s] for s in wanted if s in groups])
            episode.tags.set(spec["themes"])
            episode.save_revision().publish()
            made.append(episode)
    if stdout:
        stdout.write(f"Podcasts: 1 show, {len(made)} episodes")
    return show
