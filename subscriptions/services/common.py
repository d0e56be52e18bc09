"""What every subscription service shares: the domain exception, personal links and
the settings read."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.urls import reverse

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")
TAG_PREFIX = "subscriptions:"  # every e-mail this app stores in the outbox


class SubscriptionError(Exception):
    """A rule said no; ``message`` is translatable and shown next to the form."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


def absolute(path: str) -> str:
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def confirm_url(token: str) -> str:
    return absolute(reverse("subscriptions:confirm", args=[token]))


def manage_url(token: str) -> str:
    return absolute(reverse("subscriptions:manage", args=[token]))


def unsubscribe_url(token: str) -> str:
    return absolute(reverse("subscriptions:unsubscribe", args=[token]))


def click_url(mailing_id: int, position: int) -> str:
    return absolute(reverse("subscriptions:click", args=[mailing_id, position]))


def unsubscribe_headers(token: str) -> dict[str, str]:
    """RFC 2369 / RFC 8058: mail clients offer one-click unsubscribe with a POST."""
    return {
        "List-Unsubscribe": f"<{unsubscribe_url(token)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


def digest_hour() -> int:
    """The monthly overview goes out from this hour (Europe/Amsterdam) on the 1st."""
    return int(getattr(settings, "SUBSCRIPTIONS_DIGEST_HOUR", 7))


def claims_kept() -> dt.timedelta:
    """How long the record of who got a mailing is kept after it went out."""
    return dt.timedelta(days=int(getattr(settings, "SUBSCRIPTIONS_CLAIMS_DAYS", 30)))
