"""Path converters for every URL that takes a database id.

Django's ``<int:...>`` accepts any number of digits, and an id beyond 64 bits makes
SQLite raise ``OverflowError`` (a 500) wherever the lookup is not an exact match on an
integer field. ``<id:...>`` matches 1-18 digits (always below 2**63): longer numbers
never reach the database and the URL simply does not match (404).
"""

from django.urls import register_converter

MAX_ID_DIGITS = 18


class IdConverter:
    regex = f"[0-9]{{1,{MAX_ID_DIGITS}}}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value) -> str:
        return str(int(value))


def parse_id(value) -> int | None:
    """A database id from a GET parameter or form value, or None for anything else
    (empty, signs, letters, thousands of digits)."""
    text = str(value or "")
    if text.isascii() and text.isdecimal() and len(text) <= MAX_ID_DIGITS:
        return int(text)
    return None


def register() -> None:
    register_converter(IdConverter, "id")
