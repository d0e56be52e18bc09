from django.contrib.auth.models import Permission
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.functional import cached_property, lazy
from django.utils.html import format_html
from django.utils.translation import gettext_lazy
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.chooser import SnippetChooserViewSet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup
from wagtail.snippets.widgets import AdminSnippetChooser
from wagtail.utils.urlpatterns import decorate_urlpatterns

from website import admin_views, audit, demo, mail, personal_data, tasks, visibility
from website import hooks as cter
from website.accounts import views as account_views
from website.middleware import strict_csp
from website.models import Municipality, Region, TargetGroup
from website.pagecache import mark_cacheable
from website.search import clean_query
from website.views import count_search_hit

hooks.register(cter.DEMO_CONTENT, demo.seed, order=0)
hooks.register(cter.SCHEDULED_JOBS, mail.retry_job, order=100)
hooks.register(cter.SCHEDULED_JOBS, tasks.heartbeat_job, order=110)


@hooks.register("on_serve_page", order=-10)
def cached_view_restrictions(serve):
    """Outside Wagtail's view-restriction check (order 0): the page being served answers
    ``get_view_restrictions()`` with the cached list (``website.visibility``) instead of
    two queries per request. Only this request's page object is changed."""

    def inner(page, request, serve_args, serve_kwargs):
        restrictions = visibility.view_restrictions(page, request)
        page.get_view_restrictions = lambda: restrictions
        return serve(page, request, serve_args, serve_kwargs)

    return inner


@hooks.register("on_serve_page", order=50)
def allow_page_cache(serve):
    """Mark responses of Wagtail page serving as candidates for the whole-page cache;
    inside the view-restriction check (order 0), so a refused page is never marked."""

    def inner(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        mark_cacheable(page, request, response)
        return response

    return inner


@hooks.register(cter.PAGE_CACHE_HIT)
def count_cached_search(request, page_id):
    """A search answered from the whole-page cache still counts as a popular search."""
    if page_id is None and request.path == reverse("search"):
        first_page = request.GET.get("pagina") in (None, "", "1")
        count_search_hit(
            request,
            query=clean_query(request.GET.get("q")),
            page_number=1 if first_page else 2,
            found=None,  # known only to the render that filled the cache
        )


class LazyTextSnippetChooser(AdminSnippetChooser):
    """Wagtail's snippet chooser widget formats its button texts ("Choose region") once,
    in whatever language is active when the widget is made, and keeps them; these are
    formatted when the widget is drawn, in the language of the person looking."""

    def __init__(self, model, **kwargs):
        super().__init__(model, **kwargs)
        name = model._meta.verbose_name
        texts = {
            "choose_one_text": gettext_lazy("Choose %(object)s"),
            "choose_another_text": gettext_lazy("Choose another %(object)s"),
            "link_to_chosen_text": gettext_lazy("Edit this %(object)s"),
        }
        for attribute, text in texts.items():
            setattr(self, attribute, lazy(lambda text=text: text % {"object": name}, str)())


class LazyTextSnippetChooserViewSet(SnippetChooserViewSet):
    @cached_property
    def widget_class(self):
        return LazyTextSnippetChooser(model=self.model, icon=self.icon)


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    chooser_viewset_class = LazyTextSnippetChooserViewSet
    icon = "group"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    chooser_viewset_class = LazyTextSnippetChooserViewSet
    icon = "site"
    list_display = ["name", "slug"]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
    chooser_viewset_class = LazyTextSnippetChooserViewSet
    icon = "home"
    list_display = ["name", "region"]
    list_filter = ["region"]
    search_fields = ["name"]

    def get_queryset(self, request):
        return Municipality.objects.select_related("region")


class ReferenceDataGroup(SnippetViewSetGroup):
    items = (TargetGroupViewSet, RegionViewSet, MunicipalityViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Reference data")
    menu_name = "reference-data"


register_snippet(ReferenceDataGroup)


# ----- two-factor authentication (issue 14) ----------------------------------------------------


@hooks.register("register_admin_urls")
def register_two_factor_urls():
    return decorate_urlpatterns(two_factor_urls(), strict_csp)


def two_factor_urls():
    return [
        path("tweestapsverificatie/", account_views.manage, name="two_factor"),
        path("tweestapsverificatie/instellen/", account_views.enrol, name="two_factor_enrol"),
        path("tweestapsverificatie/code/", account_views.verify, name="two_factor_verify"),
        path(
            "tweestapsverificatie/herstelcodes/",
            account_views.recovery_codes,
            name="two_factor_recovery_codes",
        ),
        path("tweestapsverificatie/uitzetten/", account_views.remove, name="two_factor_remove"),
        path(
            "tweestapsverificatie/medewerkers/",
            account_views.staff_overview,
            name="two_factor_users",
        ),
        path(
            "tweestapsverificatie/medewerkers/<id:user_id>/herstellen/",
            account_views.reset_user,
            name="two_factor_reset",
        ),
    ]


@hooks.register("register_account_menu_item")
def two_factor_account_item(request):
    return {
        "url": reverse("two_factor"),
        "label": _("Two-factor authentication"),
        "help_text": _("A code from an app on your phone after your password; recovery codes."),
    }


class UsersPermissionMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(account_views.USERS_PERMISSION)


@hooks.register("register_settings_menu_item")
def two_factor_users_menu_item():
    return UsersPermissionMenuItem(
        _("Two-factor authentication"),
        reverse("two_factor_users"),
        icon_name="lock",
        order=610,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    audit.register_website_actions(actions)


# ----- data-subject rights (issue 14) ----------------------------------------------------------


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return decorate_urlpatterns(
        [
            path("persoonsgegevens/", admin_views.search, name="personal_data"),
            path("persoonsgegevens/wissen/", admin_views.erase, name="personal_data_erase"),
        ],
        strict_csp,
    )


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return request.user.has_perm(self.permission)


@hooks.register("register_admin_menu_item")
def personal_data_menu_item():
    return PermissionMenuItem(
        _("Personal data"),
        reverse("personal_data"),
        icon_name="user",
        order=285,
        permission=admin_views.PERMISSION,
    )


@hooks.register("register_permissions")
def register_permissions():
    return Permission.objects.filter(
        content_type__app_label="website", codename="manage_personal_data"
    )


# the outgoing e-mails of every app are website's (website.mail)
hooks.register(cter.PERSONAL_DATA, personal_data.outbox_source, order=90)


@hooks.register("insert_global_admin_js")
def admin_labels_js():
    """Names for inputs Wagtail's widgets leave without a label (the tag field's)."""
    return format_html('<script src="{}" defer></script>', static("website/admin-labels.js"))
