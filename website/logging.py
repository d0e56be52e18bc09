"""Logging that never carries personal data or the secret links that open it.

Django logs the path of every 4xx/5xx response (``django.request``) and the dev server
logs every request (``django.server``). Personal registration, survey and sign-in links
carry their secret token in the path; whoever reads the logs must not be able to use
them. ``RedactTokens`` sits on the handlers, so it covers every logger.
"""

from __future__ import annotations

import logging
import re

# /trainingen/aanmelding/<token>/..., /mijn-trainingen/inloggen/<token>/,
# /op-de-hoogte/{bevestigen,beheren,afmelden}/<token>/
TOKEN_IN_PATH = re.compile(r"(/(?:aanmelding|inloggen|bevestigen|beheren|afmelden)/)[^/\s?#\"']+")
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
