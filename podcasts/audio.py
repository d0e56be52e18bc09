"""Reading what an uploaded file really is: audio facts, transcripts and chapters.

Editors never type a duration or a size: they come from the file (mutagen reads
the MP3/MP4 headers). Every check raises ``FileCheckError`` with a Dutch message
(through gettext) that the page form shows next to the field.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass

import mutagen
from django.utils.translation import gettext as _
from mutagen.mp3 import MP3
from mutagen.mp4 import MP4

AUDIO_TYPES = {"mp3": "audio/mpeg", "m4a": "audio/mp4"}
MAX_TRANSCRIPT_BYTES = 2 * 1024 * 1024
MAX_CHAPTERS_BYTES = 512 * 1024


class FileCheckError(ValueError):
    pass


@dataclass(frozen=True)
class AudioFacts:
    extension: str  # "mp3" or "m4a"
    mime_type: str
    size: int  # bytes
    duration: int  # whole seconds, rounded up
    threshold: int  # bytes: header plus one minute of audio (the whole file if shorter)


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def inspect_audio(file, *, name: str) -> AudioFacts:
    """The facts of an MP3 or M4A file; the content decides, not only the name."""

    extension = _extension(name)
    if extension not in AUDIO_TYPES:
        raise FileCheckError(_("Upload the audio as an MP3 (.mp3) or M4A (.m4a) file."))
    file.seek(0, 2)
    size = file.tell()
    file.seek(0)
    try:
        audio = mutagen.File(file)
    except Exception:
        audio = None
    expected = MP3 if extension == "mp3" else MP4
    if not isinstance(audio, expected) or not audio.info or not audio.info.length:
        raise FileCheckError(
            _("This file is not a playable %(type)s audio file.") % {"type": extension.upper()}
        )
    length = float(audio.info.length)
    bitrate = int(getattr(audio.info, "bitrate", 0) or 0)
    if extension == "mp3":
        header = int(getattr(audio.tags, "size", 0) or 0) if audio.tags is not None else 0
    else:  # MP4: whatever is not audio data (the moov box, usually before it)
        header = size - int(bitrate / 8 * length) if bitrate else 0
    header = min(max(header, 0), size)
    if length <= 60:
        threshold = size
    else:
        per_second = (size - header) / length
        threshold = min(size, header + math.ceil(per_second * 60))
    return AudioFacts(
        extension=extension,
        mime_type=AUDIO_TYPES[extension],
        size=size,
        duration=math.ceil(length),
        threshold=threshold,
    )


# ----- transcripts --------------------------------------------------------------

TIMING = re.compile(
    r"^\s*(?P<start>(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})\s*-->\s*(?:(?:\d+:)?\d{1,2}:\d{2}[.,]\d{1,3})"
)
VOICE = re.compile(r"<v(?:\.[^\s>]*)?\s+([^>]+)>")
TAG = re.compile(r"<[^>]*>")
TRANSCRIPT_TYPES = {"vtt": "text/vtt", "srt": "application/x-subrip"}


MAX_SECONDS = 100 * 60 * 60  # no episode lasts 100 hours; larger times are broken files


def _seconds(stamp: str) -> int:
    parts = stamp.replace(",", ".").split(":")
    total = 0.0
    for part in parts:
        if len(part) > 10:  # float() would give infinity for thousands of digits
            total = math.inf
            break
        total = total * 60 + float(part)
    if not math.isfinite(total) or total > MAX_SECONDS:
        raise FileCheckError(
            _("A time in the transcript is larger than 100 hours; check the time stamps.")
        )
    return int(total)


def parse_transcript(raw: bytes, *, name: str) -> tuple[str, list[tuple[int, str, str]]]:
    """("vtt" | "srt", [(start seconds, speaker, text), ...]) from a WebVTT or SRT file."""
    extension = _extension(name)
    if extension not in TRANSCRIPT_TYPES:
        raise FileCheckError(_("Upload the transcript as a WebVTT (.vtt) or SRT (.srt) file."))
    if len(raw) > MAX_TRANSCRIPT_BYTES:
        raise FileCheckError(_("The transcript file is too large (at most 2 MB)."))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FileCheckError(_("Save the transcript as UTF-8 text.")) from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if extension == "vtt" and not text.startswith("WEBVTT"):
        raise FileCheckError(_("A WebVTT file starts with the word WEBVTT."))
    cues = []
    for block in re.split(r"\n{2,}", text):
        lines = [line for line in block.split("\n") if line.strip()]
        for i, line in enumerate(lines):
            match = TIMING.match(line)
            if match:
                body = " ".join(lines[i + 1 :]).strip()
                voice = VOICE.search(body)
                speaker = voice.group(1).strip() if voice else ""
                words = " ".join(TAG.sub("", body).split())
                if words:
                    cues.append((_seconds(match.group("start")), speaker, words))
                break
    if not cues:
        raise FileCheckError(_("No timed text was found in the transcript file."))
    return extension, cues


def readable_transcript(cues) -> str:
    """Plain text for the page: one paragraph per speaker turn."""
    paragraphs: list[list[str]] = []
    last_speaker = None
    for _start, speaker, words in cues:
        if paragraphs and (speaker == last_speaker or not speaker):
            paragraphs[-1].append(words)
        else:
            paragraphs.append([f"{speaker}: {words}" if speaker else words])
        last_speaker = speaker or last_speaker
    return "\n\n".join(" ".join(p) for p in paragraphs)


# ----- chapters (Podcasting 2.0 JSON chapters) -----------------------------------


def check_chapters(raw: bytes, *, name: str) -> list[list]:
    """[[start seconds, title], ...] from a valid JSON chapters file."""
    if _extension(name) != "json":
        raise FileCheckError(_("Upload chapters as a JSON chapters file (.json)."))
    if len(raw) > MAX_CHAPTERS_BYTES:
        raise FileCheckError(_("The chapters file is too large (at most 512 kB)."))
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise FileCheckError(_("The chapters file is not valid JSON.")) from exc
    except RecursionError as exc:  # lists or objects nested thousands deep
        raise FileCheckError(_("The chapters file is nested too deeply.")) from exc
    chapters = data.get("chapters") if isinstance(data, dict) else None
    if not data.get("version") if isinstance(data, dict) else True:
        raise FileCheckError(_('The chapters file needs a "version" and a list of "chapters".'))
    if not isinstance(chapters, list) or not chapters:
        raise FileCheckError(_('The chapters file needs a "version" and a list of "chapters".'))
    for chapter in chapters:
        start = chapter.get("startTime") if isinstance(chapter, dict) else None
        # JSON allows NaN and Infinity; a time must be a finite number of seconds
        if (
            not isinstance(start, int | float)
            or not math.isfinite(start)
            or not 0 <= start <= MAX_SECONDS
        ):
            raise FileCheckError(_('Every chapter needs a "startTime" in seconds.'))
    return [
        [int(chapter["startTime"]), str(chapter.get("title") or "")[:200]]
        for chapter in sorted(chapters, key=lambda c: c["startTime"])
    ]
