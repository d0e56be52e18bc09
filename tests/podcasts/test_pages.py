import datetime as dt
import io

import html5lib
import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from django.utils.translation import gettext, ngettext
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import nested_form_data, rich_text

from outreach import demo as outreach_demo
from podcasts.models import PodcastEpisodePage, PodcastShowPage
from website.cards import collect_cards

from .conftest import MEDIA, add_episodes, episode

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm caches (site, routes, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_overview_show_and_episode_pages_render_valid_html(client, podcast_site):
    for url in (
        "/podcasts/",
        podcast_site.url,
        episode("een-melding-in-het-zorg-en-veiligheidshuis").url,
        episode("polarisatie-in-de-wijk").url,
    ):
        response = client.get(url)
        assert response.status_code == 200
        assert response.content.decode().count("<h1") == 1
        html5lib.HTMLParser(strict=True).parse(response.content)


def test_episode_page_has_player_transcript_show_notes_and_subscribe_links(client, podcast_site):
    page = episode("een-melding-in-het-zorg-en-veiligheidshuis")
    html = client.get(page.url).content.decode()
    assert "<audio controls" in html and 'aria-labelledby="player-label"' in html
    assert (
        "Casusregisseur: Bij een melding over radicalisering kijken we eerst samen met de "
        "gemeente en de politie wat er al bekend is." in html
    )
    assert "Van melding tot plan" in html
    assert '<time datetime="PT20S">0:20</time> Een melding komt binnen' in html
    assert 'href="https://antennapod.org/deeplink/subscribe?url=http://testserver/podcasts/' in html
    srt = client.get(episode("polarisatie-in-de-wijk").url).content.decode()
    assert "Polarisatie in de wijk begint vaak met kleine incidenten." in srt


def test_overview_lists_the_show_with_its_number_of_episodes(client, podcast_site):
    html = client.get("/podcasts/").content.decode()
    assert podcast_site.title in html
    assert 'href="http://testserver/podcasts/samen-veilig/feed/"' in html
    with translation.override("nl"):
        label = ngettext("%(counter)s episode", "%(counter)s episodes", 4) % {"counter": 4}
    assert label in html


def test_episodes_are_cards_on_products_target_group_theme_pages_and_search(client, podcast_site):
    outreach_demo.seed()
    cards = collect_cards(kinds=["episode"])
    assert {c.title for c in cards} == {p.title for p in PodcastEpisodePage.objects.all()}
    assert all(c.kind == "episode" and c.url.startswith("/podcasts/") for c in cards)
    assert "Samen Veilig, de podcast" in cards[0].meta
    products = client.get("/producten/?type=episode").content.decode()
    assert "Als een leerling ineens andere taal gebruikt" in products
    assert "Signalen van radicalisering herkennen" not in products
    group = client.get("/voor/onderwijs/").content.decode()
    assert "Als een leerling ineens andere taal gebruikt" in group
    assert "Een melding in het Zorg- en Veiligheidshuis" not in group
    theme = client.get("/thema/polarisatie/").content.decode()
    assert "Polarisatie in de wijk" in theme
    assert "Een melding in het Zorg- en Veiligheidshuis" not in theme
    found = client.get("/zoeken/?q=casusregisseur").content.decode()
    assert "Een melding in het Zorg- en Veiligheidshuis" in found
    with translation.override("nl"):
        assert gettext("Podcast episode") in found
    assert "Een casusregisseur neemt u mee van melding tot plan van aanpak." in found
    found = client.get("/zoeken/?q=podcast").content.decode()
    results = found[found.index("<main") :]
    assert results.index('href="/podcasts/samen-veilig/"') < results.index('href="/podcasts/"')
    episode_page = client.get(episode("taal-in-de-klas").url).content.decode()
    assert 'href="/voor/onderwijs/">' in episode_page


def test_future_and_unpublished_episodes_are_not_cards(podcast_site):
    future, draft = add_episodes(podcast_site, 2)
    future.publication_date = timezone.now() + dt.timedelta(days=1)
    future.save_revision().publish()
    draft.unpublish()
    titles = {c.title for c in collect_cards(kinds=["episode"])}
    assert future.title not in titles and draft.title not in titles


def test_page_query_counts_do_not_grow_with_the_number_of_episodes(client, podcast_site):
    ep = episode("taal-in-de-klas")
    urls = ["/podcasts/", podcast_site.url, ep.url]
    add_episodes(podcast_site, 6)
    small = [_queries(client, u) for u in urls]
    add_episodes(podcast_site, 90, start=6)
    large = [_queries(client, u) for u in urls]
    assert small == large, (small, large)
    print(f"queries (index, show, episode) with 10 episodes: {small}, with 100: {large}")


def _document(name, content):
    Document = get_document_model()
    doc = Document(title=name)
    doc.file.save(name, ContentFile(content), save=True)
    return doc


def _episode_form(**overrides):
    data = {
        "title": "Nieuwe aflevering",
        "slug": "nieuwe-aflevering",
        "summary": "Samenvatting",
        "show_notes": rich_text("<p>Notities</p>"),
        "audio": "",
        "transcript": "",
        "chapters": "",
        "publication_date": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "season": "",
        "episode_number": "4",
        "episode_type": "full",
        "guests": "",
        "target_groups": [],
        "tags": "radicalisering",
    }
    data.update(overrides)
    return nested_form_data(data)


def test_editor_gets_clear_messages_for_wrong_files(client, podcast_site):
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    fake_mp3 = _document("nep.mp3", b"%PDF-1.4 this is not audio")
    pdf = _document("notities.pdf", b"%PDF-1.4")
    bad_vtt = _document("tekst.vtt", b"Geen WebVTT")
    bad_json = _document("hoofdstukken.json", b"{not json")
    url = f"/admin/pages/add/podcasts/podcastepisodepage/{podcast_site.pk}/"
    cases = [
        ({"audio": pdf.pk}, "Upload the audio as an MP3 (.mp3) or M4A (.m4a) file."),
        ({"audio": fake_mp3.pk}, "This file is not a playable %(type)s audio file."),
        ({"transcript": bad_vtt.pk}, "A WebVTT file starts with the word WEBVTT."),
        ({"transcript": pdf.pk}, "Upload the transcript as a WebVTT (.vtt) or SRT (.srt) file."),
        ({"chapters": bad_json.pk}, "The chapters file is not valid JSON."),
    ]
    audio = episode("trailer").audio
    for overrides, message in cases:
        fields = {"audio": audio.pk, **overrides}
        response = client.post(url, _episode_form(**fields))
        assert response.status_code == 200, overrides
        with translation.override("nl"):
            expected = gettext(message)
        if "%(type)s" in expected:
            expected = expected % {"type": "MP3"}
        html = response.content.decode()
        assert expected.replace('"', "&quot;") in html or expected in html, (overrides, expected)
    assert not PodcastEpisodePage.objects.filter(slug="nieuwe-aflevering").exists()


def test_editor_creates_an_episode_and_the_facts_come_from_the_files(client, podcast_site):
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    audio = _document("nieuw.mp3", (MEDIA / "aflevering-1.mp3").read_bytes())
    transcript = _document("nieuw.srt", (MEDIA / "aflevering-2.srt").read_bytes())
    url = f"/admin/pages/add/podcasts/podcastepisodepage/{podcast_site.pk}/"
    response = client.post(
        url, _episode_form(audio=audio.pk, transcript=transcript.pk, **{"action-publish": "1"})
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = PodcastEpisodePage.objects.get(slug="nieuwe-aflevering")
    assert page.live
    assert (page.audio_type, page.audio_size, page.audio_duration) == ("mp3", 16447, 9)
    assert page.transcript_type == "srt"
    assert "kleine incidenten" in page.transcript_text


def test_published_episode_keeps_its_audio_type(podcast_site):
    page = episode("trailer")
    page.audio = _document("ander.m4a", b"\x00\x00\x00\x18ftypM4A ")
    with pytest.raises(ValidationError):
        page.full_clean()


def _image(width, height, fmt="PNG"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (width, height), (0, 64, 110)).save(buffer, fmt)
    name = f"art-{width}x{height}.{fmt.lower()}"
    return get_image_model().objects.create(
        title=name, file=ImageFile(io.BytesIO(buffer.getvalue()), name=name)
    )


def test_show_artwork_must_be_square_and_large_enough(podcast_site):
    show = PodcastShowPage.objects.get(pk=podcast_site.pk)
    for image in (_image(1400, 1000), _image(600, 600), _image(1400, 1400, "GIF")):
        show.artwork = image
        with pytest.raises(ValidationError) as error:
            show.clean()
        assert "artwork" in error.value.message_dict
    show.artwork = _image(3200, 3200, "JPEG")
    show.clean()
    assert show.feed_rendition_spec == "fill-3000x3000"


def test_rendered_podcast_listings_come_from_the_fragment_cache_until_a_publish(
    client, podcast_site, settings
):
    """Rendered again (an editor, a visitor with a session), the overview and the show
    page build no list of shows or episodes; a new episode shows at once."""
    settings.PODCASTS_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    for url in ("/podcasts/", podcast_site.url):
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        assert not any("podcasts_podcastepisodepage" in q["sql"] for q in ctx.captured_queries), (
            url,
            [q["sql"][:300] for q in ctx.captured_queries if "podcastepisodepage" in q["sql"]],
        )
    overview = client.get("/podcasts/").content.decode()
    assert "4 afleveringen" in overview
    add_episodes(podcast_site, 1)
    assert "5 afleveringen" in client.get("/podcasts/").content.decode()
    assert "Extra aflevering 0" in client.get(podcast_site.url).content.decode()


def test_a_rendered_episode_comes_from_the_fragment_cache_until_a_change(
    client, podcast_site, settings
):
    settings.PODCASTS_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    ep = episode("taal-in-de-klas")
    first = client.get(ep.url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(ep.url).content.decode() == first
    assert not any("podcasts_episodetag" in q["sql"] for q in ctx.captured_queries)
    assert not any("podcasts_podcastshowpage" in q["sql"] for q in ctx.captured_queries)
    ep.summary = "Een nieuwe samenvatting van deze aflevering"
    ep.tags.add("gloednieuw-thema")
    ep.save_revision().publish()
    html = client.get(ep.url).content.decode()
    assert "Een nieuwe samenvatting van deze aflevering" in html
    assert "/thema/gloednieuw-thema/" in html
