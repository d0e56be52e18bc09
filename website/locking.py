"""Transactions that lock rows, with lock waits that end in a Dutch message, not a 500.

``locking.atomic()`` is ``transaction.atomic()`` for services that lock a row with
``select_for_update``. On PostgreSQL it caps how long any statement of the transaction
waits for a lock (``lock_timeout``, ``settings.LOCK_TIMEOUT`` seconds, set for this
transaction only); a wait that runs out, a deadlock PostgreSQL broke up, or SQLite's
"database is locked" (its busy timeout ran out) becomes ``Busy``: "it is very busy right
now, try again in a few seconds". Views that can keep the visitor's input catch it (as a
form error, status 503); ``BusyMiddleware`` answers any other with a 503 page saying the
same, so a lock wait never becomes a 500.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.conf import settings
from django.db import OperationalError, connection, transaction
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

BUSY_MESSAGE = _("It is very busy right now; please try again in a few seconds.")
RETRY_AFTER = 5  # seconds, in the 503's Retry-After header
# PostgreSQL: lock_not_available (lock_timeout, NOWAIT), deadlock_detected.
_POSTGRES_BUSY = {"55P03", "40P01"}


class Busy(Exception):
    """A lock could not be had in time; nothing was changed. Trying again may work."""

    def __init__(self, message=BUSY_MESSAGE):
        super().__init__(str(message))
        self.message = message


def is_lock_wait(exc: BaseException) -> bool:
    """A lock wait that ran out (or a deadlock), as opposed to any other database error."""
    if not isinstance(exc, OperationalError):
        return False
    if getattr(exc.__cause__, "sqlstate", None) in _POSTGRES_BUSY:
        return True
    return "database is locked" in str(exc) or "database table is locked" in str(exc)


def lock_timeout() -> float:
    return float(getattr(settings, "LOCK_TIMEOUT", 5))


@contextmanager
def atomic(*, busy: type[Busy] = Busy):
    """``transaction.atomic()`` whose lock waits end after ``LOCK_TIMEOUT`` seconds with
    ``busy`` (a ``Busy`` or a subclass carrying the domain's own message). The timeout is
    set by the outermost block only, so it never outlives this transaction."""
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic():
            if outermost and connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SELECT set_config('lock_timeout', %s, true)",
                        [f"{int(lock_timeout() * 1000)}ms"],
                    )
            yield
    except OperationalError as exc:
        if is_lock_wait(exc):
            raise busy() from exc
        raise


class BusyMiddleware:
    """A ``Busy`` no view caught: a 503 page with the Dutch message and Retry-After."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, Busy):
            return None
        response = render(request, "busy.html", {"message": exception.message}, status=503)
        response["Retry-After"] = str(RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response
