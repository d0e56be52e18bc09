from django.contrib import messages
from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import include, path, register_converter, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet
from wagtail.utils.urlpatterns import decorate_urlpatterns

from learning import access, admin_views, audit, demo, demo_programme, selectors, services, volume
from learning.admin import in_company as in_company_admin  # noqa: F401 (registers its hooks)
from learning.admin import organisations as organisation_admin  # noqa: F401 (registers its hooks)
from learning.forms import NOTIFY_SEND
from learning.models import (
    ActivityLine,
    Kind,
    Registration,
    TrainingIndexPage,
    TrainingPage,
    TrainingRequest,
)
from website import hooks as cter
from website.admin_exports import CoordinatorExportMixin
from website.middleware import strict_csp

hooks.register(cter.DEMO_CONTENT, demo.seed, order=20)
# After learning's trainings: the programme pages and events; the navigation gets "Bijeenkomsten".
hooks.register(cter.DEMO_CONTENT, demo_programme.seed, order=25)
hooks.register(cter.VOLUME_CONTENT, volume.seed, order=20)
hooks.register(cter.REACH_SOURCES, selectors.reach_figures)
hooks.register(cter.UNLISTED_PAGES, selectors.unlisted_pages)
hooks.register(cter.PARTICIPATION_SOURCES, selectors.participation)
hooks.register(cter.AUDIENCE_SOURCES, selectors.audiences)
hooks.register(cter.UPCOMING_ACTIVITIES, selectors.upcoming_activities)
hooks.register(cter.OPEN_REQUESTS, selectors.open_requests)


@hooks.register(cter.CARD_SOURCES, order=20)
def card_source():
    return cter.CardSource(
        kinds=Kind.choices,
        cards=selectors.cards,
        entries=selectors.entries,
        cards_by_id=selectors.cards_by_id,
        about=selectors.cards_about,
    )


@hooks.register(cter.SCHEDULED_JOBS, order=20)
def scheduled_aftercare(*, now):
    """Due reminders and surveys (each claimed exactly once) and the anonymisation of
    registrations past their retention period: personal data goes on schedule wherever
    the scheduler runs."""
    counts = services.run_scheduled(now=now)
    return (
        f"{counts['reminders']} reminder(s), {counts['surveys']} survey(s) queued, "
        f"{counts.get('anonymised', 0)} participant(s) anonymised."
    )


@hooks.register(cter.ACTIVITY_SOURCES)
def activity_source():
    return cter.ActivitySource(lines=ActivityLine.choices, count=selectors.activity_counts)


class ExportFormatConverter:
    """Participant exports: only these extensions (nothing else reaches the header)."""

    regex = "csv|xlsx"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


register_converter(ExportFormatConverter, "export_format")

admin_urls = (
    [
        path("", admin_views.SessionListView.as_view(), name="sessions"),
        path(
            "resultaten/",
            admin_views.SessionListView.as_view(results_only=True),
            name="sessions_results",
        ),
        path("<id:session_id>/", admin_views.SessionDetailView.as_view(), name="session"),
        path("<id:session_id>/annuleren/", admin_views.session_cancel, name="session_cancel"),
        path(
            "<id:session_id>/trainers/",
            admin_views.session_trainers,
            name="session_trainers",
        ),
        path(
            "<id:session_id>/gewijzigd/",
            admin_views.session_notify_changed,
            name="session_changed",
        ),
        path(
            "<id:session_id>/deelnemers.<export_format:fmt>",
            admin_views.SessionDetailView.as_view(),
            name="session_export",
        ),
        path(
            "aanmelding/<id:registration_id>/annuleren/",
            admin_views.registration_cancel,
            name="registration_cancel",
        ),
        path(
            "aanmelding/<id:registration_id>/status/",
            admin_views.registration_move,
            name="registration_move",
        ),
        path(
            "<id:session_id>/aanwezigheid/",
            admin_views.session_attendance,
            name="session_attendance",
        ),
        path(
            "<id:session_id>/aanwezigheid/importeren/",
            admin_views.session_attendance_import,
            name="session_attendance_import",
        ),
    ],
    "learning_admin",
)

report_urls = (
    [
        path("evaluaties/", admin_views.EvaluationOverviewView.as_view(), name="evaluations"),
        path(
            "evaluaties/<id:page_id>/",
            admin_views.EvaluationTrainingView.as_view(),
            name="evaluation_training",
        ),
        path("organisaties/", admin_views.OrganisationListView.as_view(), name="organisations"),
        path(
            "organisaties/<id:organisation_id>/",
            admin_views.OrganisationDetailView.as_view(),
            name="organisation",
        ),
        path(
            "organisaties/<id:organisation_id>/gecontroleerd/",
            admin_views.organisation_verify,
            name="organisation_verify",
        ),
    ],
    "learning_reports",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    # Participants' data: the admin's strict Content-Security-Policy (no inline script/style).
    return decorate_urlpatterns(
        [
            path("trainingen/sessies/", include(admin_urls)),
            path("trainingen/", include(report_urls)),
        ],
        strict_csp,
    )


@hooks.register("insert_global_admin_css")
def coordinator_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("learning/admin.css"))


class PermissionMenuItem(MenuItem):
    """Shown to users holding ``permission``."""

    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


class SessionsMenuItem(MenuItem):
    """Coordinators see every session; trainers the sessions they lead."""

    def is_shown(self, request):
        return access.policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item():
    return SessionsMenuItem(
        _("Sessions"),
        reverse("learning_admin:sessions"),
        icon_name="date",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def register_evaluations_menu_item():
    return PermissionMenuItem(
        _("Training evaluations"),
        reverse("learning_reports:evaluations"),
        icon_name="tasks",
        order=251,
        permission=admin_views.EVALUATIONS,
    )


@hooks.register("register_admin_menu_item")
def register_organisations_menu_item():
    return PermissionMenuItem(
        _("Organisation history"),
        reverse("learning_reports:organisations"),
        icon_name="group",
        order=252,
        permission=admin_views.ORGANISATIONS,
    )


class TrainingRequestIndexView(CoordinatorExportMixin, SnippetIndexView):
    """Wagtail's snippet listing with the coordinators' exports (local times, date cells,
    semicolon CSV, dated file name)."""

    def get_export_name_parts(self):
        return ["aanvragen", timezone.localdate().isoformat()]


# Grantable in Wagtail's group editor (Settings, Groups). Training requests are a snippet:
# Wagtail lists its permissions itself.
GROUP_EDITOR_PERMISSIONS = {
    "registration": ["add", "change", "delete", "view"],
    "session": ["change", "view"],
    "evaluation": ["view"],
    "organisation": ["change", "view"],
}


@hooks.register("register_permissions")
def register_permissions():
    codenames = [
        f"{action}_{model}"
        for model, actions in GROUP_EDITOR_PERMISSIONS.items()
        for action in actions
    ]
    codenames += [codename for codename, _label in Registration._meta.permissions]
    return Permission.objects.filter(content_type__app_label="learning", codename__in=codenames)


class TrainingRequestViewSet(SnippetViewSet):
    model = TrainingRequest
    icon = "mail"
    menu_label = _("Training requests")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["kind", "organisation", "municipality", "contact_name", "status", "created_at"]
    list_filter = ["kind", "status"]
    index_view_class = TrainingRequestIndexView
    list_export = [
        "created_at",
        "get_kind_display",
        "get_status_display",
        "organisation",
        "municipality",
        "contact_name",
        "contact_email",
        "contact_phone",
        "wanted",
        "preferred_period",
        "group_size",
        "remarks",
    ]
    export_headings = {"get_kind_display": _("Kind"), "get_status_display": _("Status")}
    export_filename = "aanvragen"


register_snippet(TrainingRequestViewSet)


# ----- a changed session with registrants (issue 18 item 3) ------------------------------------
# The editor form (learning.forms.TrainingPageForm) makes the editor choose; here the choice
# is carried out after publishing, for exactly the sessions whose schedule changed.


@hooks.register("before_edit_page")
def remember_session_schedules(request, page):
    if request.method == "POST" and isinstance(page, TrainingPage):
        request.cter_sessions_before = selectors.sessions_with_registrants(page_id=page.pk)


@hooks.register("after_publish_page")
def send_updated_invitations(request, page):
    before = getattr(request, "cter_sessions_before", None)
    if not before or request.POST.get("notify_changed_sessions") != NOTIFY_SEND:
        return
    after = selectors.sessions_with_registrants(page_id=page.pk)
    now = timezone.now()
    count = sum(
        services.notify_session_changed(session_id=pk, now=now)
        for pk, stored in before.items()
        if pk in after and selectors.schedule_changed(stored, after[pk])
    )
    if count:
        messages.success(
            request,
            ngettext(
                "Updated invitation sent to %(count)d person.",
                "Updated invitations sent to %(count)d people.",
                count,
            )
            % {"count": count},
        )


@hooks.register("after_create_page")
def catalogue_for_coordinators(request, page):
    """A new training catalogue page is the coordinators' to edit, like the first one."""
    if isinstance(page.specific, TrainingIndexPage):
        services.give_coordinators_the_catalogue(page_id=page.pk)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_actions(actions)


@hooks.register(cter.PERSONAL_DATA)
def personal_data_source():
    return cter.PersonalDataSource(
        label=_("Trainings"),
        find=selectors.personal_records,
        blockers=services.erase_blockers,
        erase=services.erase_personal_data,
    )
