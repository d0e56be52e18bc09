from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import CreateView, SnippetViewSet

from website import hooks as cter

from . import demo, selectors, views
from .models import DEFAULT_TARGETS, MunicipalityYear, Target, TargetYear

hooks.register(cter.DEMO_CONTENT, demo.seed, order=50)
hooks.register(cter.VOLUME_CONTENT, demo.volume, order=50)

admin_urls = (
    [
        path("", views.ReachReportView.as_view(), name="reach"),
        path("resultaten/", views.ReachReportView.as_view(results_only=True), name="reach_results"),
        path("jaaroverzicht/", views.YearOverviewView.as_view(), name="year"),
    ],
    "reporting",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("bereik/", include(admin_urls))]


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(content_type__app_label="reporting", codename="view_reports")


# ----- recording targets and coverage ---------------------------------------------------


class TargetYearCreateView(CreateView):
    """A new year starts with the plan's minimum per line (4 / 2 / 6), ready to adjust."""

    def get_initial_form_instance(self):
        instance = super().get_initial_form_instance() or self.model()
        taken = set(TargetYear.objects.values_list("year", flat=True))
        year = timezone.localdate().year
        while year in taken:
            year += 1
        instance.year = year
        instance.targets = [
            Target(line=line, minimum=minimum, sort_order=number)
            for number, (line, minimum) in enumerate(DEFAULT_TARGETS)
        ]
        return instance


class TargetYearViewSet(SnippetViewSet):
    model = TargetYear
    icon = "tasks"
    add_view_class = TargetYearCreateView
    list_display = ["year", "note"]
    add_to_admin_menu = False
    url_prefix = "rapportage/jaardoelen"
    admin_url_namespace = "reporting_targets"


class MunicipalityYearViewSet(SnippetViewSet):
    model = MunicipalityYear
    icon = "home"
    list_display = ["municipality", "year", "pressure_cookers", "local_picture_on"]
    list_filter = ["year", "municipality__region"]
    search_fields = ["municipality__name"]
    add_to_admin_menu = False
    url_prefix = "rapportage/gemeenten"
    admin_url_namespace = "reporting_coverage"

    def get_queryset(self, request):
        return MunicipalityYear.objects.select_related("municipality")


target_years = TargetYearViewSet()
municipality_years = MunicipalityYearViewSet()
register_snippet(target_years)
register_snippet(municipality_years)


# ----- menu and dashboard -------------------------------------------------------------------


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def register_reporting_menu():
    items = [
        PermissionMenuItem(
            _("Reach"),
            reverse("reporting:reach"),
            icon_name="view",
            order=10,
            permission=views.PERMISSION,
        ),
        PermissionMenuItem(
            _("Year overview"),
            reverse("reporting:year"),
            icon_name="doc-full",
            order=20,
            permission=views.PERMISSION,
        ),
        PermissionMenuItem(
            _("Yearly targets"),
            reverse(target_years.get_url_name("list")),
            icon_name="tasks",
            order=30,
            permission="reporting.view_targetyear",
        ),
        PermissionMenuItem(
            _("Municipality coverage"),
            reverse(municipality_years.get_url_name("list")),
            icon_name="home",
            order=40,
            permission="reporting.view_municipalityyear",
        ),
    ]
    return SubmenuMenuItem(
        _("Reporting"), Menu(items=items), icon_name="table", name="reporting", order=240
    )


class DashboardPanel(Component):
    """The coordinators' part of the admin home: this year's targets, the next sessions
    with their fill rate, open waiting lists and open requests with their age."""

    name = "reporting_dashboard"
    order = 50  # above Wagtail's own panels
    template_name = "reporting/admin/dashboard_panel.html"

    def get_context_data(self, parent_context=None):
        context = selectors.dashboard(now=timezone.now())
        context["targets_url"] = reverse(target_years.get_url_name("list"))
        return context


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if views.can_see_reports(request.user):
        panels.append(DashboardPanel())


@hooks.register("insert_global_admin_css")
def reporting_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("reporting/reporting.css"))
