"""Reads for the outreach pages: cards, overview filters, landing pages, reach."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import (
    Case,
    CharField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    Sum,
    Value,
    When,
)
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from website import reference
from website.cards import (
    Card,
    cache_prefix,
    card_entries,
    card_page,
    cards_by_ids,
    with_topics,
)
from website.hooks import (
    PlannedProduct,
    ReachFigure,
    ReachMetric,
    card_kinds,
    in_period,
    month_of,
    reach_totals,
)
from website.queries import public_pages
from website.routing import cached

from .choices import PlanStatus, ProductKind
from .models import (
    AnimationPage,
    CommunicationPlanPage,
    InfoSheetPage,
    ProductPage,
    ReachCount,
    WebinarRecordingPage,
)
from .models.reach import ReachKind

CARD_RENDITION = "fill-480x270"
PRODUCT_MODELS = {m.kind: m for m in (InfoSheetPage, AnimationPage, WebinarRecordingPage)}
PER_PAGE = 12


def _products(*, target_group=None, theme=None, kinds=None, now):
    models = [m for k, m in PRODUCT_MODELS.items() if kinds is None or k in set(kinds)]
    type_ids = [ContentType.objects.get_for_model(m).pk for m in models]
    pages = public_pages(ProductPage.objects.live()).filter(
        content_type_id__in=type_ids, publication_date__lte=timezone.localdate(now)
    )
    if target_group is not None:
        pages = pages.filter(target_groups=target_group)
    if theme:
        pages = pages.filter(pk__in=ProductPage.objects.filter(tags__slug=theme).values("pk"))
    return pages


def entries(*, target_group=None, theme=None, kinds=None, now=None):
    """Card source (website.cards): the matching products with their sort columns."""
    now = now or timezone.now()
    kind = Case(
        *[
            When(content_type_id=ContentType.objects.get_for_model(m).pk, then=Value(str(k)))
            for k, m in PRODUCT_MODELS.items()
        ],
        default=Value(""),
        output_field=CharField(),
    )
    pages = _products(target_group=target_group, theme=theme, kinds=kinds, now=now)
    return card_entries(pages, kind=kind, published_at=F("publication_date"))


def cards_by_id(*, page_ids, now=None) -> list[Card]:
    """Card source (website.cards): the cards of these products."""
    now = now or timezone.now()
    return _cards(_products(now=now).filter(pk__in=list(page_ids)))


def cards(
    *, target_group=None, theme=None, kinds=None, now=None, limit=None, page_ids=None
) -> list[Card]:
    """Card source (see website.cards): live, public, published products."""
    now = now or timezone.now()
    if kinds is not None and not any(k in PRODUCT_MODELS for k in kinds):
        return []
    pages = _products(target_group=target_group, theme=theme, kinds=kinds, now=now)
    if page_ids is not None:
        pages = pages.filter(pk__in=list(page_ids))
    pages = pages.order_by("-publication_date", "-pk")
    return _cards(pages[:limit] if limit else pages)


def _cards(pages) -> list[Card]:
    pages = pages.defer_streamfields().prefetch_related(
        Prefetch(
            "card_image",
            queryset=get_image_model().objects.prefetch_renditions(CARD_RENDITION),
        )
    )
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


def cards_about(*, page_ids, now=None) -> list[Card]:
    """The cards of these products with their target groups and themes (website.cards)."""
    return with_topics(cards(page_ids=page_ids, now=now), ProductPage)


def themes_in_use() -> list:
    """Themes given to anything (products, trainings, episodes: every app tags through
    its own model onto the shared taggit table), in one query: one EXISTS per tagging
    model (joining them all would multiply the rows by every tagged item)."""

    used = Q()
    for relation in Tag._meta.related_objects:
        model = relation.related_model
        through = getattr(relation, "through", None)
        if relation.many_to_many and through and through._meta.app_label != "taggit":
            continue  # the page's own tag model (its through) is asked already
        if model._meta.app_label != "taggit":
            tagged = model._base_manager.filter(**{relation.field.name: OuterRef("pk")})
            used |= Q(Exists(tagged))
    return list(Tag.objects.filter(used).order_by("name")) if used else []


def _themes_in_use_cached() -> list:
    """``themes_in_use()``, kept with the cards (under the content stamp: tagging a page
    moves it)."""
    prefix = cache_prefix()
    if prefix is None:
        return themes_in_use()
    return cached(f"{prefix}:outreach-themes", themes_in_use, 2 * settings.CARD_CACHE_SECONDS)


def product_overview(params, *, now=None) -> dict:
    """The /producten/ listing with its filters (type, target group, theme) from the URL:
    filtered, sorted and paged in the database, only the page's cards built."""
    kinds = dict(card_kinds())
    groups = reference.target_groups()
    themes = _themes_in_use_cached()
    kind = params.get("type") if params.get("type") in kinds else ""
    group = next((g for g in groups if g.slug == params.get("doelgroep")), None)
    theme = next((t for t in themes if t.slug == params.get("thema")), None)
    page_obj = card_page(
        target_group=group,
        theme=theme.slug if theme else None,
        kinds=[kind] if kind else None,
        now=now,
        page_number=params.get("pagina"),
        per_page=PER_PAGE,
        interleave=not kind,  # every kind of product from the first page on
    )
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


def landing(page, *, now=None, page_number=None) -> dict:
    """A target group's page: pinned items in the editor's order, then the tailored
    items a page at a time."""
    pinned = cards_by_ids([block.value.pk for block in page.pinned if block.value], now=now)
    cards = card_page(
        target_group=page.target_group,
        now=now,
        page_number=page_number,
        per_page=PER_PAGE,
        exclude_ids=[c.page_id for c in pinned],
    )
    return {"pinned": pinned, "cards": cards}


def theme_listing(slug: str, *, page_number=None, now=None) -> dict | None:
    tag = Tag.objects.filter(slug=slug).first()
    if tag is None:
        return None
    found = card_page(theme=slug, now=now, page_number=page_number, per_page=PER_PAGE)
    return {"tag": tag, "cards": found}


def product_detail(page) -> dict:
    return {
        "target_groups": list(page.target_groups.select_related("landing_page")),
        "themes": list(page.tags.all()),
    }


# The documents each product type counts downloads of, as paths from ProductPage.
PRODUCT_DOCUMENTS = (
    "infosheetpage__pdf_id",
    "animationpage__video_id",
    "webinarrecordingpage__slides_id",
    "webinarrecordingpage__video_id",
)


def product_documents(page_ids=None) -> dict[int, list[int]]:
    """{product page id: [document ids]} (PDF, slides, video) of the products among
    ``page_ids`` (None: every product); one query, joining each product type's table
    (a deferred ``.specific()`` would load each page's document field one by one)."""
    products = ProductPage.objects.all()
    if page_ids is not None:
        products = products.filter(pk__in=list(page_ids))
    documents = defaultdict(list)
    for page_id, *document_ids in products.values_list("pk", *PRODUCT_DOCUMENTS):
        documents[page_id].extend(pk for pk in document_ids if pk)
    return {page_id: ids for page_id, ids in documents.items() if ids}


def reach_figures(*, page_ids=None, since=None, until=None, by_month=False) -> list[ReachFigure]:
    """Reach source (website.hooks): views of any page (counted by this app for the
    whole site) and downloads of the documents of products, a document used by two
    products counting for each. Two queries."""
    documents = product_documents(page_ids)
    pages_of = defaultdict(list)
    for page_id, document_ids in documents.items():
        for document_id in document_ids:
            pages_of[document_id].append(page_id)
    views = ReachCount.objects.filter(kind=ReachKind.VIEW)
    if page_ids is not None:
        views = views.filter(object_id__in=list(page_ids))
    rows = views | ReachCount.objects.filter(kind=ReachKind.DOWNLOAD, object_id__in=list(pages_of))
    rows = in_period(rows, "day", since=since, until=until)
    fields = ["kind", "object_id"]
    if by_month:
        rows = rows.annotate(month=month_of("day"))
        fields.append("month")
    figures = []
    for row in rows.values(*fields).annotate(total=Sum("count")).order_by():
        month = row.get("month")
        if row["kind"] == ReachKind.VIEW:
            figures.append(ReachFigure(row["object_id"], ReachMetric.VIEWS, row["total"], month))
        else:
            figures.extend(
                ReachFigure(page_id, ReachMetric.DOWNLOADS, row["total"], month)
                for page_id in pages_of[row["object_id"]]
            )
    return figures


def plan_reach(plan) -> dict[int, dict]:
    """Live reach for every product linked in the plan, from every app's reach source:
    views, downloads (of documents, and plays of podcast episodes), registrations, and
    e-mails to subscribers that announced it with the clicks on their links."""
    page_ids = {
        item["page"].pk
        for section in plan.sections
        for item in section.value["products"]
        if item["page"] is not None
    }
    totals = reach_totals(page_ids=page_ids)
    return {
        pk: {
            "views": totals.get(pk, {}).get(ReachMetric.VIEWS, 0),
            "downloads": totals.get(pk, {}).get(ReachMetric.DOWNLOADS, 0)
            + totals.get(pk, {}).get(ReachMetric.PLAYS, 0),
            "registrations": totals.get(pk, {}).get(ReachMetric.REGISTRATIONS),
            "mailed": totals.get(pk, {}).get(ReachMetric.MAILED, 0),
            "mail_clicks": totals.get(pk, {}).get(ReachMetric.MAIL_CLICKS, 0),
        }
        for pk in page_ids
    }


def _most_counted(kind: str, model, *, since, limit: int) -> list[tuple]:
    """(object, total) of the most counted objects of ``kind`` since ``since``: two queries.
    The counts of the days since..today are read from the covering (kind, day, object_id,
    count) index. SQLite, without statistics, would rather read every count of the kind
    in object order from the (kind, object_id, ...) index to save the sort for the GROUP BY
    (130 ms instead of 4 at 1,000,000 counts); grouping by ``object_id + 0``, an expression
    no index is ordered by, leaves it only the day range to choose an index by."""
    rows = list(
        ReachCount.objects.filter(kind=kind, day__gte=since, day__lte=timezone.localdate())
        .values(object=F("object_id") + Value(0))
        .annotate(total=Sum("count"))
        .order_by("-total", "object")[:limit]
    )
    objects = model.objects.in_bulk([r["object"] for r in rows])
    return [(objects[r["object"]], r["total"]) for r in rows if r["object"] in objects]


def top_downloads(*, since, limit=5) -> list[dict]:
    """Most downloaded documents (info sheets, slides) since ``since``."""

    found = _most_counted(ReachKind.DOWNLOAD, get_document_model(), since=since, limit=limit)
    return [{"document": doc, "downloads": total} for doc, total in found]


def top_reach(*, since, limit=10) -> list[dict]:
    """Most viewed pages since ``since`` (a date), with their titles."""

    found = _most_counted(ReachKind.VIEW, Page, since=since, limit=limit)
    return [{"page": page, "views": total} for page, total in found]


# ----- for the reach report (website.hooks: audience sources, planned products) ----------


def audiences(*, page_ids=None) -> list[tuple[int, int]]:
    """Audience source: (product page id, target group id). One query."""
    rows = ProductPage.target_groups.through.objects.all()
    if page_ids is not None:
        rows = rows.filter(productpage_id__in=list(page_ids))
    return list(rows.values_list("productpage_id", "targetgroup_id"))


def _items(value) -> list[dict]:
    """A ListBlock's raw items, in the current ({"type": "item", "value": ...}) or the
    older (plain values) format."""
    return [
        item["value"] if isinstance(item, dict) and item.get("type") == "item" else item
        for item in value or []
    ]


def planned_products(*, years) -> list[PlannedProduct]:
    """Planned-products source: every product of the communication plans of ``years``, in
    plan order, read from the stored blocks (no page fetched). One query."""
    found = []
    plans = CommunicationPlanPage.objects.filter(year__in=list(years)).order_by("year", "path")
    for year, sections in plans.values_list("year", "sections"):
        for section in sections.raw_data:
            if section.get("type") != "group":
                continue
            value = section.get("value") or {}
            for item in _items(value.get("products")):
                month = str(item.get("month") or "")
                status = item.get("status") or ""
                found.append(
                    PlannedProduct(
                        year=year,
                        title=item.get("title") or "",
                        target_group_id=value.get("target_group"),
                        month=int(month) if month.isdigit() else None,
                        status=str(PlanStatus(status).label) if status in PlanStatus.values else "",
                        page_id=item.get("page") or None,
                    )
                )
    return found
