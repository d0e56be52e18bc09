"""The shared privacy-safe counting layer (``website.counting``): today's salt and the
marks of who was already counted today. Both are deleted when the day is over, so
yesterday's hashes can no longer be linked to anyone."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySalt(models.Model):
    day = models.DateField(_("day"), unique=True)
    salt = models.CharField(_("salt"), max_length=64)

    class Meta:
        verbose_name = _("daily salt")
        verbose_name_plural = _("daily salts")

    def __str__(self):
        return self.day.isoformat()


class VisitorMark(models.Model):
    """Seen today: a salted hash of visitor and what they were counted for, deleted
    with the day's salt."""

    day = models.DateField(_("day"), db_index=True)
    digest = models.CharField(_("digest"), max_length=64)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "digest"], name="website_visitor_mark_unique")
        ]
        verbose_name = _("visitor mark")
        verbose_name_plural = _("visitor marks")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.digest[:8]}"
