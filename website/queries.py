"""Query helpers every app's selectors share."""

from __future__ import annotations

from django.db.models import Exists, F, OuterRef
from django.db.models.lookups import StartsWith
from wagtail.models import PageViewRestriction


def public_pages(pages):
    """Like ``.public()`` but as a subquery (one query less than Wagtail's version):
    pages without a view restriction on themselves or an ancestor."""
    restricted = PageViewRestriction.objects.filter(StartsWith(OuterRef("path"), F("page__path")))
    return pages.filter(~Exists(restricted))
