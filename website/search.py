"""Site search: one selector the search view builds on.

Matching with Wagtail's database backend (the default):
- full-text search over each page type's ``search_fields``; on PostgreSQL with the
  "dutch" configuration words are stemmed ("verklaringen" finds "verklaring");
- Dutch writes compounds as one word ("radicaliseringsprocessen"). No backend here
  splits compounds, so prefix matching over ``AutocompleteField`` fields is merged
  in: "radicalisering" finds "radicaliseringsprocessen". A word *inside* a compound
  that is not its start ("processen") is not found; that needs a decompounding
  analyser (Elasticsearch/OpenSearch with a Dutch dictionary).
- Filters by type and target group use the shared card sources
  (``website.cards.card_page_ids``: ids only, from one query), so trainings, webinars and episodes filter the
  same way as products without this module knowing their models.
"""

import datetime as dt
import hashlib
import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Max, Sum
from wagtail.contrib.search_promotions.models import Query, QueryDailyHits
from wagtail.models import Page
from wagtail.search.utils import normalise_query_string

from website import counting
from website.cards import cache_prefix, card_page_ids
from website.hooks import exclude_unlisted
from website.routing import cache_get_many, cache_set_many, cached

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 500
# Full-text engines give quotes, brackets and operators a meaning of their own
# (SQLite's FTS5 fails on an unterminated quote); people mean words.
NON_WORD = re.compile(r"[^\w\s]+")


def clean_query(raw: str | None) -> str:
    words = NON_WORD.sub(" ", (raw or "")[: MAX_QUERY_LENGTH * 2]).replace("_", " ").split()
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def search_pages(
    query: str, *, page_number=1, per_page: int = 10, kind: str = "", target_group=None
):
    """Live, public pages matching ``query``, best match first, paginated.

    ``kind`` (a card kind such as "infosheet" or "training") and ``target_group``
    narrow the results to what the card sources list for them.
    """
    if not query:
        return None
    prefix = cache_prefix()
    if prefix is None:
        ids = _matching_ids(query, kind=kind, target_group=target_group)
    else:
        group_id = target_group.pk if target_group is not None else None
        key = (
            f"{prefix}:search:" + hashlib.sha256(repr((query, kind, group_id)).encode()).hexdigest()
        )
        ids = cached(
            key,
            lambda: _matching_ids(query, kind=kind, target_group=target_group),
            2 * settings.CARD_CACHE_SECONDS,
        )
    page_obj = Paginator(ids, per_page).get_page(page_number)
    page_obj.object_list = _results(list(page_obj.object_list), prefix=prefix)
    return page_obj


@dataclass(frozen=True)
class SearchResult:
    pk: int
    title: str
    url: str
    # What a visitor calls it ("Training", "Informatieblad"), never a CMS type name;
    # plain pages get no label.
    type_label: str
    summary_text: str


def _results(ids: list[int], *, prefix: str | None) -> list[SearchResult]:
    """The results of ``ids`` in that order: from the cache under ``prefix`` (the
    content stamp) where they are, the others from their pages (one query per page
    type on the result page, at most the number of page types)."""
    found = {}
    if prefix is not None:
        keys = {f"{prefix}:search-result:{pk}": pk for pk in ids}
        found = {keys[key]: result for key, result in cache_get_many(list(keys)).items()}
    missing = [pk for pk in ids if pk not in found]
    if missing:
        built = {
            page.pk: SearchResult(
                pk=page.pk,
                title=page.title,
                url=page.get_url() or "",
                type_label=str(getattr(page, "search_label", "") or ""),
                summary_text=str(
                    getattr(page, "search_summary", "") or page.search_description or ""
                ),
            )
            for page in Page.objects.filter(pk__in=missing).specific()
        }
        if prefix is not None and built:
            cache_set_many(
                {f"{prefix}:search-result:{pk}": r for pk, r in built.items()},
                2 * settings.CARD_CACHE_SECONDS,
            )
        found.update(built)
    return [found[pk] for pk in ids if pk in found]


def _matching_ids(query: str, *, kind: str, target_group) -> list[int]:
    """The ids of the matching pages, best match first (content before overviews)."""
    pages = exclude_unlisted(Page.objects.live().public().exclude(depth__lte=1))
    if kind or target_group is not None:
        pages = pages.filter(
            id__in=card_page_ids(target_group=target_group, kinds=[kind] if kind else None)
        )
    pages = pages.only("pk")  # ids are all it needs: no page built with every column
    ids = [page.pk for page in pages.search(query)[:MAX_RESULTS]]
    seen = set(ids)
    # Dutch compounds: add prefix matches the full-text search missed.
    for page in pages.autocomplete(query)[:MAX_RESULTS]:
        if page.pk not in seen:
            ids.append(page.pk)
            seen.add(page.pk)
    return _content_first(ids)


def _content_first(ids: list[int]) -> list[int]:
    """Overview pages (home, catalogue, product overview; ``search_rank = 0``) after the
    trainings, products and episodes that match, each group in the backend's order."""

    types = dict(Page.objects.filter(pk__in=ids).values_list("pk", "content_type_id"))

    def rank(pk):
        model = ContentType.objects.get_for_id(types[pk]).model_class() if pk in types else None
        return getattr(model, "search_rank", 1)

    ranks = {pk: rank(pk) for pk in ids}
    return sorted(ids, key=lambda pk: -ranks[pk])  # stable: keeps relevance within a rank


# ----- popular searches (Wagtail's search promotions: "Populaire zoekopdrachten") -------------
#
# Only plain first-page searches that found something are counted, normalised (lower case,
# single spaces), and only up to POPULAR_MAX_LENGTH characters: nobody needs a popular
# search of a pasted paragraph. New queries stop being stored at SEARCH_POPULAR_MAX_ROWS
# (existing ones still count). Once a day the first search cleans up: daily counts older
# than SEARCH_POPULAR_KEEP_DAYS go, and so do queries searched only once that are older
# than a week (typos, word salad); queries with an editor's promotion always stay.

POPULAR_MAX_LENGTH = 100
RARE_AFTER = dt.timedelta(days=7)


def count_popular_search(request, query: str, *, found: bool | None, today: dt.date) -> None:
    """One count per visitor, query and day, as the reach counts (``website.counting``: a
    salted digest of the connection, never the address itself): a person repeating or
    paging back to a search, a bot or a flood from one address makes nothing popular, and
    a returning visitor's search costs one cache read instead of a database write."""
    text = normalise_query_string(query)
    if not text or len(text) > POPULAR_MAX_LENGTH or not counting.countable(request):
        return
    ip = counting.client_address(request, "LEARNING_CLIENT_IP_HEADER")
    user_agent = request.headers.get("User-Agent", "")[:500]
    scope = f"search|{text}"
    if counting.counted_today(ip=ip, user_agent=user_agent, scope=scope, day=today):
        return
    digest = counting.visitor_digest(ip=ip, user_agent=user_agent, scope=scope, day=today)
    with transaction.atomic():
        if counting.first_today(digest=digest, day=today):
            record_popular_search(text, found=found, today=today)


def record_popular_search(query: str, *, found: bool | None, today: dt.date) -> None:
    """Count one search. ``found=None`` (served from the page cache: unknown) counts only
    a query already known, i.e. one that had results when it was rendered."""
    text = normalise_query_string(query)
    if not text or len(text) > POPULAR_MAX_LENGTH:
        return
    row = Query.objects.filter(query_string=text).first()
    if row is None:
        if not found:
            return
        if Query.objects.count() >= getattr(settings, "SEARCH_POPULAR_MAX_ROWS", 5000):
            return
        row = Query.get(text)
    row.add_hit(date=today)
    if cache.add(f"website:popular-search-cleanup:{today.isoformat()}", 1, 2 * 24 * 60 * 60):
        cleanup_popular_searches(today=today)


def cleanup_popular_searches(*, today: dt.date) -> None:
    keep_days = getattr(settings, "SEARCH_POPULAR_KEEP_DAYS", 90)
    QueryDailyHits.objects.filter(date__lt=today - dt.timedelta(days=keep_days)).delete()
    rare = (
        Query.objects.filter(editors_picks__isnull=True)
        .annotate(total=Sum("daily_hits__hits"), last=Max("daily_hits__date"))
        .filter(total__lte=1, last__lt=today - RARE_AFTER)
        .values_list("pk", flat=True)
    )
    QueryDailyHits.objects.filter(query__in=list(rare)).delete()
    Query.garbage_collect()  # queries without hits and without a promotion
