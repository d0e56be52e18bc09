"""Text that people type into public forms, and text we hand to spreadsheets.

Invisible characters have no place in a name, an organisation or a remark: C0 and C1
control characters (a bell, an escape sequence, a NUL) break exports and terminals, and
bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069) make
text display in another order than it is stored ("Trojan Source"). Public forms refuse
them (``website.forms.PlainTextValidator``); exports replace whatever older rows hold.
"""

from __future__ import annotations

import re

# C0 controls except tab, line feed and carriage return; DEL; C1 controls; the Arabic
# letter mark; left-to-right and right-to-left marks; line and paragraph separators;
# bidi embeddings, overrides and isolates; the byte-order mark (zero-width no-break
# space); interlinear annotation characters.
_INVISIBLE = (
    "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
    "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff\ufff9-\ufffb"
)
MULTI_LINE_FORBIDDEN = re.compile(f"[{_INVISIBLE}]")
SINGLE_LINE_FORBIDDEN = re.compile(f"[{_INVISIBLE}\t\n\r]")
REPLACEMENT = "\ufffd"

# Spreadsheet programs treat a cell starting with one of these as a formula
# (OWASP "CSV injection"): =, +, -, @, and tab or carriage return before them.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")


def has_invisible_characters(value: str, *, multiline: bool = False) -> bool:
    pattern = MULTI_LINE_FORBIDDEN if multiline else SINGLE_LINE_FORBIDDEN
    return bool(pattern.search(value))


def replace_invisible_characters(value: str) -> str:
    """Control and bidi characters replaced by U+FFFD; tab and line breaks kept."""
    return MULTI_LINE_FORBIDDEN.sub(REPLACEMENT, value)


def spreadsheet_text(value) -> str:
    """A value as plain text for a CSV cell: invisible characters replaced and a leading
    formula character neutralised with an apostrophe (shown as text by Excel and Calc)."""
    text = replace_invisible_characters("" if value is None else str(value))
    return "'" + text if text.startswith(FORMULA_START) else text
