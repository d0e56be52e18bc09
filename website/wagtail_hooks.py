from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from website import demo, mail
from website import hooks as cter
from website.models import Municipality, Region, TargetGroup
from website.pagecache import mark_cacheable
from website.search import clean_query
from website.views import count_search_hit

hooks.register(cter.DEMO_CONTENT, demo.seed, order=0)
hooks.register(cter.SCHEDULED_JOBS, mail.retry_job, order=100)


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


class TargetGroupViewSet(SnippetViewSet):
    model = TargetGroup
    icon = "group"
    list_display = ["name", "slug", "sort_order"]
    search_fields = ["name"]


class RegionViewSet(SnippetViewSet):
    model = Region
    icon = "site"
    list_display = ["name", "slug"]


class MunicipalityViewSet(SnippetViewSet):
    model = Municipality
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
