"""Logging that never carries personal data or the secret links that open it.

Django logs the path of every 4xx/5xx response (``django.request``) and the dev server
logs every request (``django.server``). Personal registration, survey and sign-in links
carry their secret token in the path; whoever reads the logs must not be able to use
them. ``RedactTokens`` sits on the handlers, so it covers every logger.

Exception messages often quote the values that caused them: an ``IntegrityError`` names
the duplicate key, openpyxl's ``IllegalCharacterError`` the cell's text, a
``ValidationError`` the input. ``HideExceptionMessages`` (also on every handler) keeps
the traceback (files, lines, code, exception types) and leaves out every message.
"""

from __future__ import annotations

import logging
import re
import traceback

# /trainingen/aanmelding/<token>/..., /mijn-trainingen/inloggen/<token>/,
# /trainingen/besloten/<token>/ (a private registration link),
# /op-de-hoogte/{bevestigen,beheren,afmelden}/<token>/
TOKEN_IN_PATH = re.compile(
    r"(/(?:aanmelding|inloggen|besloten|bevestigen|beheren|afmelden)/)[^/\s?#\"']+"
)
REDACTED = r"\1[token]"


def redact(text: str) -> str:
    return TOKEN_IN_PATH.sub(REDACTED, text)


class RedactTokens(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a broken format string is logging's own problem
            return True
        redacted = redact(message)
        if redacted != message:
            record.msg, record.args = redacted, ()
        return True


WITHHELD = "(message withheld: it may contain personal data)"


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception and its causes/contexts, oldest first, as Python prints them."""
    chain, seen = [], set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        chain.append(exc)
        exc = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    return chain[::-1]


def traceback_without_messages(exc: BaseException) -> str:
    parts = []
    for i, item in enumerate(_chain(exc)):
        if i:
            parts.append("\nThe above exception led to another exception:\n\n")
        parts.append("Traceback (most recent call last):\n")
        parts.extend(traceback.format_tb(item.__traceback__))
        kind = type(item)
        parts.append(f"{kind.__module__}.{kind.__qualname__}: {WITHHELD}\n")
    return "".join(parts).rstrip("\n")


class HideExceptionMessages(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        exc = record.exc_info[1] if record.exc_info else None
        if exc is not None and not getattr(record, "_messages_hidden", False):
            # The formatter uses exc_text as it is; every handler gets the redacted text.
            record.exc_text = redact(traceback_without_messages(exc))
            record._messages_hidden = True
        return True
