"""Reads for the outreach pages: cards, overview filters, landing pages, reach."""

from __future__ import annotations

from collections import defaultdict
from itertools import chain, zip_longest

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from website.cards import Card, collect_cards
from website.models import TargetGroup

from .choices import OTHER_KINDS, ProductKind
from .models import AnimationPage, InfoSheetPage, ProductPage, ReachCount, WebinarRecordingPage
from .models.reach import ReachKind

CARD_RENDITION = "fill-480x270"
PRODUCT_MODELS = {m.kind: m for m in (InfoSheetPage, AnimationPage, WebinarRecordingPage)}
PER_PAGE = 12


def cards(*, target_group=None, theme=None, kinds=None, now=None, limit=None) -> list[Card]:
    """Card source (see website.cards): live, public, published products."""
    now = now or timezone.now()
    models = [m for k, m in PRODUCT_MODELS.items() if kinds is None or k in set(kinds)]
    if not models:
        return []

    type_ids = [ContentType.objects.get_for_model(m).pk for m in models]
    pages = (
        ProductPage.objects.live()
        .public()
        .filter(content_type_id__in=type_ids, publication_date__lte=timezone.localdate(now))
        .defer_streamfields()
        .prefetch_related(
            Prefetch(
                "card_image",
                queryset=get_image_model().objects.prefetch_renditions(CARD_RENDITION),
            )
        )
        .order_by("-publication_date", "-pk")
    )
    if target_group is not None:
        pages = pages.filter(target_groups=target_group)
    if theme:
        pages = pages.filter(tags__slug=theme)
    if limit:
        pages = pages[:limit]
    result = []
    for page in pages:
        kind = page.specific_class.kind
        result.append(
            Card(
                kind=str(kind),
                kind_label=str(ProductKind(kind).label),
                title=page.title,
                url=page.get_url(),
                page_id=page.pk,
                summary=page.summary,
                date=page.publication_date,
                date_label=_("Published %(date)s")
                % {"date": formats.date_format(page.publication_date, "j F Y")},
                image=page.card_image,
            )
        )
    return result


def kind_choices():
    return [(k.value, k.label) for k in ProductKind] + OTHER_KINDS


def themes_in_use() -> list:
    """Themes given to anything (products, trainings, episodes: every app tags through
    its own model onto the shared taggit table), in one query."""

    used = Q()
    for relation in Tag._meta.related_objects:
        if relation.related_model._meta.app_label != "taggit":
            used |= Q(**{f"{relation.name}__isnull": False})
    return list(Tag.objects.filter(used).distinct().order_by("name")) if used else []


def interleave_kinds(cards: list) -> list:
    """The unfiltered overview shows every kind of product from the first page on: one
    of each kind in turn, each kind in its own order (upcoming, then newest)."""

    by_kind: dict[str, list] = {}
    for card in cards:
        by_kind.setdefault(card.kind, []).append(card)
    rounds = zip_longest(*by_kind.values())
    return [card for card in chain.from_iterable(rounds) if card is not None]


def product_overview(params, *, now=None) -> dict:
    """The /producten/ listing with its filters (type, target group, theme) from the URL."""
    kinds = dict(kind_choices())
    groups = list(TargetGroup.objects.all())
    themes = themes_in_use()
    kind = params.get("type") if params.get("type") in kinds else ""
    group = next((g for g in groups if g.slug == params.get("doelgroep")), None)
    theme = next((t for t in themes if t.slug == params.get("thema")), None)
    found = collect_cards(
        target_group=group,
        theme=theme.slug if theme else None,
        kinds=[kind] if kind else None,
        now=now,
    )
    if not kind:
        found = interleave_kinds(found)
    page_obj = Paginator(found, PER_PAGE).get_page(params.get("pagina"))
    return {
        "cards": page_obj,
        "kind_choices": kinds.items(),
        "groups": groups,
        "themes": themes,
        "selected": {
            "type": kind,
            "doelgroep": group.slug if group else "",
            "thema": theme.slug if theme else "",
        },
        "filtered": bool(kind or group or theme),
    }


def landing(page, *, now=None) -> dict:
    """A target group's page: pinned items in the editor's order, then all tailored items."""
    tailored = collect_cards(target_group=page.target_group, now=now)
    pinned_ids = [block.value.pk for block in page.pinned if block.value]
    pinned = []
    if pinned_ids:
        by_id = {c.page_id: c for c in collect_cards(now=now) if c.page_id in pinned_ids}
        pinned = [by_id[i] for i in pinned_ids if i in by_id]
    shown = {c.page_id for c in pinned}
    return {"pinned": pinned, "cards": [c for c in tailored if c.page_id not in shown]}


def theme_listing(slug: str, *, page_number=None, now=None) -> dict | None:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        return None
    found = collect_cards(theme=slug, now=now)
    return {"tag": tag, "cards": Paginator(found, PER_PAGE).get_page(page_number)}


def product_detail(page) -> dict:
    return {
        "target_groups": list(page.target_groups.select_related("landing_page")),
        "themes": list(page.tags.all()),
    }


def reach_totals(*, page_ids=(), document_ids=()) -> dict:
    """{("view", id): n, ("download", id): n} in one query."""
    rows = (
        (
            ReachCount.objects.filter(kind=ReachKind.VIEW, object_id__in=list(page_ids))
            | ReachCount.objects.filter(kind=ReachKind.DOWNLOAD, object_id__in=list(document_ids))
        )
        .values("kind", "object_id")
        .annotate(total=Sum("count"))
    )
    return {(r["kind"], r["object_id"]): r["total"] for r in rows}


def registration_counts(page_ids) -> dict[int, int]:
    try:
        from learning.selectors import registration_counts as learning_counts  # noqa: PLC0415 (sibling app: goes with the hooks)
    except ImportError:
        return {}
    return learning_counts(list(page_ids))


def episode_download_counts(page_ids) -> dict[int, int]:
    """Podcast downloads (IAB rules, ``podcasts``) of the episodes among ``page_ids``."""
    try:
        from podcasts.selectors import download_totals  # noqa: PLC0415 (sibling app: goes with the hooks)
    except ImportError:
        return {}
    return download_totals(list(page_ids))


def plan_reach(plan) -> dict[int, dict]:
    """Live reach for every product linked in the plan: views, downloads, registrations."""
    page_ids = {
        item["page"].pk
        for section in plan.sections
        for item in section.value["products"]
        if item["page"] is not None
    }
    if not page_ids:
        return {}
    products = {
        p.pk: p
        for p in ProductPage.objects.filter(pk__in=page_ids)
        .defer_streamfields()
        .specific(defer=True)
    }
    doc_of = defaultdict(list)
    for pk, product in products.items():
        for attr in ("pdf_id", "slides_id", "video_id"):
            if getattr(product, attr, None):
                doc_of[pk].append(getattr(product, attr))
    totals = reach_totals(
        page_ids=page_ids, document_ids=[d for docs in doc_of.values() for d in docs]
    )
    registrations = registration_counts(page_ids)
    episode_downloads = episode_download_counts(page_ids)
    return {
        pk: {
            "views": totals.get((ReachKind.VIEW, pk), 0),
            "downloads": sum(totals.get((ReachKind.DOWNLOAD, d), 0) for d in doc_of.get(pk, []))
            + episode_downloads.get(pk, 0),
            "registrations": registrations.get(pk),
        }
        for pk in page_ids
    }


def _most_counted(kind: str, model, *, since, limit: int) -> list[tuple]:
    """(object, total) of the most counted objects of ``kind`` since ``since``: two queries."""
    rows = list(
        ReachCount.objects.filter(kind=kind, day__gte=since)
        .values("object_id")
        .annotate(total=Sum("count"))
        .order_by("-total", "object_id")[:limit]
    )
    objects = model.objects.in_bulk([r["object_id"] for r in rows])
    return [(objects[r["object_id"]], r["total"]) for r in rows if r["object_id"] in objects]


def top_downloads(*, since, limit=5) -> list[dict]:
    """Most downloaded documents (info sheets, slides) since ``since``."""

    found = _most_counted(ReachKind.DOWNLOAD, get_document_model(), since=since, limit=limit)
    return [{"document": doc, "downloads": total} for doc, total in found]


def top_reach(*, since, limit=10) -> list[dict]:
    """Most viewed pages since ``since`` (a date), with their titles."""

    found = _most_counted(ReachKind.VIEW, Page, since=since, limit=limit)
    return [{"page": page, "views": total} for page, total in found]
