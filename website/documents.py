"""Uploaded documents: which types, checked how, and served how.

Editors upload documents for a few uses only. ``WAGTAILDOCS_EXTENSIONS`` (settings)
allows exactly these extensions, ``DocumentForm`` (``WAGTAILDOCS_DOCUMENT_FORM_BASE``)
(``website.document_form``) checks that the first bytes fit the extension, and page types check per field which
use a document may serve (``check_use``):

=============  ==========================================  =============================
use            extensions                                  content check
=============  ==========================================  =============================
pdf            pdf                                         starts with ``%PDF-``
office         doc xls ppt / docx xlsx pptx / odt ods odp  OLE2 header / ZIP header
audio          mp3 m4a                                     ID3 or MPEG frame / ``ftyp``
video          mp4 webm                                    ``ftyp`` / EBML header
captions       vtt                                         UTF-8 text starting ``WEBVTT``
transcript     vtt srt                                     UTF-8 text
chapters       json                                        UTF-8 text starting ``{``
=============  ==========================================  =============================

Serving (``harden``, around Wagtail's view in ``website.views.serve_document``): an uploaded file never runs in the site's origin. Every document
is a download (``Content-Disposition: attachment``), with ``X-Content-Type-Options:
nosniff`` and ``Content-Security-Policy: default-src 'none'; sandbox``; a file whose
extension is not (or no longer) allowed is sent as ``application/octet-stream``, so a
``<script src>`` pointing at an old upload is refused by the browser.
"""

from __future__ import annotations

import urllib.parse

from django.conf import settings
from django.utils.translation import gettext_lazy as _

USES = {
    "pdf": ("pdf",),
    "office": ("doc", "docx", "xls", "xlsx", "ppt", "pptx", "odt", "ods", "odp"),
    "audio": ("mp3", "m4a"),
    "video": ("mp4", "webm"),
    "captions": ("vtt",),
    "transcript": ("vtt", "srt"),
    "chapters": ("json",),
}
USE_LABELS = {
    "pdf": _("a PDF file (.pdf)"),
    "office": _("an office document (Word, Excel, PowerPoint or OpenDocument)"),
    "audio": _("an MP3 or M4A audio file (.mp3, .m4a)"),
    "video": _("an MP4 or WebM video (.mp4, .webm)"),
    "captions": _("a WebVTT caption file (.vtt)"),
    "transcript": _("a WebVTT or SRT transcript (.vtt, .srt)"),
    "chapters": _("a JSON chapters file (.json)"),
}
DOCUMENT_CSP = "default-src 'none'; sandbox; frame-ancestors 'none'"
HEAD_BYTES = 4096

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP = b"PK\x03\x04"
EBML = b"\x1a\x45\xdf\xa3"


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def allowed_extensions() -> set[str]:
    return {e.lower() for e in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or ()}


def _text(head: bytes) -> str | None:
    if b"\x00" in head:
        return None
    try:
        return head.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # a multi-byte character cut off at the end is fine
        if exc.start < len(head) - 4:
            return None
        return head[: exc.start].decode("utf-8-sig", errors="ignore")


def content_fits(ext: str, head: bytes) -> bool:
    """Whether the first bytes of a file are plausible for its extension (cheap, not a
    full parse: audio and transcripts are parsed fully when an episode is saved)."""
    if ext == "pdf":
        return b"%PDF-" in head[:1024]
    if ext in ("doc", "xls", "ppt"):
        return head.startswith(OLE2)
    if ext in ("docx", "xlsx", "pptx", "odt", "ods", "odp"):
        return head.startswith(ZIP)
    if ext == "mp3":
        return head.startswith(b"ID3") or (
            len(head) > 1 and head[0] == 0xFF and head[1] & 0xE0 == 0xE0
        )
    if ext in ("m4a", "mp4"):
        return head[4:8] == b"ftyp"
    if ext == "webm":
        return head.startswith(EBML)
    text = _text(head)
    if text is None:
        return False
    if ext == "vtt":
        return text.startswith("WEBVTT")
    if ext == "json":
        return text.lstrip().startswith("{")
    return ext == "srt"


def check_use(document, use: str) -> str:
    """An error message when ``document`` cannot serve ``use`` (a key of ``USES``)."""
    if document is None or extension(document.file.name) in USES[use]:
        return ""
    return str(_("Choose %(kind)s.") % {"kind": USE_LABELS[use]})


def harden(response, filename: str):
    """A document response that cannot run in our origin: a download, never sniffed,
    sandboxed; an extension that is not allowed (an old upload) gets no script type."""
    if getattr(response, "streaming", False):  # the file itself, not a password form
        if extension(filename) not in allowed_extensions():
            response["Content-Type"] = "application/octet-stream"
        quoted = urllib.parse.quote(filename)
        response["Content-Disposition"] = (
            f"attachment; filename={quoted}; filename*=UTF-8''{quoted}"
        )
        response["X-Content-Type-Options"] = "nosniff"
        response["Content-Security-Policy"] = DOCUMENT_CSP
        response["X-Frame-Options"] = "DENY"
    return response
