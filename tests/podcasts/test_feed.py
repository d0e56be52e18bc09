import datetime as dt
import uuid
import xml.etree.ElementTree as ET

import feedparser
import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from wagtail.images import get_image_model

from outreach.models import ReachCount
from podcasts import services, views
from podcasts.feeds import clean_show_notes
from podcasts.models import PodcastEpisodePage, PodcastShowPage
from website import routing

from .conftest import add_episodes, episode

pytestmark = pytest.mark.django_db
FEED = "/podcasts/samen-veilig/feed/"


def get_feed(client, **headers):
    response = client.get(FEED, **headers)
    assert response.status_code == 200
    return response


def test_feed_parses_without_errors_and_has_every_tag_apple_requires(client, show):
    response = get_feed(client)
    assert response["Content-Type"] == "application/rss+xml; charset=utf-8"
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    channel = parsed.feed
    assert channel.title == "Samen Veilig, de podcast"
    assert channel.link == "http://testserver/podcasts/samen-veilig/"
    assert channel.language == "nl"
    assert channel.image.href.startswith("http://testserver/media/images/")
    assert "fill-1400x1400" in channel.image.href
    assert channel.tags[0].term == "Government"
    assert channel.publisher_detail.email == "communicatie@cter.example.nl"
    assert channel.itunes_type == "episodic"
    root = ET.fromstring(response.content)  # noqa: S314 (our own feed)
    it = "{http://www.itunes.com/dtds/podcast-1.0.dtd}"
    pc = "{https://podcastindex.org/namespace/1.0}"
    xml_channel = root.find("channel")
    for tag in ("title", "description", "language", "link"):
        assert xml_channel.findtext(tag)
    for tag in ("image", "category", "explicit", "author", "owner", "type"):
        assert xml_channel.find(it + tag) is not None, tag
    assert xml_channel.findtext(it + "explicit") == "false"
    assert xml_channel.find(it + "category").get("text") == "Government"
    assert xml_channel.find(it + "image").get("href") == channel.image.href
    assert xml_channel.find(pc + "locked").text == "yes"
    assert xml_channel.findtext(it + "author") == "Noord-Holland Samen Veilig, project CTER"
    assert xml_channel.find(it + "owner").findtext(it + "name") == "Communicatie Samen Veilig CTER"
    for item in xml_channel.iter("item"):
        for tag in ("title", "enclosure", "guid", "pubDate", "description"):
            assert item.find(tag) is not None, tag
        for tag in ("duration", "episodeType", "explicit"):
            assert item.find(it + tag) is not None, tag
    expected_guid = uuid.uuid5(
        uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6"), "testserver/podcasts/samen-veilig/feed"
    )
    assert channel.podcast_guid == str(expected_guid)
    assert [e.title for e in parsed.entries] == [
        "Een melding in het Zorg- en Veiligheidshuis",
        "Polarisatie in de wijk",
        "Als een leerling ineens andere taal gebruikt",
        "Trailer: Samen Veilig, de podcast",
    ]
    for entry in parsed.entries:
        page = PodcastEpisodePage.objects.get(title=entry.title)
        enclosure = entry.enclosures[0]
        assert enclosure.href == (
            f"http://testserver/podcasts/audio/{page.enclosure_uuid}.{page.audio_type}"
        )
        assert int(enclosure.length) == page.audio.file.size
        assert enclosure.type == "audio/mpeg"
        assert entry.id == str(page.enclosure_uuid)
        assert entry.guidislink is False
        assert entry.published_parsed
        assert int(entry.itunes_duration) == page.audio_duration > 0
        assert entry.itunes_episodetype in {"full", "trailer"}
        assert entry.link.startswith("http://testserver/podcasts/samen-veilig/")
    first = parsed.entries[0]
    assert first.itunes_episode == "3" and first.itunes_season == "1"
    assert int(first.itunes_duration) == 76  # 75.2 s, rounded up
    assert parsed.entries[-1].itunes_episodetype == "trailer"


def test_apple_category_with_subcategory(client, show):
    show.category = "Society & Culture > Documentary"
    show.save_revision().publish()
    body = get_feed(client).content.decode()
    assert (
        '<itunes:category text="Society &amp; Culture">\n'
        '      <itunes:category text="Documentary" />\n'
        "    </itunes:category>" in body
    )
    parsed = feedparser.parse(body)
    assert [t.term for t in parsed.feed.tags] == ["Society & Culture", "Documentary"]


def test_podcasting_2_tags_transcript_chapters_and_guests(client, show):
    body = get_feed(client).content.decode()
    ep3 = episode("een-melding-in-het-zorg-en-veiligheidshuis")
    ep2 = episode("polarisatie-in-de-wijk")
    assert (
        f'<podcast:transcript url="http://testserver{ep3.transcript.url}" type="text/vtt" '
        'language="nl" rel="captions" />' in body
    )
    assert f'url="http://testserver{ep2.transcript.url}" type="application/x-subrip"' in body
    assert f'<podcast:chapters url="http://testserver{ep3.chapters.url}"' in body
    assert 'type="application/json+chapters"' in body
    assert (
        '<podcast:person role="guest">Casusregisseur Zorg- en Veiligheidshuis</podcast:person>'
        in body
    )


def test_only_live_episodes_with_a_past_publication_date_newest_first(client, show):
    future, draft = add_episodes(show, 2)
    future.publication_date = timezone.now() + dt.timedelta(days=2)
    future.save_revision().publish()
    draft.unpublish()
    titles = [e.title for e in feedparser.parse(get_feed(client).content).entries]
    assert future.title not in titles and draft.title not in titles
    assert len(titles) == 4
    # once the publication time has come the cached feed shows it without a write
    later = timezone.now() + dt.timedelta(days=3)

    original = timezone.now
    try:
        views.timezone.now = lambda: later
        titles = [e.title for e in feedparser.parse(get_feed(client).content).entries]
    finally:
        views.timezone.now = original
    assert titles[0] == future.title


def test_show_notes_are_sanitised_for_podcast_apps():
    dirty = (
        '<p style="color:red" onclick="steal()">Hallo <b>wereld</b> <i>nu</i></p>'
        "<script>alert('x')</script><style>p{}</style>"
        '<h2 id="kop">Kop</h2><img src=x onerror="alert(1)">'
        '<a href="javascript:alert(1)">slecht</a> <a href="/podcasts/" target="_blank" '
        'onmouseover="x()">goed</a><ul><li>een</li></ul><iframe src="https://evil"></iframe>'
    )
    clean = clean_show_notes(dirty, base_url="https://cter.example.nl")
    assert clean == (
        "<p>Hallo <strong>wereld</strong> <em>nu</em></p>"
        "<p><strong>Kop</strong></p><a>slecht</a> "
        '<a href="https://cter.example.nl/podcasts/">goed</a><ul><li>een</li></ul>'
    )
    for bad in ("script", "alert", "onclick", "style", "onerror", "<img", "iframe", "target"):
        assert bad not in clean


def test_show_notes_in_the_feed_are_sanitised(client, show):
    page = episode("taal-in-de-klas")
    page.show_notes = '<p onclick="x()">Let op</p><script>alert(1)</script>'
    page.save_revision().publish()
    parsed = feedparser.parse(get_feed(client).content)
    entry = next(e for e in parsed.entries if e.title == page.title)
    encoded = entry.content[0].value
    assert encoded == "<p>Let op</p>"


def test_conditional_requests_get_304_and_changes_a_new_etag(client, show):
    first = get_feed(client)
    etag, last_modified = first["ETag"], first["Last-Modified"]
    assert etag and last_modified
    assert client.get(FEED, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(FEED, HTTP_IF_MODIFIED_SINCE=last_modified).status_code == 304
    page = episode("taal-in-de-klas")
    page.title = "Een nieuwe titel"
    page.save_revision().publish()
    changed = client.get(FEED, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert b"Een nieuwe titel" in changed.content
    page.unpublish()
    gone = get_feed(client)
    assert b"Een nieuwe titel" not in gone.content


def test_the_feed_is_shared_from_the_page_cache_answers_304_and_is_not_a_page_view(
    client, show, settings
):
    settings.PAGE_CACHE_SECONDS = 300
    ua = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Chrome/131.0 Safari/537.36"}
    first = client.get(FEED, **ua)
    assert first["X-Page-Cache"] == "miss"
    with CaptureQueriesContext(connection) as ctx:
        hit = client.get(FEED, **ua)
    assert hit["X-Page-Cache"] == "hit" and hit.content == first.content
    assert hit["Content-Type"] == "application/rss+xml; charset=utf-8"
    assert len(ctx) == 1  # the content stamp
    again = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"], **ua)
    assert again.status_code == 304 and again.content == b""
    since = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"], **ua)
    assert since.status_code == 304
    assert not ReachCount.objects.filter(object_id=show.pk).exists()
    # the show page itself is a page view
    client.get(show.url, **ua)
    assert ReachCount.objects.filter(object_id=show.pk, kind="view").exists()


def test_feed_query_count_does_not_grow_with_the_number_of_episodes(client, show):
    def measure():
        cache.clear()
        with CaptureQueriesContext(connection) as ctx:
            response = get_feed(client)
        return len(ctx), len(feedparser.parse(response.content).entries)

    add_episodes(show, 26)
    measure()  # the first build makes the artwork rendition
    small, n_small = measure()
    add_episodes(show, 270, start=26)
    large, n_large = measure()
    assert (n_small, n_large) == (30, 300)
    assert small == large, (small, large)
    print(f"feed queries, uncached: {small} with 30 and {large} with 300 episodes")


def test_podcast_guid_is_fixed_once_published(client, show):
    show.refresh_from_db()
    guid = show.podcast_guid
    assert guid == services.podcast_guid_for("http://testserver/podcasts/samen-veilig/feed/")
    show.slug = "nieuwe-naam"
    show.save_revision().publish()
    show.refresh_from_db()
    assert show.podcast_guid == guid
    body = client.get("/podcasts/nieuwe-naam/feed/").content.decode()
    assert f"<podcast:guid>{guid}</podcast:guid>" in body
    assert services.podcast_guid_for("https://example.com/feed/") == services.podcast_guid_for(
        "http://example.com/feed"
    )


def test_item_guid_and_enclosure_url_survive_edits(client, show):
    page = episode("taal-in-de-klas")
    before = (page.enclosure_uuid, page.audio_type)
    page.title = "Anders"
    page.slug = "anders"
    page.save_revision().publish()
    page.refresh_from_db()
    assert (page.enclosure_uuid, page.audio_type) == before
    copy = page.copy(update_attrs={"slug": "kopie", "title": "Kopie"})
    assert copy.enclosure_uuid != page.enclosure_uuid


def test_alternate_link_on_show_and_episode_pages(client, show):
    link = (
        '<link rel="alternate" type="application/rss+xml" title="Samen Veilig, de podcast" '
        'href="http://testserver/podcasts/samen-veilig/feed/">'
    )
    assert link in client.get(show.url).content.decode()
    assert link in client.get(episode("taal-in-de-klas").url).content.decode()


def test_unpublished_show_has_no_feed(client, show):
    PodcastShowPage.objects.get(pk=show.pk).unpublish()
    assert client.get(FEED).status_code == 404


def test_a_cache_outage_still_serves_the_feed(client, show, monkeypatch):
    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = get

    monkeypatch.setattr(routing, "cache", BrokenCache())
    response = get_feed(client)
    assert not feedparser.parse(response.content).bozo


def test_the_artwork_rendition_is_built_once(client, show, monkeypatch):
    """A rebuilt feed (after any publish) finds the stored rendition instead of decoding
    and resizing the 1400-3000 px artwork again."""

    get_feed(client)
    cache.clear()
    built = []
    image_model = get_image_model()
    original = image_model.generate_rendition_file

    def counting(self, *args, **kwargs):
        built.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(image_model, "generate_rendition_file", counting)
    get_feed(client)
    assert built == []


def test_a_routed_feed_reads_no_page_and_an_unpublished_show_loses_it_at_once(client, show):
    """The feed is a sub-route of the show: the route to the show is cached (the feed is
    routed by the show itself on every request)."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    url = show.url + "feed/"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    assert not any("wagtailcore_page" in q["sql"] for q in ctx.captured_queries)
    show.unpublish()
    assert client.get(url).status_code == 404
