"""django-filter filter sets behind the coordinator listings (Wagtail's generic views)."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import WagtailFilterSet

from learning import selectors
from learning.models import (
    ActivityLine,
    Kind,
    Level,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    TrainingPage,
)
from website.forms import IdModelChoiceField
from website.hooks import ActivityStatus


class IdModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A forged id (thousands of digits, a sign) is an invalid choice, never a lookup."""

    field_class = IdModelChoiceField


class YearFilter(django_filters.Filter):
    field_class = forms.IntegerField


def _date_input():
    return forms.DateInput({"type": "date"}, format="%Y-%m-%d")


class SessionFilterSet(WagtailFilterSet):
    training = IdModelChoiceFilter(
        field_name="page",
        label=_("Training"),
        queryset=TrainingPage.objects.order_by("title"),
        empty_label=_("All trainings"),
    )
    kind = django_filters.ChoiceFilter(
        field_name="page__kind", label=_("Kind"), choices=Kind.choices, empty_label=_("All kinds")
    )
    level = django_filters.ChoiceFilter(
        field_name="page__level",
        label=_("Level"),
        choices=Level.choices,
        empty_label=_("All levels"),
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=SessionStatus.choices, empty_label=_("All statuses")
    )
    start = django_filters.DateFilter(
        field_name="ends_at",
        lookup_expr="date__gte",
        label=_("From"),
        widget=_date_input(),
        help_text=_("Empty this field to see older sessions too."),
    )
    end = django_filters.DateFilter(
        field_name="starts_at", lookup_expr="date__lte", label=_("Until"), widget=_date_input()
    )
    # The coordinator dashboard links its yearly-target numbers here (learning.selectors.
    # activity_counts): the sessions of a year, target line and counting status.
    year = YearFilter(
        method="filter_year",
        label=_("Year"),
        min_value=2000,
        max_value=2100,
    )
    line = django_filters.ChoiceFilter(
        field_name="activity_line",
        label=_("Counts towards"),
        choices=ActivityLine.choices,
        empty_label=_("All target lines"),
    )
    activity = django_filters.ChoiceFilter(
        field_name="activity_status",
        label=_("Counts as"),
        choices=ActivityStatus.choices,
        empty_label=_("Anything"),
    )

    class Meta:
        model = Session
        fields = []

    def filter_year(self, queryset, name, value):
        return selectors.in_year(queryset, value) if value else queryset

    def filter_queryset(self, queryset):
        data = self.form.cleaned_data
        if data.get("line") or data.get("activity"):
            queryset = selectors.with_activity(queryset, now=timezone.now())
        return super().filter_queryset(queryset)


class RegistrationFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RegistrationStatus.choices, empty_label=_("All statuses")
    )

    class Meta:
        model = Registration
        fields = []
