"""Issue 11 (web side) for podcasts: privacy of feed and enclosures, hostile headers and files."""

import pytest
from django.utils import translation
from wagtail.models import PageViewRestriction

from podcasts import audio
from podcasts.models import PodcastShowPage

from .conftest import episode
from .test_delivery import EP, body, urls

FEED = "/podcasts/samen-veilig/feed/"


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["episode", "show"])
def test_restricted_episodes_are_neither_in_the_feed_nor_delivered(client, podcast_site, where):
    page = episode(EP)
    target = page if where == "episode" else PodcastShowPage.objects.get(pk=podcast_site.pk)
    PageViewRestriction.objects.create(page=target, restriction_type="login")
    enclosure, file_url = urls(page)
    assert client.get(enclosure).status_code == 404
    assert client.get(file_url).status_code == 404
    feed = client.get(FEED)
    if where == "show":
        assert feed.status_code == 302  # Wagtail sends visitors to the login
    else:
        assert feed.status_code == 200
        assert str(page.enclosure_uuid) not in feed.content.decode()


# ----- item 10: a Range header with thousands of digits ---------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("header", "status"),
    [
        ("bytes=" + "9" * 5000 + "-", 416),
        ("bytes=" + "9" * 5000 + "-" + "9" * 5001, 416),
        ("bytes=0-" + "9" * 5000, 206),  # to the end of the file
        ("bytes=-" + "9" * 5000, 206),  # the last "huge" bytes: the whole file
    ],
)
def test_range_with_thousands_of_digits(client, podcast_site, header, status):
    page = episode(EP)
    response = client.get(urls(page)[1], HTTP_RANGE=header)
    assert response.status_code == status
    if status == 416:
        assert response["Content-Range"] == f"bytes */{page.audio_size}"
    else:
        assert len(body(response)) == page.audio_size
    # the counting enclosure (storage delivery parses the same header) does not fail either
    assert client.get(urls(page)[0], HTTP_RANGE=header).status_code == 302


# ----- item 10: transcripts with huge time stamps, chapters nested thousands deep ----------------


@pytest.mark.parametrize(
    "raw",
    [
        "WEBVTT\n\n" + "9" * 400 + ":00:00.000 --> 00:00:01.000\nHallo\n",
        "WEBVTT\n\n" + "9" * 5000 + ":00:00.000 --> 00:00:01.000\nHallo\n",
        "WEBVTT\n\n99999999:00:00.000 --> 00:00:01.000\nHallo\n",
    ],
)
def test_transcript_with_huge_time_stamps_gets_a_dutch_field_error(raw):
    with translation.override("nl"), pytest.raises(audio.FileCheckError) as caught:
        audio.parse_transcript(raw.encode(), name="a.vtt")
    assert "tijd" in str(caught.value)


@pytest.mark.parametrize(
    "raw",
    [
        b'{"version": "1", "chapters": ' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"version": "1", "chapters": [{"startTime": 0, "x": '
        + b'{"a": ' * 3000
        + b"1"
        + b"}" * 3001
        + b"]}",
        b'{"version": "1", "chapters": [{"startTime": 1e300}]}',
    ],
)
def test_chapters_nested_thousands_deep_or_huge_get_a_dutch_field_error(raw):
    with translation.override("nl"), pytest.raises(audio.FileCheckError) as caught:
        audio.check_chapters(raw, name="h.json")
    assert "hoofdstuk" in str(caught.value).lower()
