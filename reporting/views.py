"""The reach report (/admin/bereik/, a Wagtail report view with filters and exports) and
the one-page year overview for the steering group."""

from __future__ import annotations

from collections import OrderedDict

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.reports import ReportView

from . import selectors
from .filters import ReachFilterSet, year_choices

PERMISSION = "reporting.view_reports"


def can_see_reports(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class ReportPermissionMixin:
    """Coordinators and administrators only (the permission ``reporting.view_reports``,
    held by the Coördinator and Beheerder groups); others are sent back to the admin's
    home page with Wagtail's "no permission" message."""

    def dispatch(self, request, *args, **kwargs):
        if not can_see_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ReachReportView(ReportPermissionMixin, ReportView):
    page_title = gettext_lazy("Reach")
    header_icon = "view"
    template_name = "reporting/admin/reach_report.html"
    results_template_name = "reporting/admin/reach_report_results.html"
    index_url_name = "reporting:reach"
    index_results_url_name = "reporting:reach_results"
    filterset_class = ReachFilterSet
    paginate_by = None  # the screen shows every row, so an export is exactly the screen

    @cached_property
    def lists(self) -> tuple[list, list]:
        return selectors.filter_lists()  # (regions, target groups): one query

    @property
    def groups(self) -> list:
        return self.lists[1]

    def get_filterset_kwargs(self):
        return {**super().get_filterset_kwargs(), "regions": self.lists[0], "groups": self.groups}

    @cached_property
    def report(self) -> selectors.ReachReport:
        filters = self.filters.report_filters(today=timezone.localdate())
        return selectors.reach_report(filters=filters, groups=self.groups)

    # The rows are dicts built by the selectors, not a queryset: nothing to order or filter.
    def get_queryset(self):
        return self.report.table.rows

    def filter_queryset(self, queryset):
        return queryset

    @property
    def list_export(self):
        return [column.key for column in self.report.table.columns]

    @property
    def export_headings(self):
        return {column.key: column.heading for column in self.report.table.columns}

    def to_row_dict(self, item):
        return OrderedDict(
            (column.key, item.get(column.key)) for column in self.report.table.columns
        )

    def get_filename(self):
        filters = self.report.filters
        period = filters.period.label.replace(" ", "").replace("-", "_")
        return f"bereik-{filters.breakdown}-{period}"

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["report"] = self.report
        context["filter_errors"] = (
            self.filters.form.errors
            if self.filters.is_bound and not self.filters.is_valid()
            else {}
        )
        return context


class YearOverviewView(ReportPermissionMixin, WagtailAdminTemplateMixin, TemplateView):
    """Targets, coverage and reach of one year on one printed page."""

    template_name = "reporting/admin/year_overview.html"
    header_icon = "doc-full"

    @cached_property
    def year(self) -> int:
        years = {value for value, _label in year_choices(timezone.localdate())}
        try:
            chosen = int(self.request.GET.get("year", ""))
        except ValueError:
            chosen = None
        return chosen if chosen in years else timezone.localdate().year

    def get_page_title(self):
        return _("Year overview %(year)s") % {"year": self.year}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(selectors.year_overview(year=self.year, now=timezone.now()))
        context["years"] = year_choices(timezone.localdate())
        context["today"] = timezone.localdate()
        return context
