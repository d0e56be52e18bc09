from django.contrib import messages
from django.contrib.auth.models import Permission
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.viewsets.model import ModelViewSet

from website import hooks as cter

from . import admin_views, demo, roles, selectors
from .models import LocalPicture, RegionalPicturePage

hooks.register(cter.DEMO_CONTENT, demo.seed, order=35)  # before outreach, which goes last
hooks.register(cter.LOCAL_PICTURES, selectors.local_picture_municipalities)

admin_urls = (
    [
        path("", admin_views.index, name="index"),
        path("periode/nieuw/", admin_views.period_create, name="period_create"),
        path("invoeren/", admin_views.figures_new, name="figures_new"),
        path("importeren/", admin_views.figures_import, name="import"),
        path("<int:period_id>/", admin_views.period_detail, name="period"),
        path("<int:period_id>/<slug:house>/", admin_views.figures_edit, name="figures"),
        path(
            "cijfers/<int:figures_id>/verwijderen/",
            admin_views.figures_delete,
            name="figures_delete",
        ),
    ],
    "insights_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("regionaal-beeld/", include(admin_urls))]


class LocalPictureViewSet(ModelViewSet):
    model = LocalPicture
    icon = "doc-full"
    menu_label = _("Local pictures")
    add_to_admin_menu = False
    url_prefix = "regionaal-beeld/lokale-beelden"
    list_display = ["municipality", "period", "delivered_on"]
    list_filter = ["period"]
    ordering = ["-period__starts_on", "municipality__name"]
    search_fields = ["municipality__name", "summary"]


local_pictures = LocalPictureViewSet("insights_local_pictures")


@hooks.register("register_admin_viewset")
def register_local_pictures():
    return local_pictures


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permissions, **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return any(request.user.has_perm(p) for p in self.permissions)


@hooks.register("register_admin_menu_item")
def register_menu():
    figures = [admin_views.VIEW, admin_views.ADD, admin_views.CHANGE]
    pictures = [f"insights.{a}_localpicture" for a in ("view", "add", "change", "delete")]
    return SubmenuMenuItem(
        _("Regional picture"),
        Menu(
            items=[
                PermissionMenuItem(
                    _("Figures"),
                    reverse("insights_admin:index"),
                    icon_name="table",
                    order=10,
                    permissions=figures,
                ),
                PermissionMenuItem(
                    _("Local pictures"),
                    reverse(local_pictures.get_url_name("index")),
                    icon_name="doc-full",
                    order=20,
                    permissions=pictures,
                ),
            ]
        ),
        icon_name="table",
        name="regionaal-beeld",
        order=280,
    )


@hooks.register("register_permissions")
def register_permissions():
    """So that the Analist and Coördinator permissions can be granted in Wagtail's group
    editor."""
    return Permission.objects.filter(
        content_type__app_label="insights", codename__in=roles.ANALYST_PERMISSIONS
    )


@hooks.register("before_copy_page")
def refuse_copying_a_period(request, page):
    """A period has one page (its figures are the period's); a copy would be a second."""
    if page.specific_class is RegionalPicturePage:
        messages.warning(
            request,
            _("A period has one page. Add a new page for another period instead of a copy."),
        )
        return redirect("wagtailadmin_explore", page.get_parent().pk)
    return None
