"""Participant lists as CSV and XLSX (coordinators only)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from learning.models import Registration
from website.text import replace_invisible_characters, spreadsheet_text


def participant_rows(session) -> tuple[list[str], list[list[str]]]:
    header = [
        _("Status"),
        _("First name"),
        _("Last name"),
        _("E-mail address"),
        _("Organisation"),
        _("Function"),
        _("Municipality"),
        _("Target group"),
        _("Accessibility or dietary needs"),
        _("Registered at"),
    ]
    registrations = (
        Registration.objects.filter(session=session)
        .select_related("participant", "organisation", "municipality", "target_group")
        .order_by("status", "created_at", "pk")
    )
    rows = []
    for reg in registrations:
        person = reg.participant
        rows.append(
            [
                reg.get_status_display(),
                person.first_name,
                person.last_name,
                person.email,
                reg.organisation.name,
                person.function,
                reg.municipality.name if reg.municipality else reg.get_municipality_scope_display(),
                reg.target_group.name,
                person.needs,
                reg.created_at.strftime("%Y-%m-%d %H:%M"),
            ]
        )
    return header, rows


def as_csv(session) -> bytes:
    """Semicolon CSV for Dutch Excel; formulas neutralised, invisible characters replaced
    (older rows may hold what the forms refuse today)."""
    header, rows = participant_rows(session)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([[spreadsheet_text(v) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(session) -> bytes:
    """Every cell is a text cell (never a formula) without characters XML cannot hold."""
    header, rows = participant_rows(session)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Participants")[:31]
    for values in [header, *rows]:
        sheet.append([replace_invisible_characters(str(v)) for v in values])
        for cell in sheet[sheet.max_row]:
            cell.data_type = "s"  # "=..." stays text: openpyxl would store it as a formula
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
