"""'Mijn trainingen': one-time sign-in links by e-mail, rate limited."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from learning.models import Participant, SignInToken
from website.mail import store_and_send

SIGN_IN_VALID = dt.timedelta(hours=24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limit_key(kind: str, value: str) -> str:
    digest = salted_hmac("learning.sign-in-limit", value.strip().lower()).hexdigest()
    return f"learning:sign-in:{kind}:{digest}"


def sign_in_allowed(*, email: str, client: str) -> bool:
    """Rate limit through the cache (Redis in production): at most
    ``LEARNING_SIGN_IN_PER_EMAIL`` requests per address and ``LEARNING_SIGN_IN_PER_CLIENT``
    per client per ``LEARNING_SIGN_IN_WINDOW`` seconds. Keys hold only HMACs."""
    window = int(getattr(settings, "LEARNING_SIGN_IN_WINDOW", 3600))
    limits = (
        (_limit_key("email", email), int(getattr(settings, "LEARNING_SIGN_IN_PER_EMAIL", 3))),
        (_limit_key("client", client), int(getattr(settings, "LEARNING_SIGN_IN_PER_CLIENT", 20))),
    )
    allowed = True
    for key, limit in limits:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def request_sign_in(*, email: str, now: dt.datetime) -> bool:
    """Mail a sign-in link if the address has registrations; the caller answers the same
    either way. Returns whether a link was sent (for tests, never shown)."""
    email = email.strip()
    known = Participant.objects.filter(email__iexact=email).exists()
    if not known:
        return False
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        SignInToken.objects.create(
            token_hash=hash_token(token),
            email=email.lower(),
            created_at=now,
            expires_at=now + SIGN_IN_VALID,
        )
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            context = {"sign_in_url": base + reverse("learning:my_sign_in", args=[token])}
            subject = str(_("Your sign-in link for My trainings"))
            text = render_to_string("learning/email/sign_in.txt", context)
            html = render_to_string("learning/email/sign_in.html", context)
        store_and_send(to=email, subject=subject, text=text, html=html, ics="")
    return True


def sign_in_token_valid(*, token: str, now: dt.datetime) -> bool:
    return SignInToken.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=now
    ).exists()


def consume_sign_in(*, token: str, now: dt.datetime) -> str | None:
    """Use a sign-in link once: a conditional UPDATE, so two clicks cannot both win.
    Returns the e-mail address, or None when the link is unknown, used or expired."""
    token_hash = hash_token(token)
    with transaction.atomic():
        claimed = SignInToken.objects.filter(
            token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            return None
        return SignInToken.objects.values_list("email", flat=True).get(token_hash=token_hash)
