"""Reading the report's table off the screen and out of its exports."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from openpyxl import load_workbook


class _TableParser(HTMLParser):
    def __init__(self, table_id: str):
        super().__init__()
        self.table_id = table_id
        self.inside = False
        self.depth = 0
        self.rows: list[list[str]] = []
        self.cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        if tag == "table" and dict(attrs).get("id") == self.table_id:
            self.inside = True
        elif self.inside and tag == "tr":
            self.rows.append([])
        elif self.inside and tag in ("td", "th"):
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.inside:
            self.inside = False
        elif self.inside and tag in ("td", "th") and self.cell is not None:
            self.rows[-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def screen_table(html: str, table_id: str = "report-table") -> list[list[str]]:
    """The header row and every body row of a table as shown (whitespace folded)."""
    parser = _TableParser(table_id)
    parser.feed(html)
    return [row for row in parser.rows if row]


def as_value(text: str):
    """A screen cell as the export carries it: Dutch thousands dots gone, a dash empty."""
    if text in ("\u2013", ""):
        return None
    digits = text.replace(".", "")
    if digits.lstrip("-").isdigit():
        return int(digits)
    return text


def xlsx_rows(content: bytes) -> list[list]:
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def csv_rows(response) -> list[list]:
    text = b"".join(response.streaming_content).decode()
    return [[cell if cell != "" else None for cell in row] for row in csv.reader(io.StringIO(text))]
