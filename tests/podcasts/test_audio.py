import io

import pytest

from podcasts import audio

from .conftest import MEDIA


def test_mp3_facts_are_read_from_the_file():
    with open(MEDIA / "aflevering-1.mp3", "rb") as handle:
        facts = audio.inspect_audio(handle, name="x.MP3")
    assert (facts.extension, facts.mime_type) == ("mp3", "audio/mpeg")
    assert facts.size == 16447 and facts.duration == 9
    assert facts.threshold == facts.size  # shorter than a minute: the whole file


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"%PDF-1.4", "notes.pdf"),
        (b"not audio at all" * 100, "fake.mp3"),
        (b"\x00\x00\x00\x18ftypM4A " + b"\x00" * 50, "broken.m4a"),
        ((MEDIA / "aflevering-1.mp3").read_bytes(), "renamed.m4a"),  # an MP3 named .m4a
    ],
)
def test_files_that_are_not_mp3_or_m4a_audio_are_refused(content, name):
    with pytest.raises(audio.FileCheckError):
        audio.inspect_audio(io.BytesIO(content), name=name)


def test_webvtt_with_voices_becomes_paragraphs_per_speaker():
    kind, cues = audio.parse_transcript((MEDIA / "aflevering-1.vtt").read_bytes(), name="a.vtt")
    assert kind == "vtt"
    assert cues[0] == (
        0,
        "Presentator",
        "Vandaag: wat doe je als een leerling ineens heel andere taal gebruikt?",
    )
    assert audio.readable_transcript(cues) == (
        "Presentator: Vandaag: wat doe je als een leerling ineens heel andere taal gebruikt?"
        "\n\nDocent: Ik begin altijd met vragen stellen, niet met oordelen. "
        "En ik bespreek het met de zorgcoördinator."
    )


def test_srt_with_crlf_and_bom():
    raw = "\ufeff1\r\n00:00:01,500 --> 00:00:03,000\r\n<i>Hallo</i> wereld\r\n\r\n".encode()
    kind, cues = audio.parse_transcript(raw, name="a.srt")
    assert (kind, cues) == ("srt", [(1, "", "Hallo wereld")])


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        (b"WEBVTT\n\n", "leeg.vtt"),
        (b"geen kop\n\n00:00.000 --> 00:01.000\nHoi", "a.vtt"),
        (b"\xff\xfe\x00", "a.srt"),
        (b"WEBVTT", "a.txt"),
    ],
)
def test_bad_transcripts_are_refused(raw, name):
    with pytest.raises(audio.FileCheckError):
        audio.parse_transcript(raw, name=name)


def test_chapters():
    raw = (MEDIA / "aflevering-3-hoofdstukken.json").read_bytes()
    assert audio.check_chapters(raw, name="h.json")[1] == [20, "Een melding komt binnen"]
    for bad in (
        b"[]",
        b'{"version": "1.2.0"}',
        b'{"version": "1", "chapters": [{}]}',
        b"{",
        b'{"version": "1", "chapters": [{"startTime": NaN}]}',
        b'{"version": "1", "chapters": [{"startTime": Infinity}]}',
        b'{"version": "1", "chapters": [{"startTime": -5}]}',
    ):
        with pytest.raises(audio.FileCheckError):
            audio.check_chapters(bad, name="h.json")
