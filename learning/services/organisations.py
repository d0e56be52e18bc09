"""Organisations: one record per real organisation, however people type its name.

- ``organisation_key``: the name folded for comparison (case, accents, spacing,
  punctuation, "&" and common abbreviations such as "Gem." for "gemeente"). The key is
  unique in the database, so "Gem. Zaanstad", "gemeente zaanstad " and "Gemeente
  Zaanstad" are one organisation.
- ``find_or_create``: the organisation a registration names, created race-safely
  (insert in a savepoint; a unique-key clash means someone created it at the same
  moment, so take theirs). A merged organisation forwards to the one it was merged into.
- ``similar``: names that are probably the same organisation (typos, word order, one
  name inside the other) by normalised similarity (rapidfuzz), for coordinators to review.
- ``merge_organisations``: moves every registration of one organisation to another in one
  transaction that locks both rows; the merged one stays as a forwarding row, so its
  spelling keeps leading to the right organisation. Recorded in Wagtail's log.
- ``mark_distinct``: a coordinator says two alike names are different organisations.
- ``update_organisation``: name, sector (target group) and municipality.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext_lazy as _
from rapidfuzz import fuzz, process
from wagtail.log_actions import log

from learning.models import DistinctOrganisations, Organisation, Registration
from learning.names import NAME_MAX, clean_name, organisation_key

__all__ = [  # the names this module offers, including those from learning.names
    "MERGE_ACTION",
    "NAME_MAX",
    "MergeResult",
    "OrganisationError",
    "clean_name",
    "find",
    "find_or_create",
    "mark_distinct",
    "merge_organisations",
    "organisation_key",
    "similar",
    "similarity",
    "update_organisation",
]
from learning.services.common import RegistrationError
from website.models import Municipality, TargetGroup
from website.queries import Prepared

MERGE_ACTION = "learning.organisation_merge"
# Words that say what kind of organisation it is, not which one: a name made of these
# alone ("Gemeente") is not "contained" in every other name that has them.
GENERIC_WORDS = frozenset(
    {"gemeente", "stichting", "vereniging", "en", "de", "het", "van", "voor", "team"}
)
# Suggested as a duplicate from this score (0-100, rapidfuzz token_sort_ratio) on.
SIMILARITY = 88
CONTAINED_SCORE = 90


class OrganisationError(RegistrationError):
    """A rule about organisations refused the change (a ``RegistrationError``, so the
    registration views show it as they show every other refusal)."""


# ----- finding and creating ---------------------------------------------------------------


# SQLite's plain reads, compiled once (website.queries): every registration reads by key.
_BY = {
    "key": Prepared(lambda key: Organisation.objects.filter(key=key).order_by("pk")[:1], (str,)),
    "pk": Prepared(lambda pk: Organisation.objects.filter(pk=pk)[:1], (int,)),
}


def _locked_by(**lookup) -> Organisation | None:
    """The organisation row, held with FOR KEY SHARE on PostgreSQL for the rest of the
    transaction: any number of registrations share it, but a merge (FOR UPDATE) waits
    for them, and they wait for a merge, then see where it forwards to. (SQLite
    serialises writers, so a plain read is enough there.)"""
    ((column, value),) = lookup.items()
    if connection.vendor != "postgresql":
        return _BY[column].first(value)
    table = connection.ops.quote_name(Organisation._meta.db_table)
    field = Organisation._meta.pk if column == "pk" else Organisation._meta.get_field(column)
    column = connection.ops.quote_name(field.column)
    rows = list(
        Organisation.objects.raw(
            f"SELECT * FROM {table} WHERE {column} = %s FOR KEY SHARE",  # noqa: S608
            [value],
        )
    )
    return rows[0] if rows else None


def _forward(organisation: Organisation | None) -> Organisation | None:
    """Follow merges to the organisation that is still in use."""
    seen = set()
    while organisation is not None and organisation.merged_into_id:
        if organisation.pk in seen:  # never loops; merges flatten their forwarding rows
            break
        seen.add(organisation.pk)
        organisation = _locked_by(pk=organisation.merged_into_id)
    return organisation


def find(name: str) -> Organisation | None:
    """The organisation in use for ``name`` (exact after folding), if there is one."""
    return _forward(_locked_by(key=organisation_key(name)))


def find_or_create(
    *,
    name: str,
    sector_id: int | None = None,
    municipality: Municipality | None = None,
) -> Organisation:
    """The organisation ``name`` stands for; a new one (unchecked, with the registrant's
    target group and municipality as a first guess at its sector and place) if none.
    Call inside the caller's transaction: two people creating the same organisation at
    once both end up with the one row."""
    display = clean_name(name)
    if not display:
        raise OrganisationError(_("Fill in your organisation."))
    key = organisation_key(display)
    for _attempt in range(3):
        found = _forward(_locked_by(key=key))
        if found is not None:
            return found
        try:
            with transaction.atomic():  # a savepoint: a clash leaves the caller's work intact
                return Organisation.objects.create(
                    name=display, key=key, sector_id=sector_id, municipality=municipality
                )
        except IntegrityError:
            continue  # created by someone else at the same moment: find it next round
    raise OrganisationError(_("Your organisation could not be saved. Please try again."))


# ----- similar names ------------------------------------------------------------------------


def _distinctive(words: set[str]) -> bool:
    return bool(words - GENERIC_WORDS)


def similarity(a: str, b: str) -> int:
    """0-100: how alike two keys are. Spelling (typos, word order) by rapidfuzz's
    token_sort_ratio; a name whose distinctive words all appear in the other ("Zaanstad",
    "Gemeente Zaanstad") scores at least ``CONTAINED_SCORE``."""
    score = fuzz.token_sort_ratio(a, b)
    words_a, words_b = set(a.split()), set(b.split())
    smaller = words_a if len(words_a) <= len(words_b) else words_b
    if smaller and (words_a <= words_b or words_b <= words_a) and _distinctive(smaller):
        score = max(score, CONTAINED_SCORE)
    return int(score)  # floored, as rapidfuzz's score_cutoff compares the exact score


def similar(
    queries: Mapping[int, str],
    keys: Mapping[int, str],
    *,
    min_score: int = SIMILARITY,
    limit: int = 3,
) -> dict[int, list[tuple[int, int]]]:
    """For each query {id: key}, the ids in ``keys`` {id: key} most alike (best first,
    at most ``limit``, never itself) as (id, score). Spelling is compared in C
    (rapidfuzz, on word-sorted keys: token_sort_ratio); names inside one another are
    found through a word index, not by comparing every pair in Python."""
    sorted_keys = {pk: " ".join(sorted(key.split())) for pk, key in keys.items()}
    words = {pk: frozenset(key.split()) for pk, key in keys.items()}
    by_word: dict[str, set[int]] = {}
    by_words: dict[frozenset, set[int]] = {}
    for pk, found_words in words.items():
        by_words.setdefault(found_words, set()).add(pk)
        for word in found_words:
            by_word.setdefault(word, set()).add(pk)
    found: dict[int, list[tuple[int, int]]] = {}
    for qid, qkey in queries.items():
        scores: dict[int, int] = {}
        query = " ".join(sorted(qkey.split()))
        for _choice, score, pk in process.extract(
            query, sorted_keys, scorer=fuzz.ratio, score_cutoff=min_score, limit=limit + 1
        ):
            scores[pk] = int(score)
        for pk in _containing(frozenset(qkey.split()), by_word, by_words):
            if pk not in scores and pk != qid:
                score = similarity(qkey, keys[pk])
                if score >= min_score:
                    scores[pk] = score
        scores.pop(qid, None)
        best = sorted(scores.items(), key=lambda item: (-item[1], item[0]))[:limit]
        if best:
            found[qid] = best
    return found


def _containing(query: frozenset, by_word, by_words) -> set[int]:
    """Ids whose words include all of ``query``'s, or are all among them."""
    if not query:
        return set()
    supersets = set.intersection(*(by_word.get(word, set()) for word in query))
    subsets: set[int] = set()
    members = sorted(query)
    if len(members) <= 8:  # names are short; 255 subsets at most
        for mask in range(1, 2 ** len(members)):
            part = frozenset(w for i, w in enumerate(members) if mask >> i & 1)
            subsets |= by_words.get(part, set())
    return supersets | subsets


# ----- coordinators: merge, mark as distinct, edit ---------------------------------------------


@dataclass(frozen=True)
class MergeResult:
    organisation: Organisation  # the one kept
    merged: Organisation  # the one merged into it (now a forwarding row)
    moved: int  # registrations moved


def merge_organisations(
    *, source_id: int, target_id: int, now: dt.datetime, user=None
) -> MergeResult:
    """Move every registration of ``source`` to ``target`` and keep ``source`` as a
    forwarding row. Both rows are locked (FOR UPDATE, in id order) before anything is
    decided, so registrations naming either wait for the merge, and the merge waits for
    registrations still being made (none is left behind on the merged organisation)."""
    if source_id == target_id:
        raise OrganisationError(_("Choose two different organisations."))
    with transaction.atomic():
        locked = {
            o.pk: o
            for o in Organisation.objects.select_for_update(of=("self",))
            .filter(pk__in=[source_id, target_id])
            .order_by("pk")
        }
        source, target = locked.get(source_id), locked.get(target_id)
        if source is None or target is None:
            raise OrganisationError(_("This organisation no longer exists."))
        if source.merged_into_id or target.merged_into_id:
            raise OrganisationError(_("This organisation has already been merged."))
        moved = Registration.objects.filter(organisation_id=source.pk).update(organisation=target)
        # Spellings merged into the source earlier now lead to the target directly.
        Organisation.objects.filter(merged_into_id=source.pk).update(merged_into=target)
        DistinctOrganisations.objects.filter(first_id=source.pk).delete()
        DistinctOrganisations.objects.filter(second_id=source.pk).delete()
        target_changes = []
        if source.verified and not target.verified:
            target.verified = True
            target_changes.append("verified")
        for field in ("sector_id", "municipality_id"):
            if getattr(target, field) is None and getattr(source, field) is not None:
                setattr(target, field, getattr(source, field))
                target_changes.append(field.removesuffix("_id"))
        if target_changes:
            target.save(update_fields=target_changes)
        source.merged_into = target
        source.merged_at = now
        source.verified = False
        source.save(update_fields=["merged_into", "merged_at", "verified"])
        # Names of organisations only: never a person's details in the log.
        log(
            instance=target,
            action=MERGE_ACTION,
            user=user,
            data={
                "merged_id": source.pk,
                "merged_name": source.name,
                "kept_id": target.pk,
                "kept_name": target.name,
                "registrations_moved": moved,
            },
        )
    return MergeResult(organisation=target, merged=source, moved=moved)


def mark_distinct(*, first_id: int, second_id: int, now: dt.datetime) -> None:
    """Two organisations with alike names are different: stop suggesting the pair."""
    low, high = sorted((first_id, second_id))
    if low == high:
        raise OrganisationError(_("Choose two different organisations."))
    if Organisation.objects.filter(pk__in=[low, high], merged_into__isnull=True).count() != 2:
        raise OrganisationError(_("This organisation no longer exists."))
    DistinctOrganisations.objects.get_or_create(
        first_id=low, second_id=high, defaults={"decided_at": now}
    )


def update_organisation(
    *,
    organisation_id: int,
    name: str,
    sector: TargetGroup | None,
    municipality: Municipality | None,
) -> Organisation:
    """Coordinators correct an organisation's name, sector and municipality. A name that
    folds to another organisation's name is refused: merge the two instead."""
    display = clean_name(name)
    if not display:
        raise OrganisationError(_("Fill in the name of the organisation."))
    key = organisation_key(display)
    with transaction.atomic():
        organisation = (
            Organisation.objects.select_for_update(of=("self",))
            .filter(pk=organisation_id, merged_into__isnull=True)
            .first()
        )
        if organisation is None:
            raise OrganisationError(_("This organisation no longer exists."))
        taken = Organisation.objects.filter(key=key).exclude(pk=organisation.pk).first()
        if taken is not None and taken.merged_into_id == organisation.pk:
            # Back to a spelling merged into this organisation: the forwarding row goes,
            # the organisation itself now answers to that spelling.
            taken.delete()
            taken = None
        if taken is not None:
            raise OrganisationError(
                _(
                    "The name is already used by %(name)s. To make them one organisation, "
                    "merge them."
                )
                % {"name": (_forward(taken) or taken).name}
            )
        organisation.name, organisation.key = display, key
        organisation.sector, organisation.municipality = sector, municipality
        try:
            with transaction.atomic():
                organisation.save(update_fields=["name", "key", "sector", "municipality"])
        except IntegrityError as exc:  # the same name saved elsewhere at this moment
            raise OrganisationError(_("The name is already in use. Please try again.")) from exc
    return organisation
