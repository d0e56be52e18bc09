"""Participant lists as CSV and XLSX (coordinators only)."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from learning.models import Registration


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


def _safe(value: str) -> str:
    """Neutralise spreadsheet formulas (CSV injection)."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value


def as_csv(session) -> bytes:
    header, rows = participant_rows(session)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(header)
    writer.writerows([[_safe(str(v)) for v in row] for row in rows])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def as_xlsx(session) -> bytes:
    header, rows = participant_rows(session)
    book = Workbook()
    sheet = book.active
    sheet.title = _("Participants")[:31]
    sheet.append(header)
    for row in rows:
        sheet.append([_safe(str(v)) for v in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
