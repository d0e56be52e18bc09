"""Demo content for subscriptions, idempotent: a few confirmed subscribers, the mailings
that publishing the demo pages proposed (two announced with example figures, two left
for an editor to decide, the rest not announced), and a section on the privacy
statement."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Page

from subscriptions.models import (
    ClickCount,
    Decision,
    Frequency,
    Mailing,
    MailingKind,
    MailingStatus,
    Subscription,
    SubscriptionTheme,
)
from website.models import SiteSettings, TargetGroup

PRIVACY_HEADING = "Op de hoogte blijven"
PRIVACY_TEXT = (
    "<ul>"
    "<li><b>Gegevens:</b> uw e-mailadres, de doelgroepen en thema's die u kiest en hoe vaak u "
    "mail wilt.</li>"
    "<li><b>Waarvoor:</b> u een e-mail sturen als er iets nieuws verschijnt voor uw keuze, direct "
    "of in een maandoverzicht. Pas na uw bevestiging sturen we iets; zonder bevestiging wissen "
    "we uw adres na zeven dagen.</li>"
    "<li><b>Wie ziet ze:</b> niemand bekijkt de lijst met adressen; communicatiemedewerkers zien "
    "alleen aantallen abonnees per doelgroep en thema.</li>"
    "<li><b>Hoe lang:</b> tot u zich afmeldt (met de link in elke e-mail of op uw persoonlijke "
    "pagina). Dan wissen we uw adres, uw keuzes en de verzonden e-mails aan u meteen. We "
    "tellen hoeveel e-mails we verstuurden en hoe vaak er op de links werd geklikt, niet wie "
    "klikte. Een bewijs dat u een bericht kreeg bewaren we hoogstens dertig dagen.</li>"
    "</ul>"
)


def _privacy_section() -> None:
    """Add the subscriptions section to the privacy statement once, before "Uw rechten"
    (as a subsection when the statement has them)."""
    settings = SiteSettings.load()
    page = settings.privacy_page
    if page is None:
        return
    page = page.specific
    body = list(page.body)
    if any(
        block.block_type == "heading" and block.value.get("text") == PRIVACY_HEADING
        for block in body
    ):
        return
    level = (
        "h3"
        if any(b.block_type == "heading" and b.value.get("level") == "h3" for b in body)
        else "h2"
    )
    at = next(
        (
            i
            for i, b in enumerate(body)
            if b.block_type == "heading" and b.value.get("text") == "Uw rechten"
        ),
        len(body),
    )
    blocks = [(b.block_type, b.value) for b in body]
    blocks[at:at] = [
        ("heading", {"text": PRIVACY_HEADING, "level": level}),
        ("paragraph", PRIVACY_TEXT),
    ]
    page.body = blocks
    page.save_revision().publish()


SUBSCRIBERS = [
    ("wijkteam.zaanstad@example.nl", Frequency.DIRECT, 0),
    ("leerplicht.haarlem@example.nl", Frequency.MONTHLY, 1),
    ("beleid.alkmaar@example.nl", Frequency.DIRECT, 2),
    ("zorgcoordinator.hoorn@example.nl", Frequency.MONTHLY, 3),
]


def _subscribers(now) -> None:
    groups = list(TargetGroup.objects.order_by("sort_order", "pk"))
    tags = list(Tag.objects.order_by("name")[:3])
    for email, frequency, index in SUBSCRIBERS:
        sub, created = Subscription.objects.get_or_create(
            email=email,
            defaults={
                "frequency": frequency,
                "created_at": now - dt.timedelta(days=40),
                "confirmed_at": now - dt.timedelta(days=40),
                "updated_at": now,
            },
        )
        if created and groups:
            sub.target_groups.set([groups[index % len(groups)]])
            if tags:
                SubscriptionTheme.objects.create(subscription=sub, tag=tags[index % len(tags)])


def _mailings(now) -> None:
    """Demo pages proposed mailings as they were published; decide them once."""
    awaiting = list(
        Mailing.objects.filter(kind=MailingKind.DIRECT, status=MailingStatus.AWAITING)
        .prefetch_related("items")
        .order_by("pk")
    )
    if Mailing.objects.exclude(status=MailingStatus.AWAITING).exists():
        return  # decided before
    for index, mailing in enumerate(awaiting):
        if index < 2:  # left for an editor to decide: the flow they will see
            continue
        announced = index < 4
        mailing.decision = Decision.NOTIFY if announced else Decision.SKIP
        mailing.status = MailingStatus.DONE
        mailing.decided_at = mailing.started_at = mailing.finished_at = now - dt.timedelta(
            days=10 + index
        )
        if announced:  # example figures: no demo e-mail is really sent
            mailing.recipients = mailing.sent = 12 + index
            for item in mailing.items.all():
                item.sent = mailing.sent
                item.save(update_fields=["sent"])
                ClickCount.objects.get_or_create(
                    item=item,
                    day=(now - dt.timedelta(days=9 + index)).date(),
                    defaults={"count": 3 + index},
                )
        mailing.save()


def seed(*, scale: int = 1, stdout=None) -> None:
    now = timezone.now()
    with transaction.atomic():
        _subscribers(now)
        _mailings(now)
    if Page.objects.filter(depth__gt=1).exists():
        _privacy_section()
