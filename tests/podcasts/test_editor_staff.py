"""Issue 18 item 4 for the podcast editor: exact durations, the next episode number, choosers
that offer only the files a field takes."""

import re

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.utils import translation
from wagtail.documents.models import Document

from podcasts.models import PodcastEpisodePage
from podcasts.selectors import duration_words, next_episode_number

pytestmark = pytest.mark.django_db


def test_duration_reads_minutes_and_seconds():
    with translation.override("nl"):
        assert duration_words(76) == "1 min 16 s"
        assert duration_words(60) == "1 min"
        assert duration_words(9) == "9 s"
        assert duration_words(3725) == "1 uur 2 min 5 s"
        assert duration_words(0) == "0 s"


def test_a_new_episode_suggests_the_next_number(client, show):
    numbers = PodcastEpisodePage.objects.child_of(show).values_list("episode_number", flat=True)
    highest = max(n for n in numbers if n)
    assert next_episode_number(show_id=show.pk) == highest + 1
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    html = client.get(f"/admin/pages/add/podcasts/podcastepisodepage/{show.pk}/").content.decode()
    field = re.search(r'<input[^>]*name="episode_number"[^>]*>', html).group(0)
    assert f'value="{highest + 1}"' in field


def _filenames(client, url):
    """The file names a chooser lists (its results table's download column)."""
    response = client.get(url)
    assert response.status_code == 200
    json = response["Content-Type"].startswith("application/json")
    html = response.json()["html"] if json else response.content.decode()
    return set(re.findall(r'href="/documents/\d+/([^"]+)"', html))


def test_the_audio_and_transcript_choosers_offer_only_their_files(client, show, role_user):
    Document.objects.create(
        title="Jaarverslag", file=ContentFile(b"%PDF-1.4", name="jaarverslag.pdf")
    )
    Document.objects.create(title="Interview", file=ContentFile(b"ID3", name="interview.MP3"))
    client.force_login(role_user("Communicatie"))
    everything = _filenames(client, "/admin/documents/chooser/results/?q=Jaarverslag")
    assert [name[:11] for name in everything] == ["jaarverslag"]  # Wagtail's own: all files

    audio = _filenames(client, "/admin/podcasts/kies-audio/")
    assert audio and all(name.lower().endswith((".mp3", ".m4a")) for name in audio)
    assert any(name.startswith("interview") for name in audio)  # any case of the extension
    transcripts = _filenames(client, "/admin/podcasts/kies-transcript/")
    assert transcripts and all(name.endswith((".vtt", ".srt")) for name in transcripts)
    assert _filenames(client, "/admin/podcasts/kies-transcript/results/?q=Jaarverslag") == set()

    html = client.get(f"/admin/pages/add/podcasts/podcastepisodepage/{show.pk}/").content.decode()
    assert "/admin/podcasts/kies-audio/" in html and "/admin/podcasts/kies-transcript/" in html
    assert "Kies een audiobestand" in html and "Kies een transcript" in html
