"""The reach report's filters: a year or a period, region, target group and the table to
show. django-filter only validates them here; the figures come from the hook sources."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet

from website.models import Region

from .selectors import MAX_MONTHS, Breakdown, Period, ReportFilters

FIRST_YEAR = 2024
PERIOD_YEARS = (2000, 2100)  # the years a free period may lie in


def year_choices(today: dt.date | None = None) -> list[tuple[int, str]]:
    today = today or dt.date.today()
    return [(year, str(year)) for year in range(today.year + 1, FIRST_YEAR - 1, -1)]


class ReachFilterForm(forms.Form):
    def clean(self):
        cleaned = super().clean()
        period = cleaned.get("period")
        first, last = PERIOD_YEARS
        ends = [day for day in (period.start, period.stop) if day] if period else []
        if any(not first <= day.year <= last for day in ends):
            # far dates (year 1 or 9999) would overflow the date sums of the figures
            self.add_error(
                "period",
                _("Choose dates between %(first)d and %(last)d.") % {"first": first, "last": last},
            )
        elif period and period.start and period.stop:
            if period.stop < period.start:
                self.add_error("period", _("The end of the period lies before its start."))
            elif len(Period(period.start, period.stop).months) > MAX_MONTHS:
                self.add_error(
                    "period",
                    _("Choose a period of at most %(months)d months.") % {"months": MAX_MONTHS},
                )
        return cleaned


class ReachFilterSet(WagtailFilterSet):
    breakdown = django_filters.ChoiceFilter(
        label=_("Table"), choices=Breakdown.CHOICES, empty_label=None, method="keep"
    )
    year = django_filters.ChoiceFilter(
        label=_("Year"), choices=year_choices, empty_label=_("This year"), method="keep"
    )
    period = django_filters.DateFromToRangeFilter(
        label=_("Or a period"), widget=DateRangePickerWidget, method="keep"
    )
    # Choices are set per request from the lists the report reads anyway (one query each).
    region = django_filters.ChoiceFilter(
        label=_("Region of the participant"), empty_label=_("All regions"), method="keep"
    )
    target_group = django_filters.ChoiceFilter(
        label=_("Target group"), empty_label=_("All target groups"), method="keep"
    )

    def __init__(self, *args, regions=(), groups=(), **kwargs):
        self.regions = {str(region.pk): region for region in regions}
        self.groups = {str(group.pk): group for group in groups}
        super().__init__(*args, **kwargs)
        self.filters["region"].extra["choices"] = [(k, r.name) for k, r in self.regions.items()]
        self.filters["target_group"].extra["choices"] = [
            (k, g.name) for k, g in self.groups.items()
        ]

    class Meta:
        model = Region  # the filters only validate; nothing filters this queryset
        fields: list[str] = []
        form = ReachFilterForm

    def keep(self, queryset, name, value):
        return queryset

    def report_filters(self, *, today: dt.date) -> ReportFilters:
        """The validated choice, with this year and the first table as defaults."""
        data = self.form.cleaned_data if self.is_valid() else {}
        period = data.get("period")
        if period and (period.start or period.stop):
            # An open end: the rest of that calendar year (an open start: from its first day).
            since = period.start or dt.date(period.stop.year, 1, 1)
            until = period.stop or dt.date(since.year, 12, 31)
            chosen = Period(since, until)
        else:
            chosen = Period.year(int(data.get("year") or today.year))
        breakdown = data.get("breakdown") or Breakdown.TARGET_GROUP
        return ReportFilters(
            period=chosen,
            region=self.regions.get(data.get("region") or ""),
            target_group=self.groups.get(data.get("target_group") or ""),
            breakdown=breakdown,
        )
