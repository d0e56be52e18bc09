"""One rate limiter for every public form (registration, requests, sign-in links, ...).

A form names its *scope* ("registration") and the counters to apply, in the order they
are checked: ``check("registration", client=address, client_session=f"{address}:{id}")``.
``settings.RATE_LIMITS[scope][counter]`` gives ``(limit, window in seconds)``. The first
counter over its limit refuses the request, and the counters after it are not counted:
a client that is refused does not use up anyone else's allowance (this is why the
sign-in form counts per client before it counts per address).

Counting happens in Django's default cache, which must be shared by every app server
(Redis in production; see ``website.settings.production``): ``cache.add`` starts a
counter at 0 for the current fixed window, ``cache.incr`` adds one atomically. Keys hold
only an HMAC of the scope, counter and value (no address or e-mail address in the cache)
plus the window's start. When the cache is unreachable, requests are let through and a
warning without personal data is logged: a cache outage must not close every form.
"""

from __future__ import annotations

import logging
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.utils.crypto import salted_hmac
from django.utils.translation import ngettext

from website.counting import client_address

logger = logging.getLogger(__name__)

HMAC_SALT = "website.ratelimit"


@dataclass(frozen=True)
class Decision:
    allowed: bool
    retry_after: int = 0  # seconds until the refusing counter's window ends

    def __bool__(self) -> bool:
        return self.allowed


def client_key(request) -> str:
    """The client's address as the limiter sees it (``CLIENT_IP_HEADER`` behind a reverse
    proxy, e.g. ``HTTP_X_FORWARDED_FOR``; without it every client shares the proxy's)."""
    return client_address(request, "CLIENT_IP_HEADER", "LEARNING_CLIENT_IP_HEADER") or "unknown"


def _limits(scope: str) -> dict:
    limits = getattr(settings, "RATE_LIMITS", {}).get(scope)
    if limits is None:
        raise ImproperlyConfigured(f"RATE_LIMITS has no scope {scope!r}.")
    return limits


def cache_key(scope: str, counter: str, value: str, window_start: int) -> str:
    digest = salted_hmac(HMAC_SALT, f"{scope}\0{counter}\0{value.strip().lower()}").hexdigest()
    return f"ratelimit:{digest[:40]}:{window_start}"


def _count(key: str, window: int) -> int | None:

    try:
        cache.add(key, 0, window + 5)
        try:
            return cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window + 5)
            return 1
    except Exception:  # the cache is down: let the request through
        logger.warning("Rate limiter: cache unavailable, request not counted")
        return None


def check(scope: str, *, now: float | None = None, **counters: str) -> Decision:
    """Count one request on each counter in order; stop at the first one over its limit."""
    limits = _limits(scope)
    now = time.time() if now is None else now
    for counter, value in counters.items():
        if counter not in limits:
            raise ImproperlyConfigured(f"RATE_LIMITS[{scope!r}] has no counter {counter!r}.")
        limit, window = limits[counter]
        if not limit:  # 0 or None: this counter is off
            continue
        start = int(now // window) * window
        count = _count(cache_key(scope, counter, str(value), start), window)
        if count is not None and count > limit:
            return Decision(False, max(math.ceil(start + window - now), 1))
    return Decision(True)


def check_request(request, scope: str, **counters: str) -> Decision:
    """``check`` with the client's address counted first (counter ``client``)."""
    return check(scope, client=client_key(request), **counters)


def check_post(request, scope: str, target: str) -> Decision:
    """For a public form: a POST counts the client and the client on this ``target`` (a
    session, a track); showing the form (GET) is never limited."""
    if request.method != "POST":
        return Decision(True)
    client = client_key(request)
    return check(scope, client=client, client_session=f"{client} {target}")


def too_many_message(decision: Decision) -> str:
    minutes = max(math.ceil(decision.retry_after / 60), 1)
    return ngettext(
        "You have sent this form too often. Please try again in %(minutes)d minute.",
        "You have sent this form too often. Please try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}


def refuse(form, decision: Decision, *, field: str | None = None, message: str = "") -> int:
    """Put the Dutch "too often" message on the form (its input stays) and return 429."""
    form.add_error(field, message or too_many_message(decision))
    return 429


def retry_after(response, decision: Decision):
    if not decision.allowed:
        response["Retry-After"] = str(decision.retry_after)
    return response
