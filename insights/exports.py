"""The published figures of a period as CSV: exactly what the pages show (the
suppressed snapshot), never a raw figure."""

from __future__ import annotations

import csv
import io

from django.utils.translation import gettext as _

from website.text import spreadsheet_text

from .models import Ideology
from .publication import REGION, REST, Measure, change
from .selectors import AGE_LABELS, change_text, period_context, remainder_label, shown_text

_safe = spreadsheet_text  # text a spreadsheet will not run as a formula


def published_csv(*, page) -> str:
    context = period_context(page)
    published, previous = context["published"], context["previous"]
    houses, municipalities = context["house_names"], context["municipality_names"]
    parts = {
        Measure.SIGNALS: _("signals"),
        Measure.CASES: _("cases"),
        Measure.AGE: _("age"),
        Measure.IDEOLOGY: _("type of ideology"),
        Measure.MUNICIPALITY: _("municipality"),
        Measure.GROUPING: _("grouping"),
    }
    labels = {
        Measure.AGE: AGE_LABELS,
        Measure.IDEOLOGY: dict(Ideology.choices),
        Measure.MUNICIPALITY: {slug: name for slug, (name, _h) in municipalities.items()},
    }
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            _("period"),
            _("Zorg- en Veiligheidshuis"),
            _("part"),
            _("category"),
            _("count"),
            _("previous period"),
            _("change"),
        ]
    )
    for house in [REGION, *published.houses]:
        house_name = _("whole region") if house == REGION else houses.get(house, house)
        for measure in Measure:
            for category in published.categories(measure, house):
                shown = published.get(measure, house, category)
                before = previous.get(measure, house, category) if previous else None
                if category == REST:
                    label = remainder_label(measure)
                else:
                    label = labels.get(measure, {}).get(category, category)
                writer.writerow(
                    [
                        page.period.label,
                        house_name,
                        parts[measure],
                        _safe(label),
                        shown_text(shown),
                        shown_text(before) if previous else "",
                        change_text(change(shown, before)) or "",
                    ]
                )
    return "\ufeff" + out.getvalue()
