"""Admin forms for the figures. They parse and show errors; the rules are in
``services.check_figures`` / ``services.check_period``, which the forms call."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from website.models import Region

from . import services
from .models import AgeBand, Ideology, Period, PeriodKind
from .models.figures import AGE_FIELDS, IDEOLOGY_FIELDS, MAX_COUNT

GROUPING_ROWS_EXTRA = 3
MAX_GROUPING_ROWS = services.MAX_GROUPINGS


class CountField(forms.IntegerField):
    """A count: digits only (no point, comma, sign or exponent), 0 to 100,000."""

    default_error_messages = {
        "invalid": _("Enter a whole number, without a point or a comma."),
        "negative": _("A count cannot be negative."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 0)
        kwargs.setdefault("max_value", MAX_COUNT)
        kwargs.setdefault(
            "widget",
            forms.TextInput(attrs={"inputmode": "numeric", "size": 7, "autocomplete": "off"}),
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if re.fullmatch("[-\u2212]\\s*[0-9]+([.,][0-9]*)?", text):
            raise ValidationError(self.error_messages["negative"], code="negative")
        if not re.fullmatch(r"[0-9]{1,7}", text):
            raise ValidationError(self.error_messages["invalid"], code="invalid")
        return int(text)

    def widget_attrs(self, widget):
        # No min/max attributes: the browser would block the form before our Dutch
        # message could be shown next to the field.
        return {}


class PeriodForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=PeriodKind.choices, widget=forms.RadioSelect, initial="quarter"
    )
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)
    number = forms.TypedChoiceField(
        label=_("Number"),
        choices=[(n, str(n)) for n in range(1, 5)],
        coerce=int,
        help_text=_("Quarter 1 to 4, or half year 1 or 2."),
    )

    def clean(self):
        data = super().clean()
        if not self.errors:
            for field, messages in services.check_period(**data).items():
                for message in messages:
                    self.add_error(field, message)
        return data


class NewFiguresForm(forms.Form):
    """Choose the period and the house of a new entry (one entry per house per period)."""

    period = forms.ModelChoiceField(label=_("Period"), queryset=Period.objects.all())
    house = forms.ModelChoiceField(
        label=_("Zorg- en Veiligheidshuis"), queryset=Region.objects.order_by("name")
    )

    def clean(self):
        data = super().clean()
        period, house = data.get("period"), data.get("house")
        if period and house and period.house_figures.filter(house=house).exists():
            self.add_error("house", services._already_entered(house, period))
        return data


class FiguresForm(forms.Form):
    """One house's figures for one period: a field per age band, ideology and
    municipality of the house, and rows of (grouping, cases)."""

    signals = CountField(label=_("Signals"))
    cases = CountField(label=_("Cases"))

    def __init__(self, *args, house: Region, municipalities, grouping_rows: int = 0, **kwargs):
        super().__init__(*args, **kwargs)
        self.house = house
        self.municipalities = list(municipalities)
        self.group_errors: dict[str, list[str]] = {}
        for band in AgeBand:
            self.fields[AGE_FIELDS[band]] = CountField(label=band.label, required=False)
        for ideology in Ideology:
            self.fields[IDEOLOGY_FIELDS[ideology]] = CountField(
                label=ideology.label, required=False
            )
        for municipality in self.municipalities:
            self.fields[f"municipality_{municipality.pk}"] = CountField(
                label=municipality.name, required=False
            )
        if self.is_bound:
            try:
                grouping_rows = int(self.data.get("grouping_rows", 0))
            except (TypeError, ValueError):
                grouping_rows = 0
        self.grouping_rows = max(1, min(grouping_rows or GROUPING_ROWS_EXTRA, MAX_GROUPING_ROWS))
        for row in range(self.grouping_rows):
            self.fields[f"grouping_label_{row}"] = forms.CharField(
                label=_("Grouping %(number)s") % {"number": row + 1},
                required=False,
                max_length=services.MAX_LABEL,
                strip=True,
            )
            self.fields[f"grouping_cases_{row}"] = CountField(
                label=_("Cases in grouping %(number)s") % {"number": row + 1}, required=False
            )

    # Fields grouped for the template.
    def age_fields(self):
        return [self[AGE_FIELDS[band]] for band in AgeBand]

    def ideology_fields(self):
        return [self[IDEOLOGY_FIELDS[ideology]] for ideology in Ideology]

    def municipality_fields(self):
        return [self[f"municipality_{m.pk}"] for m in self.municipalities]

    def grouping_fields(self):
        return [
            (self[f"grouping_label_{row}"], self[f"grouping_cases_{row}"])
            for row in range(self.grouping_rows)
        ]

    def clean(self):
        data = super().clean()
        seen = set()
        for row in range(self.grouping_rows):
            label = data.get(f"grouping_label_{row}")
            count = data.get(f"grouping_cases_{row}")
            if label:
                key = " ".join(label.split()).casefold()
                if key in seen:
                    self.add_error(f"grouping_label_{row}", _("This grouping is listed already."))
                seen.add(key)
            if label and count is None and f"grouping_cases_{row}" not in self.errors:
                self.add_error(f"grouping_cases_{row}", _("Enter the number of cases too."))
            if count and not label and f"grouping_label_{row}" not in self.errors:
                self.add_error(f"grouping_label_{row}", _("Enter the name of the grouping too."))
        if self.errors:
            return data
        errors = services.check_figures(
            house_id=self.house.pk,
            data=self.to_input(),
            municipality_ids={m.pk for m in self.municipalities},
        )
        for group, messages in errors.items():
            if group in ("signals", "cases"):
                for message in messages:
                    self.add_error(group, message)
            else:
                self.group_errors[group or "general"] = messages
        if self.group_errors:
            self.add_error(None, _("Some figures do not add up; see the messages below."))
        return data

    def to_input(self) -> services.FiguresInput:
        data = self.cleaned_data
        return services.FiguresInput(
            signals=data["signals"],
            cases=data["cases"],
            age={band: data.get(name) or 0 for band, name in AGE_FIELDS.items()},
            ideology={code: data.get(name) or 0 for code, name in IDEOLOGY_FIELDS.items()},
            municipality={m.pk: data.get(f"municipality_{m.pk}") or 0 for m in self.municipalities},
            grouping={
                data[f"grouping_label_{row}"]: data.get(f"grouping_cases_{row}") or 0
                for row in range(self.grouping_rows)
                if data.get(f"grouping_label_{row}")
            },
        )

    @staticmethod
    def initial_for(figures) -> tuple[dict, int]:
        """Initial values of an existing entry, and its number of grouping rows."""
        if figures is None:
            return {}, GROUPING_ROWS_EXTRA
        initial = {"signals": figures.signals, "cases": figures.cases}
        for name in (*AGE_FIELDS.values(), *IDEOLOGY_FIELDS.values()):
            initial[name] = getattr(figures, name)
        for count in figures.municipality_counts.all():
            initial[f"municipality_{count.municipality_id}"] = count.cases
        groupings = list(figures.groupings.all())
        for row, grouping in enumerate(groupings):
            initial[f"grouping_label_{row}"] = grouping.label
            initial[f"grouping_cases_{row}"] = grouping.cases
        return initial, len(groupings) + GROUPING_ROWS_EXTRA


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Sheet (CSV or XLSX)"),
        help_text=_(
            "One line per figure with the columns periode, huis, onderdeel, categorie, aantal."
        ),
    )
    replace = forms.BooleanField(
        label=_("Replace figures that were entered already"), required=False
    )
