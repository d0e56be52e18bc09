from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.contrib.search_promotions.models import Query

from website.search import clean_query, search_pages


def search(request):
    query = clean_query(request.GET.get("q"))
    results = search_pages(query, page_number=request.GET.get("pagina"))
    if query and results is not None and results.number == 1:
        Query.get(query).add_hit()
    return render(
        request,
        "pages/website/search.html",
        {
            "search_query": query,
            "results": results,
            "crumbs": [(reverse("search"), _("Search"))],
        },
    )
