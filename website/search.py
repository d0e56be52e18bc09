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
  (``website.cards.collect_cards``), so trainings, webinars and episodes filter the
  same way as products without this module knowing their models.
"""

import re

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from wagtail.models import Page

from website.cards import collect_cards

MAX_QUERY_LENGTH = 200
MAX_RESULTS = 500
# Full-text engines give quotes, brackets and operators a meaning of their own
# (SQLite's FTS5 fails on an unterminated quote); people mean words.
NON_WORD = re.compile(r"[^\w\s]+")


def clean_query(raw: str | None) -> str:
    words = NON_WORD.sub(" ", (raw or "")[: MAX_QUERY_LENGTH * 2]).replace("_", " ").split()
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def _card_page_ids(*, kind: str = "", target_group=None) -> list[int]:
    found = collect_cards(target_group=target_group, kinds=[kind] if kind else None)
    return [card.page_id for card in found if card.page_id]


def search_pages(
    query: str, *, page_number=1, per_page: int = 10, kind: str = "", target_group=None
):
    """Live, public pages matching ``query``, best match first, paginated.

    ``kind`` (a card kind such as "infosheet" or "training") and ``target_group``
    narrow the results to what the card sources list for them.
    """
    if not query:
        return None
    pages = Page.objects.live().public().exclude(depth__lte=1)
    if kind or target_group is not None:
        pages = pages.filter(id__in=_card_page_ids(kind=kind, target_group=target_group))
    ids = [page.pk for page in pages.search(query)[:MAX_RESULTS]]
    seen = set(ids)
    # Dutch compounds: add prefix matches the full-text search missed.
    for page in pages.autocomplete(query)[:MAX_RESULTS]:
        if page.pk not in seen:
            ids.append(page.pk)
            seen.add(page.pk)
    ids = _content_first(ids)
    page_obj = Paginator(ids, per_page).get_page(page_number)
    # One query per page type on the result page (at most the number of page types).
    by_id = {p.pk: p for p in Page.objects.filter(pk__in=list(page_obj.object_list)).specific()}
    page_obj.object_list = [by_id[pk] for pk in page_obj.object_list if pk in by_id]
    for page in page_obj.object_list:
        # What a visitor calls it ("Training", "Informatieblad"), never a CMS type name;
        # plain pages get no label.
        page.type_label = getattr(page, "search_label", "")
        page.summary_text = getattr(page, "search_summary", "") or page.search_description
    return page_obj


def _content_first(ids: list[int]) -> list[int]:
    """Overview pages (home, catalogue, product overview; ``search_rank = 0``) after the
    trainings, products and episodes that match, each group in the backend's order."""

    types = dict(Page.objects.filter(pk__in=ids).values_list("pk", "content_type_id"))

    def rank(pk):
        model = ContentType.objects.get_for_id(types[pk]).model_class() if pk in types else None
        return getattr(model, "search_rank", 1)

    ranks = {pk: rank(pk) for pk in ids}
    return sorted(ids, key=lambda pk: -ranks[pk])  # stable: keeps relevance within a rank
