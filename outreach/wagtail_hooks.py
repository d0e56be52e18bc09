import datetime as dt

from django.contrib.auth.models import Permission
from django.forms import Media
from django.template.loader import render_to_string
from django.utils import timezone
from wagtail import hooks

from website import hooks as cter

from . import demo, selectors, volume
from .choices import ProductKind
from .models.reach import ReachKind
from .selectors import top_downloads, top_reach
from .services import count_request

hooks.register(cter.DEMO_CONTENT, demo.seed, order=40)  # last: shows what the others publish
hooks.register(cter.VOLUME_CONTENT, volume.seed, order=40)  # the counts podcasts left over
hooks.register(cter.REACH_SOURCES, selectors.reach_figures)
hooks.register(cter.AUDIENCE_SOURCES, selectors.audiences)
hooks.register(cter.PLANNED_PRODUCTS, selectors.planned_products)


@hooks.register(cter.CARD_SOURCES, order=10)
def card_source():
    return cter.CardSource(
        kinds=ProductKind.choices, cards=selectors.cards, about=selectors.cards_about
    )


@hooks.register("on_serve_page", order=100)
def count_page_view(serve):
    """Count successful views only: inside Wagtail's view-restriction check (order 0),
    so password-protected or private pages that are refused are not counted."""

    def inner(page, request, serve_args, serve_kwargs):
        response = serve(page, request, serve_args, serve_kwargs)
        if _is_html_page_view(response):
            count_request(request, kind=ReachKind.VIEW, object_id=page.pk)
        return response

    return inner


def _is_html_page_view(response) -> bool:
    """A person reading the page: not a feed, calendar file or other sub-route of it."""
    return getattr(response, "status_code", None) == 200 and response.get(
        "Content-Type", ""
    ).startswith("text/html")


@hooks.register(cter.PAGE_CACHE_HIT)
def count_cached_page_view(request, page_id):
    """A page served from the whole-page cache (website/pagecache.py) is a view too;
    shared views that are not pages (search results) have no page id."""
    if page_id is not None:
        count_request(request, kind=ReachKind.VIEW, object_id=page_id)


@hooks.register("before_serve_document", order=100)
def count_document_download(document, request):
    # order=100: after Wagtail's collection view-restriction check, which stops refused requests
    count_request(request, kind=ReachKind.DOWNLOAD, object_id=document.pk)


class ReachPanel:
    """Dashboard: most viewed pages in the last 30 days (counted without cookies)."""

    name = "outreach_reach"
    order = 200

    def render_html(self, parent_context=None):
        since = timezone.localdate() - dt.timedelta(days=30)
        return render_to_string(
            "outreach/admin/reach_panel.html",
            {"rows": top_reach(since=since), "downloads": top_downloads(since=since)},
        )

    @property
    def media(self):
        return Media()


REACH_PERMISSION = "outreach.view_reachcount"


@hooks.register("construct_homepage_panels")
def add_reach_panel(request, panels):
    if request.user.has_perm(REACH_PERMISSION):
        panels.append(ReachPanel())


@hooks.register("register_permissions")
def register_permissions():
    """Reach figures (the dashboard panel), grantable in Wagtail's group editor."""
    return Permission.objects.filter(content_type__app_label="outreach", codename="view_reachcount")
