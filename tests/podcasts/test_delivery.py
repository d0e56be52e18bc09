import uuid

import pytest

from podcasts.delivery import Unsatisfiable, parse_range

from .conftest import MEDIA, episode

pytestmark = pytest.mark.django_db

EP = "een-melding-in-het-zorg-en-veiligheidshuis"


def urls(page):
    key = f"{page.enclosure_uuid}.{page.audio_type}"
    return f"/podcasts/audio/{key}", f"/podcasts/bestand/{key}"


def body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("", None),
        ("bytes=0-99", (0, 99)),
        ("bytes=100-", (100, 999)),
        ("bytes=-100", (900, 999)),
        ("bytes=-5000", (0, 999)),
        ("bytes=900-5000", (900, 999)),
        ("bytes = 5 - 9", (5, 9)),
        ("bytes=0-1,5-9", None),  # several ranges: the whole file
        ("bytes=9-5", None),  # invalid: ignored
        ("items=0-9", None),
        ("bytes=abc", None),
        ("bytes=-", None),
        ("\x00\xff garbage", None),
    ],
)
def test_parse_range(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_unsatisfiable_ranges(header):
    with pytest.raises(Unsatisfiable):
        parse_range(header, 1000)


def test_enclosure_redirects_get_and_head_to_the_file(client, podcast_site):
    page = episode(EP)
    enclosure, file_url = urls(page)
    assert enclosure.endswith(".mp3")
    for method in (client.get, client.head):
        response = method(enclosure)
        assert response.status_code == 302
        assert response["Location"] == file_url
    assert client.post(enclosure).status_code == 405


def test_unknown_episode_wrong_extension_and_unpublished_give_404(client, podcast_site):
    page = episode(EP)
    enclosure, file_url = urls(page)
    assert client.get(f"/podcasts/audio/{uuid.uuid4()}.mp3").status_code == 404
    assert client.get(enclosure.replace(".mp3", ".m4a")).status_code == 404
    assert client.get(enclosure.replace(".mp3", ".ogg")).status_code == 404
    assert client.get("/podcasts/audio/not-a-uuid.mp3").status_code == 404
    page.unpublish()
    assert client.get(enclosure).status_code == 404
    assert client.get(file_url).status_code == 404


def test_whole_file_with_accept_ranges_and_content_type(client, podcast_site):
    page = episode(EP)
    raw = (MEDIA / "aflevering-3.mp3").read_bytes()
    response = client.get(urls(page)[1])
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/mpeg"
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Length"] == str(len(raw))
    assert body(response) == raw


def test_range_requests_get_206_with_content_range(client, podcast_site):
    page = episode(EP)
    raw = (MEDIA / "aflevering-3.mp3").read_bytes()
    size = len(raw)
    file_url = urls(page)[1]
    response = client.get(file_url, HTTP_RANGE="bytes=0-1")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-1/{size}"
    assert response["Content-Length"] == "2"
    assert body(response) == raw[:2]
    response = client.get(file_url, HTTP_RANGE="bytes=1000-")
    assert response["Content-Range"] == f"bytes 1000-{size - 1}/{size}"
    assert body(response) == raw[1000:]
    response = client.get(file_url, HTTP_RANGE="bytes=-500")
    assert body(response) == raw[-500:]
    response = client.get(file_url, HTTP_RANGE=f"bytes={size}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{size}"
    for garbage in ("bytes=x-y", "bytes=0-1,4-5", "nonsense", "bytes=99999999999999999999-"):
        response = client.get(file_url, HTTP_RANGE=garbage)
        assert response.status_code in (200, 416), garbage


def test_head_has_the_headers_and_no_body(client, podcast_site):
    page = episode(EP)
    size = page.audio_size
    response = client.head(urls(page)[1])
    assert response.status_code == 200
    assert response["Content-Length"] == str(size)
    assert response["Accept-Ranges"] == "bytes"
    assert response.content == b""
    response = client.head(urls(page)[1], HTTP_RANGE="bytes=0-99")
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes 0-99/{size}"


def test_conditional_and_if_range(client, podcast_site):
    page = episode(EP)
    file_url = urls(page)[1]
    etag = client.head(file_url)["ETag"]
    assert client.get(file_url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    stale = client.get(file_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"old"')
    assert stale.status_code == 200
    fresh = client.get(file_url, HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag)
    assert fresh.status_code == 206


def test_storage_mode_redirects_to_the_storage_url(client, podcast_site, settings):
    settings.PODCASTS_AUDIO_DELIVERY = "storage"
    page = episode(EP)
    response = client.get(urls(page)[0])
    assert response.status_code == 302
    assert response["Location"] == page.audio.file.url


def test_episode_page_player_uses_the_enclosure_url(client, podcast_site):
    page = episode(EP)
    html = client.get(page.url).content.decode()
    assert f'<audio controls preload="none" src="{urls(page)[0]}"' in html


def test_a_missing_audio_file_is_a_404_not_a_500(client, podcast_site):
    page = episode(EP)
    page.audio.file.storage.delete(page.audio.file.name)
    assert client.get(urls(page)[1]).status_code == 404
    assert client.get(urls(page)[1], HTTP_RANGE="bytes=0-99").status_code == 404


def test_a_podcast_app_asking_again_reads_no_page_and_an_unpublished_episode_is_gone_at_once(
    client, podcast_site
):
    """The episode behind an enclosure comes from the cache under the content stamp (an app
    asks for the same file many times, in chunks); unpublishing it moves the stamp."""
    from django.db import connection  # noqa: PLC0415
    from django.test.utils import CaptureQueriesContext  # noqa: PLC0415

    page = episode(EP)
    file_url = urls(page)[1]
    assert client.get(file_url, HTTP_RANGE="bytes=0-99").status_code == 206
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(file_url, HTTP_RANGE="bytes=100-199").status_code == 206
    assert not any("wagtailcore_page" in q["sql"] for q in ctx.captured_queries)
    page.unpublish()
    assert client.get(file_url, HTTP_RANGE="bytes=200-299").status_code == 404
