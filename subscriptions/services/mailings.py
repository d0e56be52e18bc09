"""What is sent: one e-mail per new item to direct subscribers, a monthly overview to the
others, both through the site's durable outbox (``website.mail``).

- **Proposed, not sent.** Publishing a page (``propose_mailing``, from Wagtail's
  ``page_published`` signal, so scheduled and workflow publishing count too) creates at
  most one mailing per page (unique constraint): re-publishing and two editors
  publishing at once never make a second one. What the page is about (title, summary,
  URL, kind, target groups, themes) comes from the card sources (``website.cards``).
- **An editor decides** (``decide``) after seeing the e-mail and the number of recipients:
  right away (and in the monthly overview), only in the monthly overview, or not at all.
- **Exactly once** (``send_mailing``, ``send_due_digests``): each recipient is claimed
  with a ``Delivery`` row (unique per mailing and subscription) in the same transaction
  as its e-mail in the outbox. A second worker's insert waits for the first and then
  fails on the constraint, so it skips; a rollback takes claim and e-mail together.
- **Counts, not people**: ``recipients`` (e-mails queued) per mailing; ``sent`` per mailing
  and item (delivered, from the outbox's ``cter_email_delivered`` hook, with the item
  positions in the e-mail's tag); clicks per item and day (``count_click``).
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag
from wagtail.models import Page

from subscriptions import tasks
from subscriptions.models import (
    ClickCount,
    Decision,
    Delivery,
    Frequency,
    Mailing,
    MailingItem,
    MailingKind,
    MailingStatus,
    Subscription,
)
from subscriptions.services.common import (
    AMSTERDAM,
    TAG_PREFIX,
    SubscriptionError,
    absolute,
    claims_kept,
    click_url,
    digest_hour,
    manage_url,
    unsubscribe_headers,
    unsubscribe_url,
)
from website import counting, mail
from website.cards import Card, cards_about
from website.models import TargetGroup

log = logging.getLogger(__name__)
MAILING_TAG = TAG_PREFIX + "mailing:"
# Rendered once per mailing, replaced by each recipient's token (the same shape as a token,
# so the personal links' URL patterns accept it).
TOKEN_PLACEHOLDER = "xTOKENx" * 6 + "x"
CHUNK = 500


# ----- who gets what --------------------------------------------------------------------


def matching(*, frequency: str, target_groups: Iterable[int], themes: Iterable[str]):
    """Confirmed subscriptions of ``frequency`` following any of these target groups
    (ids) or themes (tag slugs): one query, however many subscribers."""
    target_groups, themes = list(target_groups), list(themes)
    if not target_groups and not themes:
        return Subscription.objects.none()
    follows = Q()
    if target_groups:
        follows |= Q(target_groups__in=target_groups)
    if themes:
        follows |= Q(theme_links__tag__slug__in=themes)
    return Subscription.objects.filter(
        follows, confirmed_at__isnull=False, frequency=frequency
    ).distinct()


def recipient_counts(item: MailingItem | Card) -> dict[str, int]:
    """How many would get this item right away and in the monthly overview (two COUNTs)."""
    return {
        value: matching(
            frequency=value, target_groups=item.target_groups, themes=item.themes
        ).count()
        for value in Frequency.values
    }


# ----- proposing and deciding -------------------------------------------------------------


def _snapshot(card: Card) -> dict:
    url = card.url if card.url.startswith("http") else absolute(card.url)
    return {
        "kind_label": str(card.kind_label)[:100],
        "title": card.title[:255],
        "summary": card.summary or "",
        "url": url[:500],
        "target_groups": list(card.target_groups),
        "themes": list(card.themes),
    }


def propose_mailing(*, page_id: int, now: dt.datetime) -> Mailing | None:
    """The mailing for a page that was just published, awaiting an editor's decision;
    None when the page already had one (re-publishing), is not something the card
    sources list (a standard page, not public) or is for no target group or theme."""
    if Mailing.objects.filter(kind=MailingKind.DIRECT, page_id=page_id).exists():
        return None
    card = cards_about(page_ids=[page_id], now=now).get(page_id)
    if card is None or not (card.target_groups or card.themes):
        return None
    try:
        with transaction.atomic():
            mailing = Mailing.objects.create(
                kind=MailingKind.DIRECT, page_id=page_id, created_at=now
            )
            MailingItem.objects.create(
                mailing=mailing, position=0, page_id=page_id, **_snapshot(card)
            )
    except IntegrityError:  # published twice at the same moment: the other one made it
        return None
    return mailing


def decide(*, mailing_id: int, decision: str, user, now: dt.datetime) -> Mailing:
    """Record the editor's decision; with ``NOTIFY`` the e-mails go out after the commit.
    The item is refreshed from the page as it is now (the editor may have changed it)."""
    if decision not in Decision.values:
        raise SubscriptionError(_("Choose what to do."))
    mailing = Mailing.objects.filter(pk=mailing_id, kind=MailingKind.DIRECT).first()
    if mailing is None:
        raise SubscriptionError(_("This mailing no longer exists."))
    card = None
    if decision != Decision.SKIP:
        card = cards_about(page_ids=[mailing.page_id], now=now).get(mailing.page_id)
        if card is None:
            raise SubscriptionError(
                _("This page is no longer published, so nothing can be announced.")
            )
    with transaction.atomic():
        mailing = Mailing.objects.select_for_update(of=("self",)).get(pk=mailing_id)
        if mailing.decision:
            raise SubscriptionError(_("Someone has already decided about this mailing."))
        if card is not None:
            MailingItem.objects.filter(mailing=mailing, position=0).update(**_snapshot(card))
        mailing.decision = decision
        mailing.decided_at = now
        mailing.decided_by = user if getattr(user, "pk", None) else None
        if decision == Decision.NOTIFY:
            mailing.status = MailingStatus.SENDING
            mailing.started_at = now
            transaction.on_commit(lambda: _enqueue_sending(mailing_id))
        else:
            mailing.status = MailingStatus.DONE
        mailing.save()
        return mailing


def _enqueue_sending(mailing_id: int) -> None:
    try:
        tasks.send_mailing.enqueue(mailing_id)
    except Exception:  # the scheduler sends mailings left in SENDING
        log.exception("Could not enqueue mailing %s", mailing_id)


# ----- rendering ---------------------------------------------------------------------------


def _links(token: str) -> dict[str, str]:
    return {"manage_url": manage_url(token), "unsubscribe_url": unsubscribe_url(token)}


def _topic_names(items: list[MailingItem]) -> list[str]:
    """The target groups and themes these items are for, by name (two small queries)."""
    group_ids = {g for item in items for g in item.target_groups}
    slugs = {t for item in items for t in item.themes}
    groups = list(TargetGroup.objects.filter(pk__in=group_ids).values_list("name", flat=True))
    themes = list(
        Tag.objects.filter(slug__in=slugs).order_by("name").values_list("name", flat=True)
    )
    return groups + themes


def direct_context(mailing: Mailing, items: list[MailingItem], *, token: str) -> dict:
    item = items[0]
    return {
        "item": item,
        "link": click_url(mailing.pk, item.position),
        "topics": _topic_names(items),
        **_links(token),
    }


def render_direct(
    mailing: Mailing, items: list[MailingItem], *, token: str
) -> tuple[str, str, str]:
    """(subject, text, html) of the e-mail announcing one item (also the editor's preview)."""
    item = items[0]
    context = direct_context(mailing, items, token=token)
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("New: %(title)s") % {"title": item.title})
    text, html = mail.render("subscriptions/email/direct", context)
    return subject, text, html


def _month_label(month: dt.date) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return formats.date_format(month, "F Y")


def render_digest(
    mailing: Mailing, items: list[MailingItem], *, token: str, topics: list[str]
) -> tuple[str, str, str]:
    month = _month_label(mailing.month)
    context = {
        "month": month,
        "entries": [(item, click_url(mailing.pk, item.position)) for item in items],
        "topics": topics,
        **_links(token),
    }
    with translation.override(settings.LANGUAGE_CODE):
        subject = str(_("New in %(month)s: an overview for you") % {"month": month})
    text, html = mail.render("subscriptions/email/digest", context)
    return subject, text, html


# ----- sending, exactly once ------------------------------------------------------------------


def _claim_and_queue(
    mailing: Mailing, *, subscription_id: int, email: str, token: str, content, tag: str, now
) -> bool:
    """Claim the recipient and store the e-mail, together; False when another worker
    (or an earlier run) already claimed this recipient, or the subscription is gone."""
    subject, text, html = content
    try:
        with transaction.atomic():
            Delivery.objects.create(
                mailing=mailing, subscription_id=subscription_id, created_at=now
            )
            mail.store_and_send(
                to=email,
                subject=subject,
                text=text.replace(TOKEN_PLACEHOLDER, token),
                html=html.replace(TOKEN_PLACEHOLDER, token),
                headers=unsubscribe_headers(token),
                tag=tag,
            )
            Mailing.objects.filter(pk=mailing.pk).update(recipients=F("recipients") + 1)
    except IntegrityError:
        return False
    return True


def _unclaimed(subscriptions, mailing: Mailing):
    claimed = Delivery.objects.filter(mailing=mailing).values("subscription_id")
    return subscriptions.exclude(pk__in=claimed)


def send_mailing(*, mailing_id: int, now: dt.datetime) -> int:
    """Mail a decided item to every direct subscriber who follows one of its target
    groups or themes and has not had it; returns how many e-mails were queued. Safe to
    run by several workers at once and again after a crash."""
    mailing = Mailing.objects.filter(
        pk=mailing_id, kind=MailingKind.DIRECT, status=MailingStatus.SENDING
    ).first()
    if mailing is None:
        return 0
    items = list(mailing.items.all())
    if not items:
        return 0
    content = render_direct(mailing, items, token=TOKEN_PLACEHOLDER)
    recipients = _unclaimed(
        matching(
            frequency=Frequency.DIRECT,
            target_groups=items[0].target_groups,
            themes=items[0].themes,
        ),
        mailing,
    )
    queued = 0
    for pk, email, token in list(recipients.values_list("pk", "email", "token")):
        queued += _claim_and_queue(
            mailing,
            subscription_id=pk,
            email=email,
            token=token,
            content=content,
            tag=f"{MAILING_TAG}{mailing.pk}",
            now=now,
        )
    Mailing.objects.filter(pk=mailing.pk, status=MailingStatus.SENDING).update(
        status=MailingStatus.DONE, finished_at=now
    )
    return queued


def _month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def _previous_month(day: dt.date) -> dt.date:
    return _month_start(_month_start(day) - dt.timedelta(days=1))


def _digest_for(month: dt.date, *, now: dt.datetime) -> Mailing:
    """The overview of ``month`` (created once, with its items: what editors announced
    that month and is still published)."""
    existing = Mailing.objects.filter(kind=MailingKind.DIGEST, month=month).first()
    if existing:
        return existing
    start = dt.datetime.combine(month, dt.time.min, tzinfo=AMSTERDAM)
    end = dt.datetime.combine(
        _month_start(month + dt.timedelta(days=31)), dt.time.min, tzinfo=AMSTERDAM
    )
    announced = list(
        MailingItem.objects.filter(
            mailing__kind=MailingKind.DIRECT,
            mailing__decision__in=[Decision.NOTIFY, Decision.DIGEST],
            mailing__decided_at__gte=start,
            mailing__decided_at__lt=end,
            page__live=True,
        ).order_by("mailing__decided_at", "pk")
    )
    try:
        with transaction.atomic():
            digest = Mailing.objects.create(
                kind=MailingKind.DIGEST,
                month=month,
                status=MailingStatus.SENDING if announced else MailingStatus.DONE,
                decision=Decision.NOTIFY,
                created_at=now,
                started_at=now,
                finished_at=None if announced else now,
            )
            MailingItem.objects.bulk_create(
                [
                    MailingItem(
                        mailing=digest,
                        position=position,
                        page_id=item.page_id,
                        kind_label=item.kind_label,
                        title=item.title,
                        summary=item.summary,
                        url=item.url,
                        target_groups=item.target_groups,
                        themes=item.themes,
                    )
                    for position, item in enumerate(announced)
                ]
            )
    except IntegrityError:  # another scheduler made it a moment ago
        return Mailing.objects.get(kind=MailingKind.DIGEST, month=month)
    return digest


def send_due_digests(*, now: dt.datetime) -> int:
    """From ``SUBSCRIPTIONS_DIGEST_HOUR`` on the 1st (Europe/Amsterdam): the overview of
    the previous month to every monthly subscriber with at least one item in their
    target groups or themes; returns how many e-mails were queued."""
    local = now.astimezone(AMSTERDAM)
    if local.day == 1 and local.hour < digest_hour():
        return 0
    digest = _digest_for(_previous_month(local.date()), now=now)
    if digest.status != MailingStatus.SENDING:
        return 0
    items = list(digest.items.all())
    groups = {g for item in items for g in item.target_groups}
    themes = {t for item in items for t in item.themes}
    recipients = _unclaimed(
        matching(frequency=Frequency.MONTHLY, target_groups=groups, themes=themes), digest
    )
    names = dict(TargetGroup.objects.values_list("pk", "name"))
    ids = list(recipients.values_list("pk", flat=True))
    queued = 0
    for start in range(0, len(ids), CHUNK):
        chunk = (
            Subscription.objects.filter(pk__in=ids[start : start + CHUNK])
            .prefetch_related("target_groups", "theme_links__tag")
            .order_by("pk")
        )
        for sub in chunk:
            follows_groups = {g.pk for g in sub.target_groups.all()}
            follows_themes = {link.tag.slug: link.tag.name for link in sub.theme_links.all()}
            mine = [
                item
                for item in items
                if follows_groups & set(item.target_groups)
                or follows_themes.keys() & set(item.themes)
            ]
            if not mine:
                continue
            topics = sorted(names[g] for g in follows_groups if g in names) + sorted(
                follows_themes.values()
            )
            content = render_digest(digest, mine, token=sub.token, topics=topics)
            mask = sum(1 << item.position for item in mine)
            queued += _claim_and_queue(
                digest,
                subscription_id=sub.pk,
                email=sub.email,
                token=sub.token,
                content=content,
                tag=f"{MAILING_TAG}{digest.pk}:{mask:x}"[:100],
                now=now,
            )
    Mailing.objects.filter(pk=digest.pk, status=MailingStatus.SENDING).update(
        status=MailingStatus.DONE, finished_at=now
    )
    return queued


def send_pending_mailings(*, now: dt.datetime) -> int:
    """The scheduler's safety net: mailings still sending (their task never ran, or a
    worker died halfway) are finished; claims keep everyone at one e-mail."""
    ids = Mailing.objects.filter(kind=MailingKind.DIRECT, status=MailingStatus.SENDING).values_list(
        "pk", flat=True
    )
    return sum(send_mailing(mailing_id=pk, now=now) for pk in list(ids))


def forget_claims(*, now: dt.datetime) -> int:
    """Who got a mailing is kept only while it may still be sending: claims of mailings
    that finished longer than ``SUBSCRIPTIONS_CLAIMS_DAYS`` ago go; the counts stay."""
    return Delivery.objects.filter(
        mailing__status=MailingStatus.DONE, mailing__finished_at__lt=now - claims_kept()
    ).delete()[0]


# ----- counting ------------------------------------------------------------------------------


def parse_tag(tag: str) -> tuple[int, list[int] | None] | None:
    """(mailing id, item positions or None for "the only item") from an e-mail's tag."""
    if not tag.startswith(MAILING_TAG):
        return None
    parts = tag[len(MAILING_TAG) :].split(":")
    try:
        mailing_id = int(parts[0])
        if len(parts) == 1:
            return mailing_id, None
        mask = int(parts[1], 16)
    except (ValueError, IndexError):
        return None
    return mailing_id, [bit for bit in range(mask.bit_length()) if mask >> bit & 1]


def count_delivery(*, tag: str, now: dt.datetime) -> None:
    """Hook ``cter_email_delivered``: one more e-mail of this mailing (and of each item
    it listed) was delivered. Two UPDATEs, inside the delivery's transaction."""
    parsed = parse_tag(tag)
    if parsed is None:
        return
    mailing_id, positions = parsed
    Mailing.objects.filter(pk=mailing_id).update(sent=F("sent") + 1)
    items = MailingItem.objects.filter(mailing_id=mailing_id)
    if positions is not None:
        items = items.filter(position__in=positions)
    items.update(sent=F("sent") + 1)


def click_target(*, mailing_id: int, position: int) -> tuple[MailingItem | None, str]:
    """The item behind a link in a mailing and where it points now ("" when the page
    is no longer published)."""
    item = (
        MailingItem.objects.filter(mailing_id=mailing_id, position=position)
        .only("pk", "page_id", "url")
        .first()
    )
    if item is None:
        return None, ""
    page = Page.objects.filter(pk=item.page_id, live=True).first() if item.page_id else None
    return item, (page.get_url() if page else "")


def count_click(*, item: MailingItem, ip: str, user_agent: str, now: dt.datetime) -> bool:
    """Count a click on the item's link once per visitor per day (daily-salted digest,
    shared counting layer); nothing about who clicked is stored. True when counted."""
    day = now.astimezone(AMSTERDAM).date()
    digest = counting.visitor_digest(
        ip=ip, user_agent=user_agent, scope=f"mailclick|{item.pk}", day=day
    )
    if not counting.first_today(digest=digest, day=day):
        return False
    counting.add_to_count(ClickCount, key={"item": item, "day": day})
    return True
