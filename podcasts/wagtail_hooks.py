from django.contrib.auth.models import Permission
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from website import hooks as cter
from website.middleware import strict_csp

from . import admin_views, choosers, demo, selectors, volume

hooks.register(cter.DEMO_CONTENT, demo.seed, order=30)
hooks.register(cter.VOLUME_CONTENT, volume.seed, order=30)
hooks.register(cter.REACH_SOURCES, selectors.reach_figures)
hooks.register(cter.AUDIENCE_SOURCES, selectors.audiences)


@hooks.register(cter.CARD_SOURCES, order=30)
def card_source():
    return cter.CardSource(
        kinds=[("episode", _("Podcast episode"))],
        cards=selectors.cards,
        entries=selectors.entries,
        cards_by_id=selectors.cards_by_id,
        about=selectors.cards_about,
    )


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path(
            "podcasts/downloads/",
            strict_csp(admin_views.DownloadsView.as_view()),
            name="podcasts_downloads",
        )
    ]


class CoordinatorMenuItem(MenuItem):
    def is_shown(self, request):
        return admin_views.user_may_see_downloads(request.user)


@hooks.register("register_admin_menu_item")
def register_downloads_menu_item():
    return CoordinatorMenuItem(
        _("Podcast downloads"), reverse("podcasts_downloads"), icon_name="media", order=270
    )


@hooks.register("register_permissions")
def register_permissions():
    """The download report, grantable in Wagtail's group editor."""
    return Permission.objects.filter(
        content_type__app_label="podcasts", codename="view_downloadcount"
    )


@hooks.register("register_admin_viewset")
def register_document_choosers():
    """The episode's audio, transcript and chapters choosers (podcasts/choosers.py)."""
    return [choosers.audio, choosers.transcript, choosers.chapters]
