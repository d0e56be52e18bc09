import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone

from podcasts import demo
from podcasts.factories import PodcastEpisodePageFactory
from podcasts.models import PodcastEpisodePage

MEDIA = Path(__file__).resolve().parents[2] / "podcasts" / "demo_media"
APPLE_UA = "Podcasts/1650.20 CFNetwork/1333.0.4 Darwin/21.5.0"
BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def podcast_site(site_home):
    return demo.seed()


@pytest.fixture
def show(podcast_site):
    return podcast_site


def episode(slug):
    return PodcastEpisodePage.objects.get(slug=slug)


def add_episodes(show, n, *, start=0, notes="<p>Aflevering</p>"):
    """Add ``n`` published episodes re-using the demo audio and transcript."""

    template = PodcastEpisodePage.objects.get(slug="taal-in-de-klas")
    return [
        PodcastEpisodePageFactory(
            parent=show,
            title=f"Extra aflevering {i}",
            slug=f"extra-aflevering-{i}",
            show_notes=notes,
            audio=template.audio,
            transcript=template.transcript,
            publication_date=timezone.now() - dt.timedelta(days=50 + i),
            episode_number=100 + i,
            season=2,
        )
        for i in range(start, start + n)
    ]
