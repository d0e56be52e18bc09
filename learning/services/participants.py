"""Unique participants as a fact: a surrogate person key per e-mail address.

The register service gives every registration the key of its (normalised) address, so
reports count unique people with ``COUNT(DISTINCT person_id)`` in SQL. The key holds the
SHA-256 of the address only while a registration of that person still holds personal
details (the address is stored in clear beside it then, so the digest reveals nothing
more); ``release_keys`` clears the digests of people whose details are all gone
(anonymised on schedule or erased), keeping the surrogate ids, so earlier counts stay
exact. Someone who registers again after that gets a new key.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef

from learning.models import Participant, ParticipantKey
from website.queries import Prepared

# Read on every registration, compiled once (website.queries).
_key_by_digest = Prepared(
    lambda value: ParticipantKey.objects.filter(digest=value).order_by("pk")[:1], (str,)
)


def digest(email: str) -> str:
    """Addresses that differ only in case or surrounding spaces are one person."""
    return hashlib.sha256(email.strip().casefold().encode()).hexdigest()


def participant_key(*, email: str, now: dt.datetime) -> ParticipantKey:
    """The key of an address, created if new; safe when two registrations with the same
    new address arrive at once (the unique digest decides, the loser reads the winner's
    row after the savepoint rolled back)."""
    value = digest(email)
    found = _key_by_digest.first(value)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return ParticipantKey.objects.create(digest=value, created_at=now)
    except IntegrityError:
        return ParticipantKey.objects.get(digest=value)


def release_keys() -> int:
    """Clear the digest of every person without a registration that still holds personal
    details; the number cleared. Run after anonymising or erasing participants."""
    identified = Participant.objects.filter(
        registration__person=OuterRef("pk"), anonymised_at__isnull=True
    )
    return (
        ParticipantKey.objects.filter(digest__isnull=False)
        .exclude(Exists(identified))
        .update(digest=None)
    )
