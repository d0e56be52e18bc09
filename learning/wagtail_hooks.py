from django.templatetags.static import static
from django.urls import include, path, register_converter, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from learning import admin_views, demo, demo_programme, selectors, services, volume
from learning.admin import in_company as in_company_admin  # noqa: F401 (registers its hooks)
from learning.admin import organisations as organisation_admin  # noqa: F401 (registers its hooks)
from learning.models import ActivityLine, Kind, TrainingRequest
from website import hooks as cter

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
    return cter.CardSource(kinds=Kind.choices, cards=selectors.cards)


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
        path("", admin_views.session_list, name="sessions"),
        path("<id:session_id>/", admin_views.session_detail, name="session"),
        path("<id:session_id>/annuleren/", admin_views.session_cancel, name="session_cancel"),
        path(
            "<id:session_id>/gewijzigd/",
            admin_views.session_notify_changed,
            name="session_changed",
        ),
        path(
            "<id:session_id>/deelnemers.<export_format:fmt>",
            admin_views.session_export,
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
        path("evaluaties/", admin_views.evaluation_overview, name="evaluations"),
        path(
            "evaluaties/<id:page_id>/",
            admin_views.evaluation_training,
            name="evaluation_training",
        ),
        path("organisaties/", admin_views.organisation_list, name="organisations"),
        path(
            "organisaties/<id:organisation_id>/",
            admin_views.organisation_detail,
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
    return [
        path("trainingen/sessies/", include(admin_urls)),
        path("trainingen/", include(report_urls)),
    ]


@hooks.register("insert_global_admin_css")
def coordinator_admin_css():
    return format_html('<link rel="stylesheet" href="{}">', static("learning/admin.css"))


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(admin_views.PERMISSION)


@hooks.register("register_admin_menu_item")
def register_sessions_menu_item():
    return CoordinatorMenuItem(
        _("Sessions"),
        reverse("learning_admin:sessions"),
        icon_name="date",
        order=250,
    )


@hooks.register("register_admin_menu_item")
def register_evaluations_menu_item():
    return CoordinatorMenuItem(
        _("Training evaluations"),
        reverse("learning_reports:evaluations"),
        icon_name="tasks",
        order=251,
    )


@hooks.register("register_admin_menu_item")
def register_organisations_menu_item():
    return CoordinatorMenuItem(
        _("Organisation history"),
        reverse("learning_reports:organisations"),
        icon_name="group",
        order=252,
    )


class TrainingRequestViewSet(SnippetViewSet):
    model = TrainingRequest
    icon = "mail"
    menu_label = _("Training requests")
    add_to_admin_menu = True
    menu_order = 260
    list_display = ["kind", "organisation", "municipality", "contact_name", "status", "created_at"]
    list_filter = ["kind", "status"]


register_snippet(TrainingRequestViewSet)
