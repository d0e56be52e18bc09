"""Serving audio with HTTP Range support (RFC 9110), as podcast apps require.

Wagtail's document view and Django's ``static.serve`` answer a Range request with the
whole file; Apple Podcasts rejects such hosts. ``ranged_file_response`` answers
``bytes=a-b``, ``bytes=a-`` and ``bytes=-n`` with 206 and Content-Range, an
unsatisfiable range with 416, HEAD without a body, ``If-None-Match`` with 304 and
``If-Range`` with the whole file when the file changed. Several ranges in one request
(rare for audio) get the whole file with 200, which RFC 9110 allows.

``on_sent(start, end)`` is called after the response body went out, with the bytes
actually sent (inclusive), so download counting sees what a listener fetched and never
delays a byte.
"""

from __future__ import annotations

import logging
import re

from django.http import HttpResponse, HttpResponseNotModified, StreamingHttpResponse
from django.utils.http import parse_etags

logger = logging.getLogger(__name__)

CHUNK = 64 * 1024
RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE)


class Unsatisfiable(Exception):
    pass


MAX_DIGITS = 18  # below 2**63; a longer number lies beyond any file we serve


def _position(digits: str) -> int:
    """A byte position; thousands of digits (int() refuses more than 4300) mean "beyond
    the end", which is what they are."""
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) <= MAX_DIGITS else 10**MAX_DIGITS


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, end) inclusive for one satisfiable range; None to send the whole file
    (no header, garbage or several ranges); ``Unsatisfiable`` for a range past the end."""
    if not header:
        return None
    match = RANGE.match(header)
    if not match:
        return None  # garbage or several ranges: RFC 9110 lets us ignore the header
    first, last = match.groups()
    if not first and not last:
        return None
    if not first:  # suffix: the last n bytes
        length = _position(last)
        if length == 0 or size == 0:
            raise Unsatisfiable
        return max(size - length, 0), size - 1
    start = _position(first)
    end = _position(last) if last else size - 1
    if last and end < start:
        return None  # invalid range: ignored
    if start >= size:
        raise Unsatisfiable
    return start, min(end, size - 1)


def ranged_file_response(
    request, *, open_file, size: int, content_type: str, etag: str, on_sent=None, filename: str = ""
):
    """A response for GET or HEAD of a file that ``open_file()`` opens in binary mode."""
    common = {
        "Accept-Ranges": "bytes",
        "ETag": etag,
        "Cache-Control": "public, max-age=86400",
    }
    if_none_match = request.headers.get("If-None-Match")
    if if_none_match and (etag in parse_etags(if_none_match) or if_none_match.strip() == "*"):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    header = request.headers.get("Range", "")
    if_range = request.headers.get("If-Range")
    if header and if_range and if_range.strip() != etag:
        header = ""  # the file changed since the client's first part: send all of it
    try:
        wanted = parse_range(header, size)
    except Unsatisfiable:
        response = HttpResponse(status=416)
        response["Content-Range"] = f"bytes */{size}"
        response["Accept-Ranges"] = "bytes"
        return response
    start, end = wanted if wanted else (0, size - 1)
    length = max(end - start + 1, 0)
    if request.method == "HEAD":
        response = HttpResponse(status=206 if wanted else 200, content_type=content_type)
    else:
        handle = open_file()  # opened now: a missing file is the caller's 404, not a broken stream
        response = StreamingHttpResponse(
            _chunks(handle, start, length, sent := [0]),
            status=206 if wanted else 200,
            content_type=content_type,
        )
        if on_sent is not None:

            def report():
                if sent[0]:
                    on_sent(start, start + sent[0] - 1)

            response._resource_closers.append(report)
    for key, value in common.items():
        response[key] = value
    response["Content-Length"] = str(length)
    if wanted:
        response["Content-Range"] = f"bytes {start}-{end}/{size}"
    if filename:
        response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def _chunks(handle, start: int, length: int, sent: list[int]):
    try:
        if length <= 0:
            return
        handle.seek(start)
        remaining = length
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                break
            remaining -= len(data)
            sent[0] += len(data)
            yield data
    finally:
        handle.close()
