"""Privacy-safe counting, shared by every app: counts per object per day, nothing about
people.

- **Who is asking** (``client_address``): the client's address, also behind a reverse
  proxy (name the header it sets in a setting).
- **Bots and crawlers** (``is_bot``) are never counted. One list, shipped as data
  (``data/user_agents.json``), which also holds the Apple Watch rules and podcast app
  names podcast download counting needs (``user_agent_rules``).
- **A visitor within one day** (``visitor_digest``): a SHA-256 of a salt that rotates
  daily (``salt_for``), the network (IPv4 address; IPv6 cut to its /64, IPv4-mapped IPv6
  as IPv4), the user agent and a scope (what is being counted, e.g. ``view|12``). No
  address or user agent is stored anywhere. When a new day's salt is made, earlier
  salts and marks are deleted, so yesterday's hashes can no longer be linked.
- **Once per visitor per day** (``first_today``): a mark per digest and day.
- **Counters** (``add_to_count``): an ``F()`` update of the day's row, created when
  missing, surviving two requests that create it at once.

Page views and document downloads (outreach) and podcast downloads (podcasts, which
adds the IAB rules) count through here; so should any later counting (e.g. clicks).
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import logging
import re
import secrets
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F, Model

from website.models.counting import DailySalt, VisitorMark

logger = logging.getLogger(__name__)

USER_AGENTS = Path(__file__).parent / "data" / "user_agents.json"
SALT_CACHE_SECONDS = 60 * 60 * 25


# ----- who is asking -------------------------------------------------------------------


def client_address(request, *setting_names: str) -> str:
    """The client's address. Behind a reverse proxy name the header it sets (e.g.
    ``LEARNING_CLIENT_IP_HEADER=HTTP_X_FORWARDED_FOR``): its last entry is the address the
    trusted proxy saw. The first of ``setting_names`` that is set wins; without one,
    ``REMOTE_ADDR`` (which behind a proxy would make every client the same one)."""
    header = next((getattr(settings, n, "") for n in setting_names if getattr(settings, n, "")), "")
    forwarded = request.META.get(header, "") if header else ""
    if forwarded:
        return forwarded.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "")


@lru_cache(maxsize=1)
def user_agent_rules() -> dict:
    """The shipped user-agent data: ``bots`` and ``watch`` (compiled patterns) and
    ``apps`` (a list of (name, compiled pattern), first match wins)."""
    data = json.loads(USER_AGENTS.read_text(encoding="utf-8"))

    def one(patterns):
        return re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)

    return {
        "bots": one(data["bots"]),
        "watch": one(data["watch"]),
        "apps": [(a["name"], re.compile(a["pattern"], re.IGNORECASE)) for a in data["apps"]],
    }


def is_bot(user_agent: str) -> bool:
    """Bots, crawlers, feed fetchers, monitors and HTTP libraries; no user agent at all."""
    user_agent = (user_agent or "").strip()
    return not user_agent or bool(user_agent_rules()["bots"].search(user_agent))


def countable(request) -> bool:
    """A GET from a person: not HEAD or POST, not an editor's preview, not a bot."""
    return (
        request.method == "GET"
        and not getattr(request, "is_preview", False)
        and not is_bot(request.headers.get("User-Agent", ""))
    )


# ----- a visitor within one day --------------------------------------------------------


def salt_for(*, day) -> str:
    """The day's salt, shared by every app server through the database; when a day's salt
    is made, earlier salts and visitor marks are deleted."""
    key = f"website:salt:{day.isoformat()}"
    salt = cache.get(key)
    if salt:
        return salt
    row, created = DailySalt.objects.get_or_create(
        day=day, defaults={"salt": secrets.token_hex(32)}
    )
    if created:
        DailySalt.objects.filter(day__lt=day).delete()
        VisitorMark.objects.filter(day__lt=day).delete()
    cache.set(key, row.salt, SALT_CACHE_SECONDS)
    return row.salt


def network(ip: str) -> str:
    """What identifies a visitor's connection: an IPv4 address, the /64 network of an
    IPv6 address (one household or phone rotates addresses inside it), an IPv4-mapped
    IPv6 address as IPv4; anything unparseable as given (at most 64 characters)."""
    try:
        address = ipaddress.ip_address(ip.strip())
    except ValueError:
        return ip.strip()[:64]
    mapped = getattr(address, "ipv4_mapped", None)
    if mapped is not None:
        return str(mapped)
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/64", strict=False).network_address)
    return str(address)


def visitor_digest(*, ip: str, user_agent: str, scope: str, day) -> str:
    salt = salt_for(day=day)  # counted_today() hashes the same way
    return hashlib.sha256(f"{salt}|{scope}|{network(ip)}|{user_agent}".encode()).hexdigest()


def first_today(*, digest: str, day) -> bool:
    """Mark ``digest`` as seen on ``day``; False when it already was (also when another
    request marked it a moment ago).

    The database mark decides; a copy in the shared cache (set once the mark is
    committed) answers repeated views of the same visitor without a write, so a page
    served from the whole-page cache to a returning reader costs one cache read."""
    key = f"website:seen:{day.isoformat()}:{digest}"
    if _cached(key):
        return False
    try:
        with transaction.atomic():
            VisitorMark.objects.create(day=day, digest=digest)
    except IntegrityError:
        _remember(key)
        return False
    transaction.on_commit(lambda: _remember(key), robust=True)
    return True


def counted_today(*, ip: str, user_agent: str, scope: str, day) -> bool:
    """True when this visitor was already counted for ``scope`` on ``day``, known from
    the shared cache alone (no query, no transaction): the cheap check a page served
    from the whole-page cache makes first. False means "not known": count as usual."""
    try:
        salt = cache.get(f"website:salt:{day.isoformat()}")
    except Exception:
        return False
    if not salt:
        return False
    digest = hashlib.sha256(f"{salt}|{scope}|{network(ip)}|{user_agent}".encode()).hexdigest()
    return _cached(f"website:seen:{day.isoformat()}:{digest}")


def _cached(key: str) -> bool:
    try:
        return bool(cache.get(key))
    except Exception:  # the database still decides when the cache is down
        logger.warning("Counting cache unavailable")
        return False


def _remember(key: str) -> None:
    try:
        cache.set(key, 1, SALT_CACHE_SECONDS)  # the digest carries the day's salt
    except Exception:
        logger.warning("Counting cache unavailable")


# ----- counters --------------------------------------------------------------------------


def add_to_count(
    model: type[Model], *, key: dict, defaults: dict | None = None, field: str = "count"
) -> None:
    """Add one to ``field`` of the row of ``model`` with ``key`` (its unique fields, e.g.
    the day and the object), creating it (with ``defaults``) when missing. The database
    adds, never Python; two requests creating the same row both count."""
    rows = model.objects.filter(**key)
    if rows.update(**{field: F(field) + 1}):
        return
    try:
        with transaction.atomic():
            model.objects.create(**key, **(defaults or {}), **{field: 1})
    except IntegrityError:
        rows.update(**{field: F(field) + 1})
