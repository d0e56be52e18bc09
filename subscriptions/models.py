"""Subscriptions ("Houd mij op de hoogte") and the mailings sent to them.

- ``Subscription``: one per e-mail address (lower-cased): target groups and/or themes,
  direct or a monthly overview, a random token for the personal links (confirm, manage,
  unsubscribe). Nothing is sent before ``confirmed_at``; unconfirmed ones are deleted
  after ``CONFIRM_WITHIN``. Unsubscribing deletes the row and everything linked to it.
- ``Mailing``: one per published page (kind direct, unique per page, so re-publishing
  never mails again) or per month (kind digest). An editor decides (``decision``) before
  anything is sent. ``recipients`` and ``sent`` are counts, never who.
- ``MailingItem``: what a mailing announces (a snapshot of the page's card, its target
  groups and themes), with the number of delivered e-mails that listed it.
- ``Delivery``: the claim that one subscription is mailed once per mailing (unique), so
  several workers and repeated runs never send twice. Deleted some weeks after the
  mailing went out (``services.expire``).
- ``ClickCount``: clicks on an item's link per day, once per visitor per day (shared
  counting layer), nothing about who clicked.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

CONFIRM_WITHIN = dt.timedelta(days=7)


def new_token() -> str:
    return secrets.token_urlsafe(32)  # 43 characters


class Frequency(models.TextChoices):
    DIRECT = "direct", _("Right away: one e-mail for each new item")
    MONTHLY = "monthly", _("Once a month: an overview of what is new")


class Subscription(models.Model):
    email = models.EmailField(_("e-mail address"), unique=True)
    frequency = models.CharField(
        _("how often"), max_length=10, choices=Frequency.choices, default=Frequency.DIRECT
    )
    target_groups = models.ManyToManyField(
        "website.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="+"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    created_at = models.DateTimeField(_("created at"))
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(_("updated at"))

    class Meta:
        verbose_name = _("subscription")
        verbose_name_plural = _("subscriptions")

    def __str__(self):
        return f"{self._meta.verbose_name} {self.pk}"  # never the address


class SubscriptionTheme(models.Model):
    """A theme (taggit tag) a subscription follows. A plain link table with a hidden
    reverse relation: themes chosen by subscribers never count as "themes in use" by
    content (which lists ``Tag``'s visible relations)."""

    subscription = models.ForeignKey(
        Subscription, on_delete=models.CASCADE, related_name="theme_links"
    )
    tag = models.ForeignKey("taggit.Tag", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "tag"], name="subscription_theme_once")
        ]

    def __str__(self):
        return f"{self.subscription_id}: {self.tag_id}"


class MailingKind(models.TextChoices):
    DIRECT = "direct", _("New item")
    DIGEST = "digest", _("Monthly overview")


class Decision(models.TextChoices):
    NOTIFY = "notify", _("Right away and in the monthly overview")
    DIGEST = "digest", _("Only in the monthly overview")
    SKIP = "skip", _("Not announced")


class MailingStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting a decision")
    SENDING = "sending", _("Sending")
    DONE = "done", _("Done")


class Mailing(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=MailingKind.choices)
    page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    month = models.DateField(_("month"), null=True, blank=True)  # digest: its first day
    status = models.CharField(
        _("status"), max_length=10, choices=MailingStatus.choices, default=MailingStatus.AWAITING
    )
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"))
    started_at = models.DateTimeField(_("sending started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("sending finished"), null=True, blank=True)
    recipients = models.PositiveIntegerField(_("e-mails queued"), default=0)
    sent = models.PositiveIntegerField(_("e-mails delivered"), default=0)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("mailing")
        verbose_name_plural = _("mailings")
        constraints = [
            # Re-publishing, two editors publishing at once: one mailing per page.
            models.UniqueConstraint(
                fields=["page"], condition=Q(kind="direct"), name="mailing_once_per_page"
            ),
            models.UniqueConstraint(
                fields=["month"], condition=Q(kind="digest"), name="digest_once_per_month"
            ),
        ]

    def __str__(self):
        if self.kind == MailingKind.DIGEST and self.month:
            return f"{self.get_kind_display()} {self.month:%Y-%m}"
        return f"{self.get_kind_display()} {self.pk}"


class MailingItem(models.Model):
    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveSmallIntegerField(_("position"))
    page = models.ForeignKey(
        "wagtailcore.Page", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind_label = models.CharField(_("kind"), max_length=100)
    title = models.CharField(_("title"), max_length=255)
    summary = models.TextField(_("summary"), blank=True)
    url = models.CharField(_("URL"), max_length=500)
    target_groups = models.JSONField(_("target groups"), default=list)  # TargetGroup ids
    themes = models.JSONField(_("themes"), default=list)  # tag slugs
    sent = models.PositiveIntegerField(_("e-mails delivered"), default=0)

    class Meta:
        ordering = ["mailing", "position"]
        verbose_name = _("mailing item")
        verbose_name_plural = _("mailing items")
        constraints = [
            models.UniqueConstraint(fields=["mailing", "position"], name="mailing_item_position")
        ]

    def __str__(self):
        return self.title


class Delivery(models.Model):
    """Claim: this subscription gets this mailing once. Written in the same transaction
    as the e-mail in the outbox; a second worker's insert fails on the unique constraint."""

    mailing = models.ForeignKey(Mailing, on_delete=models.CASCADE, related_name="+")
    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["mailing", "subscription"], name="delivery_once_per_subscription"
            )
        ]

    def __str__(self):
        return f"{self.mailing_id}: {self.subscription_id}"


class ClickCount(models.Model):
    item = models.ForeignKey(MailingItem, on_delete=models.CASCADE, related_name="clicks")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["item", "day"], name="click_count_per_day")]

    def __str__(self):
        return f"{self.item_id} {self.day}: {self.count}"
