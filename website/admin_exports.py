"""Spreadsheet exports a coordinator can hand on, for every admin listing that offers one.

Wagtail's `SpreadsheetExportMixin` (behind `list_export` and `?export=csv|xlsx` on its
generic index and report views) writes times in UTC, a comma CSV without a byte-order mark
and the view's fixed file name. This mixin keeps Wagtail's machinery and changes what a
Dutch coordinator notices:

- times in the site's time zone (Europe/Amsterdam), as real date cells in XLSX
  (`dd-mm-jjjj uu:mm`), as `31-12-2026 14:30` in CSV;
- a semicolon CSV with a byte-order mark (Dutch Excel opens it in columns, with accents);
- text never becomes a formula (CSV: a leading quote; XLSX: text cells) and characters
  XML cannot hold are replaced;
- yes/no in Dutch, empty for None;
- a file name with what was exported and its date (`deelnemers-basistraining-2026-12-01.xlsx`);
- `Cache-Control: private, no-store` (personal data).
"""

from __future__ import annotations

import csv
import datetime as dt
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from wagtail.admin.views.mixins import Echo, SpreadsheetExportMixin

from website.text import replace_invisible_characters, spreadsheet_text

XLSX_DATETIME_FORMAT = "dd-mm-yyyy hh:mm"
XLSX_DATE_FORMAT = "dd-mm-yyyy"
CSV_DATETIME_FORMAT = "%d-%m-%Y %H:%M"
CSV_DATE_FORMAT = "%d-%m-%Y"


def local_naive(value: dt.datetime) -> dt.datetime:
    """An aware time as the wall-clock time in the site's zone (what XLSX can hold)."""
    if timezone.is_naive(value):
        return value
    return timezone.make_naive(timezone.localtime(value))


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return local_naive(value).strftime(CSV_DATETIME_FORMAT)
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE_FORMAT)
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return spreadsheet_text(str(value))


def xlsx_value(value):
    if value is None:
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.datetime):
        return local_naive(value)
    if isinstance(value, dt.date | int | float):
        return value
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value)
    return replace_invisible_characters(str(value))


class CoordinatorExportMixin(SpreadsheetExportMixin):
    """Put before Wagtail's view class: `class X(CoordinatorExportMixin, ReportView)`."""

    export_sheet_title = ""

    def get_export_name_parts(self) -> list[str]:
        """What the file is about and its date, e.g. ["deelnemers", training, date]."""
        return [self.export_filename, timezone.localdate().isoformat()]

    def get_filename(self) -> str:
        parts = self.get_export_name_parts()
        name = "-".join(slugify(str(p)) for p in parts if slugify(str(p)))
        return name[:120] or "export"

    def preprocess_field_value(self, field, value, export_format):
        custom = self.custom_field_preprocess.get(field, {})
        if export_format in custom:
            value = custom[export_format](value)
        if export_format == self.FORMAT_CSV:
            return csv_value(value)
        return xlsx_value(value)

    def generate_xlsx_row(self, worksheet, row_dict, date_format=None):
        for field, value in row_dict.items():
            cell = WriteOnlyCell(worksheet, self.preprocess_field_value(field, value, "xlsx"))
            if cell.data_type == "f":
                cell.data_type = "s"  # "=..." stays text
            if isinstance(cell.value, dt.datetime):
                cell.number_format = XLSX_DATETIME_FORMAT
            elif isinstance(cell.value, dt.date):
                cell.number_format = XLSX_DATE_FORMAT
            yield cell

    def write_xlsx(self, queryset, output):
        workbook = Workbook(write_only=True)
        title = str(self.export_sheet_title or self.get_page_title() or "Export")
        worksheet = workbook.create_sheet(title=replace_invisible_characters(title)[:31])
        worksheet.append(
            [replace_invisible_characters(self.get_heading(queryset, f)) for f in self.list_export]
        )
        for item in queryset:
            worksheet.append(list(self.generate_xlsx_row(worksheet, self.to_row_dict(item))))
        workbook.save(output)

    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=";")
        yield "\ufeff".encode()
        yield writer.writerow(
            {f: spreadsheet_text(self.get_heading(queryset, f)) for f in self.list_export}
        )
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_xlsx_response(self, queryset):
        output = BytesIO()
        self.write_xlsx(queryset, output)
        response = HttpResponse(
            output.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.xlsx"'
        response["Cache-Control"] = "private, no-store"
        return response

    def write_csv_response(self, queryset):
        # Not streamed: the lists are small, and a response with a length is simpler
        # for the browser and for tests.
        response = HttpResponse(
            b"".join(self.stream_csv(queryset)), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{self.get_filename()}.csv"'
        response["Cache-Control"] = "private, no-store"
        return response
