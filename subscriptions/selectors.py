"""Reads for the subscription pages, the editors' screens and the reach figures; each in a
constant number of queries however many subscribers and mailings there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Case, Count, Prefetch, Q, Sum, Value, When
from django.db.models.functions import TruncMonth
from taggit.models import Tag

from subscriptions.models import (
    ClickCount,
    Frequency,
    Mailing,
    MailingItem,
    MailingStatus,
    Subscription,
)
from website.hooks import ReachFigure, ReachMetric
from website.models import TargetGroup


def themes_in_use() -> list[Tag]:
    """Themes given to published content of any app (visible relations of ``Tag``; a
    subscriber's choice is a hidden one and never counts), in one query."""
    used = Q()
    for relation in Tag._meta.related_objects:
        if relation.related_model._meta.app_label != "taggit":
            used |= Q(**{f"{relation.name}__isnull": False})
    return list(Tag.objects.filter(used).distinct().order_by("name")) if used else []


def subscription_by_token(token: str) -> Subscription | None:
    """The subscription with its choices (three queries), or None."""
    return (
        Subscription.objects.filter(token=token)
        .prefetch_related(
            Prefetch("target_groups", queryset=TargetGroup.objects.only("pk", "name")),
            "theme_links__tag",
        )
        .first()
    )


def mailing_list(*, limit: int = 50) -> list[Mailing]:
    """Mailings for the editors' overview, awaiting a decision first, with their items
    and clicks: three queries."""
    clicks = Sum("clicks__count")
    items = MailingItem.objects.annotate(click_total=clicks).order_by("position")
    mailings = list(
        Mailing.objects.select_related("decided_by")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="item_list"))
        .annotate(first=Case(When(status=MailingStatus.AWAITING, then=Value(0)), default=Value(1)))
        .order_by("first", "-created_at", "-pk")[:limit]
    )
    for mailing in mailings:
        mailing.clicks = sum(item.click_total or 0 for item in mailing.item_list)
    return mailings


def subscriber_counts() -> dict:
    """Confirmed subscriptions per target group and per theme, split by how often, and
    the totals: counts only, no addresses (three queries)."""
    confirmed = Q(confirmed_at__isnull=False)
    totals = Subscription.objects.aggregate(
        direct=Count("pk", filter=confirmed & Q(frequency=Frequency.DIRECT)),
        monthly=Count("pk", filter=confirmed & Q(frequency=Frequency.MONTHLY)),
        unconfirmed=Count("pk", filter=Q(confirmed_at__isnull=True)),
    )
    per_group = defaultdict(dict)
    rows = (
        Subscription.objects.filter(confirmed)
        .values("target_groups__name", "frequency")
        .annotate(n=Count("pk"))
        .exclude(target_groups__name=None)
    )
    for row in rows:
        per_group[row["target_groups__name"]][row["frequency"]] = row["n"]
    per_theme = defaultdict(dict)
    rows = (
        Subscription.objects.filter(confirmed)
        .values("theme_links__tag__name", "frequency")
        .annotate(n=Count("pk"))
        .exclude(theme_links__tag__name=None)
    )
    for row in rows:
        per_theme[row["theme_links__tag__name"]][row["frequency"]] = row["n"]
    return {
        "totals": totals,
        "groups": sorted(per_group.items()),
        "themes": sorted(per_theme.items()),
    }


def reach_figures(*, page_ids, since, until, by_month) -> list[ReachFigure]:
    """Reach source (``website.hooks.REACH_SOURCES``): per page, the delivered e-mails that
    announced it (direct or in an overview; dated by when sending started) and the clicks
    on its links in them (per day). Two queries."""
    items = MailingItem.objects.filter(page__isnull=False, sent__gt=0)
    clicks = ClickCount.objects.filter(item__page__isnull=False)
    if page_ids is not None:
        items = items.filter(page_id__in=page_ids)
        clicks = clicks.filter(item__page_id__in=page_ids)
    if since:
        items = items.filter(mailing__started_at__date__gte=since)
        clicks = clicks.filter(day__gte=since)
    if until:
        items = items.filter(mailing__started_at__date__lte=until)
        clicks = clicks.filter(day__lte=until)
    found = []
    if by_month:
        rows = (
            items.annotate(month=TruncMonth("mailing__started_at"))
            .values("page_id", "month")
            .annotate(total=Sum("sent"))
        )
        found += [
            ReachFigure(r["page_id"], ReachMetric.MAILED, r["total"], _as_date(r["month"]))
            for r in rows
        ]
        rows = (
            clicks.annotate(month=TruncMonth("day"))
            .values("item__page_id", "month")
            .annotate(total=Sum("count"))
        )
        found += [
            ReachFigure(
                r["item__page_id"], ReachMetric.MAIL_CLICKS, r["total"], _as_date(r["month"])
            )
            for r in rows
        ]
        return found
    for r in items.values("page_id").annotate(total=Sum("sent")):
        found.append(ReachFigure(r["page_id"], ReachMetric.MAILED, r["total"]))
    for r in clicks.values("item__page_id").annotate(total=Sum("count")):
        found.append(ReachFigure(r["item__page_id"], ReachMetric.MAIL_CLICKS, r["total"]))
    return found


def _as_date(value) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
