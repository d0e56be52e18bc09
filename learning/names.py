"""How organisation names are folded for comparison (no imports from the app: models
and services both use it)."""

from __future__ import annotations

import re
import unicodedata

NAME_MAX = 200

# Folded before comparing; whole words only.
ABBREVIATIONS = {
    "gem": "gemeente",
    "gmt": "gemeente",
    "stg": "stichting",
    "sticht": "stichting",
    "ver": "vereniging",
}
_NON_WORD = re.compile(r"[\W_]+")


def clean_name(name: str) -> str:
    """The name as shown: spacing collapsed, at most ``NAME_MAX`` characters."""
    return " ".join(name.split())[:NAME_MAX].strip()


def organisation_key(name: str) -> str:
    """``name`` folded for comparison: "Gem. Zaanstad" -> "gemeente zaanstad"; case,
    accents, spacing, punctuation, "&" and the abbreviations above."""
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", name).casefold())
    text = "".join(c for c in text if not unicodedata.combining(c)).replace("&", " en ")
    words = [ABBREVIATIONS.get(word, word) for word in _NON_WORD.sub(" ", text).split()]
    # A name of punctuation only ("-") still gets a key of its own.
    return " ".join(words) or " ".join(name.casefold().split())
