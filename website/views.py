from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import Query

from website.hooks import card_kinds
from website.models import TargetGroup
from website.pagecache import shared_for_anonymous
from website.search import clean_query, search_pages


def count_search_hit(request, *, query: str, page_number: int | None) -> None:
    """Popular searches (Wagtail's search promotions): first result pages of a plain
    query. Also called for searches served from the whole-page cache."""
    filtered = request.GET.get("type") or request.GET.get("doelgroep")
    if query and page_number == 1 and not filtered:
        Query.get(query).add_hit()


@shared_for_anonymous
def search(request):
    query = clean_query(request.GET.get("q"))
    kinds = dict(card_kinds())
    kind = request.GET.get("type") if request.GET.get("type") in kinds else ""
    groups = list(TargetGroup.objects.all())
    group = next((g for g in groups if g.slug == request.GET.get("doelgroep")), None)
    results = search_pages(
        query, page_number=request.GET.get("pagina"), kind=kind, target_group=group
    )
    count_search_hit(request, query=query, page_number=results.number if results else None)
    return render(
        request,
        "pages/website/search.html",
        {
            "search_query": query,
            "results": results,
            "kind_choices": kinds.items(),
            "groups": groups,
            "selected": {"type": kind, "doelgroep": group.slug if group else ""},
            "crumbs": [(reverse("search"), _("Search"))],
        },
    )
