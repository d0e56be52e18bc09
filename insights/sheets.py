"""Reading an uploaded CSV or XLSX sheet into numbered rows of text, defensively: size
and row limits, no formulas evaluated, a zip bomb refused before it is unpacked, and a
Dutch message (``SheetError``) for anything that is not a readable sheet."""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _
from openpyxl import load_workbook

MAX_BYTES = 2 * 1024 * 1024
MAX_UNPACKED_BYTES = 40 * 1024 * 1024
MAX_ROWS = 5_000
MAX_COLUMNS = 20
MAX_CELL_CHARS = 200


class SheetError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Row:
    line: int  # the line (CSV) or row (XLSX) number the user sees
    cells: tuple  # str for CSV; str, int, float, bool, date or None for XLSX


def read_sheet(data: bytes, filename: str) -> list[Row]:
    """Non-empty rows, the header first."""
    if len(data) > MAX_BYTES:
        raise SheetError(_("The file is larger than 2 MB."))
    if not data.strip():
        raise SheetError(_("The file is empty."))
    name = (filename or "").lower()
    if name.endswith(".xlsx") or data[:4] == b"PK\x03\x04":
        return _read_xlsx(data)
    if name.endswith((".xls", ".ods", ".numbers")):
        raise SheetError(_("Save the sheet as CSV or as Excel workbook (.xlsx) first."))
    return _read_csv(data)


def _too_many_rows():
    return SheetError(
        _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}
    )


def _read_csv(data: bytes) -> list[Row]:
    if b"\x00" in data:
        raise SheetError(_("This is not a text file (CSV). Upload a CSV or XLSX file."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # a sheet saved by older Excel
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[Row] = []
    line = 1
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):
                if len(rows) >= MAX_ROWS:
                    raise _too_many_rows()
                if len(cells) > MAX_COLUMNS:
                    raise SheetError(
                        _("Line %(line)s has more than %(max)s columns.")
                        % {"line": line, "max": MAX_COLUMNS}
                    )
                rows.append(Row(line, tuple(cell[: MAX_CELL_CHARS + 1] for cell in cells)))
            line = reader.line_num + 1
    except csv.Error as exc:
        raise SheetError(
            _("Line %(line)s cannot be read as CSV (a quote that is not closed?).") % {"line": line}
        ) from exc
    return rows


def _read_xlsx(data: bytes) -> list[Row]:
    unreadable = SheetError(_("This file cannot be read as an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_UNPACKED_BYTES:
                raise SheetError(_("The workbook is too large once unpacked."))
    except SheetError:
        raise
    except Exception as exc:  # not a zip at all, or a broken one
        raise unreadable from exc
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            rows: list[Row] = []
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
                if number > MAX_ROWS * 2:
                    raise _too_many_rows()
                cells = tuple(values[: MAX_COLUMNS + 1])
                if any(cell is not None and str(cell).strip() for cell in cells):
                    if len(rows) >= MAX_ROWS:
                        raise _too_many_rows()
                    rows.append(Row(number, cells))
            return rows
        finally:
            workbook.close()
    except SheetError:
        raise
    except Exception as exc:  # openpyxl raises many kinds on a malformed workbook
        raise unreadable from exc
