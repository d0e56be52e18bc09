"""What every learning service shares: the domain exception, personal links and the
time windows read from settings."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.urls import reverse

from learning.models import Registration
from website.locking import BUSY_MESSAGE, Busy


class RegistrationError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


class RegistrationBusy(RegistrationError, Busy):
    """A lock wait ran out (``website.locking``): nothing changed, try again shortly.
    The registration form shows it above the form with the input kept (status 503)."""

    def __init__(self, message=BUSY_MESSAGE):
        super().__init__(message)


def personal_url(registration: Registration) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:registration", args=[registration.token])


def survey_url(registration: Registration) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:survey", args=[registration.token])


def reminder_days() -> int:
    return int(getattr(settings, "LEARNING_REMINDER_DAYS", 2))


def survey_window() -> dt.timedelta:
    """Sessions that ended longer ago get no survey (e.g. when attendance is entered late)."""
    return dt.timedelta(days=int(getattr(settings, "LEARNING_SURVEY_WINDOW_DAYS", 30)))


def retention() -> dt.timedelta:
    """How long personal details are kept after a session ended."""
    return dt.timedelta(days=int(getattr(settings, "LEARNING_RETENTION_DAYS", 365)))
