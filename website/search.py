"""Site search: one selector the search view (and later filters) build on."""

import re

from django.core.paginator import Paginator
from wagtail.models import Page

MAX_QUERY_LENGTH = 200
# Full-text engines give quotes, brackets and operators a meaning of their own
# (SQLite's FTS5 fails on an unterminated quote); people mean words.
NON_WORD = re.compile(r"[^\w\s]+")


def clean_query(raw: str | None) -> str:
    words = NON_WORD.sub(" ", (raw or "")[: MAX_QUERY_LENGTH * 2]).replace("_", " ").split()
    return " ".join(words)[:MAX_QUERY_LENGTH].strip()


def search_pages(query: str, *, page_number=1, per_page: int = 10):
    """Live, public pages matching ``query``, best match first, paginated."""
    if not query:
        return None
    pages = Page.objects.live().public().exclude(depth__lte=1)
    results = pages.search(query)
    if not results.count():
        # Dutch writes compounds as one word ("radicaliseringsprocessen"); the
        # database backend does not split them, so fall back to prefix matching.
        results = pages.autocomplete(query)
    paginator = Paginator(results, per_page)
    return paginator.get_page(page_number)
