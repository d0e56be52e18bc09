"""What every subscription service shares: the domain exception, personal links, the
rate limit of the public form and the settings read."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.crypto import salted_hmac

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


# ----- rate limit of the public form -------------------------------------------------


def _limit_key(kind: str, value: str) -> str:
    digest = salted_hmac("subscriptions.limit", value.strip().lower()).hexdigest()
    return f"subscriptions:limit:{kind}:{digest}"


def _count(key: str, window: int) -> int:
    try:
        cache.add(key, 0, window)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            return 1
    except Exception:  # the cache is down: let the request through
        return 0


def subscribe_allowed(*, email: str, client: str) -> bool:
    """At most ``SUBSCRIPTIONS_PER_CLIENT`` requests per client and
    ``SUBSCRIPTIONS_PER_EMAIL`` per address per ``SUBSCRIPTIONS_LIMIT_WINDOW`` seconds,
    through the shared cache (Redis in production); keys hold only HMACs. The client is
    counted first: a refused client does not use up the address's allowance."""
    window = int(getattr(settings, "SUBSCRIPTIONS_LIMIT_WINDOW", 3600))
    per_client = int(getattr(settings, "SUBSCRIPTIONS_PER_CLIENT", 20))
    per_email = int(getattr(settings, "SUBSCRIPTIONS_PER_EMAIL", 3))
    if _count(_limit_key("client", client), window) > per_client:
        return False
    return _count(_limit_key("email", normalise_email(email)), window) <= per_email
