"""Read the attendance export of a webinar tool (Teams, Zoom, Webex, ...).

Accepts what Dutch spreadsheet software writes: UTF-8 with or without BOM (or
Windows-1252 from older Excel), semicolon, comma or tab separators, headers in
any case and order, extra columns. Finds the e-mail column by name, lower-cases
addresses, and reports what it cannot use instead of dropping it silently.
Pure parsing: matching against registrations is a service's job.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_BYTES = 5 * 1024 * 1024
EMAIL_HEADERS = {
    "email",
    "emailadres",
    "emailaddress",
    "mail",
    "mailadres",
    "useremail",
    "attendeeemail",
    "deelnemeremail",
    "emailvandedeelnemer",
    "upn",
}


NO_EMAIL_COLUMN = _("No e-mail column found. The first row must name the columns, e.g. “E-mail”.")


class AttendanceFileError(Exception):
    """The file as a whole cannot be read; the message is for the user."""


@dataclass
class AttendanceFile:
    emails: list[str] = field(default_factory=list)  # unique, lower-case, in file order
    duplicates: list[tuple[int, str]] = field(default_factory=list)  # (line, address)
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line, value)
    blank_lines: int = 0


def _normalise_header(value: str) -> str:
    return re.sub(r"[^a-z]", "", value.strip().lower())


def _decode(data: bytes) -> str:
    # Teams and Excel's "Unicode text" write UTF-16 with a byte-order mark.
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise AttendanceFileError(_("The file is not a text (CSV) file.")) from None
    if b"\x00" in data[:4096]:
        raise AttendanceFileError(_("The file is not a text (CSV) file."))
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise AttendanceFileError(_("The file is not a text (CSV) file."))


def _dialect(sample: str):
    try:
        return csv.Sniffer().sniff(sample, delimiters=";,\t")
    except csv.Error:
        first_line = sample.splitlines()[0] if sample else ""
        delimiter = max(";,\t", key=first_line.count)

        class Fallback(csv.excel):
            pass

        Fallback.delimiter = delimiter
        return Fallback


def parse_attendance_csv(data: bytes) -> AttendanceFile:
    if not data or not data.strip():
        raise AttendanceFileError(_("The file is empty."))
    if len(data) > MAX_BYTES:
        raise AttendanceFileError(_("The file is larger than 5 MB."))
    text = _decode(data).replace("\r\n", "\n").replace("\r", "\n")
    # Teams puts a summary block above the participant table; start at the header row.
    lines = text.split("\n")
    header_index = next(
        (
            i
            for i, line in enumerate(lines)
            if any(_normalise_header(cell) in EMAIL_HEADERS for cell in re.split(r"[;,\t]", line))
        ),
        None,
    )
    if header_index is None:
        raise AttendanceFileError(NO_EMAIL_COLUMN)
    body = "\n".join(lines[header_index:])
    try:
        return _read_rows(body, first_line=header_index + 1)
    except csv.Error:
        # e.g. a field longer than the csv module's limit, or a stray NUL byte
        raise AttendanceFileError(
            _("The file could not be read as CSV. Export it again from the webinar tool.")
        ) from None


def _read_rows(body: str, *, first_line: int) -> AttendanceFile:
    reader = csv.reader(io.StringIO(body), dialect=_dialect(body[:4096]))
    header = next(reader, [])
    # The line looked like it named an e-mail column, but read as CSV it may not (a quoted
    # cell such as "x,email" holds the separator): then there is no such column.
    email_col = next(
        (i for i, h in enumerate(header) if _normalise_header(h) in EMAIL_HEADERS), None
    )
    if email_col is None:
        raise AttendanceFileError(NO_EMAIL_COLUMN)
    result = AttendanceFile()
    seen: set[str] = set()
    for offset, row in enumerate(reader, start=first_line + 1):
        if not any(cell.strip() for cell in row):
            result.blank_lines += 1
            continue
        value = row[email_col].strip() if email_col < len(row) else ""
        address = value.lower()
        try:
            validate_email(address)
        except ValidationError:
            result.invalid.append((offset, value))
            continue
        if address in seen:
            result.duplicates.append((offset, address))
            continue
        seen.add(address)
        result.emails.append(address)
    return result
