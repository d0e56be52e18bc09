from django.conf import settings
from django.http import JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.documents.views.serve import serve as wagtail_serve_document

from website import fragments, reference
from website import health as health_checks
from website.documents import harden
from website.hooks import card_kinds
from website.pagecache import shared_for_anonymous
from website.search import clean_query, count_popular_search, search_pages


def count_search_hit(request, *, query: str, page_number: int | None, found: bool | None) -> None:
    """Popular searches (Wagtail's search promotions): first result pages of a plain
    query that found something, once per visitor and day
    (``website.search.count_popular_search``). Also called for searches served from the
    whole-page cache (``found=None``)."""
    filtered = request.GET.get("type") or request.GET.get("doelgroep")
    if query and page_number == 1 and not filtered:
        count_popular_search(request, query, found=found, today=timezone.localdate())


@shared_for_anonymous
def search(request):
    query = clean_query(request.GET.get("q"))
    kinds = dict(card_kinds())
    kind = request.GET.get("type") if request.GET.get("type") in kinds else ""
    groups = reference.target_groups()
    group = next((g for g in groups if g.slug == request.GET.get("doelgroep")), None)
    results = search_pages(
        query, page_number=request.GET.get("pagina"), kind=kind, target_group=group
    )
    count_search_hit(
        request,
        query=query,
        page_number=results.number if results is not None else None,
        found=bool(results is not None and results.paginator.count),
    )
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
            # The rendered form and results: a fragment under the content stamp, keyed on
            # the query string (the matches themselves are cached by website.search).
            **fragments.fragment_context(
                request,
                "search",
                request.GET.urlencode(),
                seconds=getattr(settings, "CARD_CACHE_SECONDS", 300),
            ),
        },
    )


def serve_document(request, document_id: int, document_filename: str):
    """Wagtail's document view (privacy, counting hooks, ETag), hardened: every document
    is a sandboxed download (``website.documents.harden``)."""
    return harden(
        wagtail_serve_document(request, document_id, document_filename), document_filename
    )


@require_safe
@never_cache
def health(request, scope: str = "all"):
    """JSON for monitoring and load balancers: 200 when every check is ok, else 503.
    ``/health/`` checks everything; ``/health/server/`` only what this app server needs
    (database, cache). Counts and ages only; never cached (``website.health``)."""
    result = health_checks.report(now=timezone.now(), scope=scope)
    return JsonResponse(result, status=200 if result["ok"] else 503)
