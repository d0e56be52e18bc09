"""Subscriptions are personal data: what we hold about one address, and erasing it
(data-subject rights). Erasing is what unsubscribing does: the subscription, its claims
on mailings and the e-mails stored for it go; the mailings' counts stay."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.utils import formats, translation
from django.utils.translation import gettext as _

from subscriptions.models import Delivery, Subscription
from subscriptions.services.common import normalise_email
from subscriptions.services.subscribers import forget_addresses


def _when(value) -> str:
    return formats.date_format(value, "j F Y H:i") if value else ""


def find(*, email: str) -> list[dict]:
    """One record per subscription of ``email``: Dutch field names with their values."""
    email = normalise_email(email)
    if not email:
        return []
    found = []
    subs = Subscription.objects.filter(email=email).prefetch_related(
        "target_groups", "theme_links__tag"
    )
    with translation.override(settings.LANGUAGE_CODE):
        for sub in subs:
            found.append(
                {
                    _("E-mail address"): sub.email,
                    _("How often"): str(sub.get_frequency_display()),
                    _("Target groups"): ", ".join(g.name for g in sub.target_groups.all()),
                    _("Themes"): ", ".join(link.tag.name for link in sub.theme_links.all()),
                    _("Subscribed on"): _when(sub.created_at),
                    _("Confirmed on"): _when(sub.confirmed_at) or _("not confirmed"),
                    _("Mailings received (last weeks)"): str(
                        Delivery.objects.filter(subscription=sub).count()
                    ),
                }
            )
    return found


def erase(*, email: str, now: dt.datetime) -> dict[str, int]:
    email = normalise_email(email)
    if not email:
        return {}
    with transaction.atomic():
        removed = forget_addresses([email])
    return {"subscriptions": removed} if removed else {}
