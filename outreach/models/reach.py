"""Privacy-friendly reach counting: counts per object per day, nothing about people.

A visitor is recognised within one day only, through the shared counting layer
(``website.counting``: a salted hash that rotates daily, nothing stored about who).
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReachKind(models.TextChoices):
    VIEW = "view", _("page view")
    DOWNLOAD = "download", _("download")


class ReachCount(models.Model):
    """Views of a page (object_id = page id) or downloads of a document (document id)."""

    kind = models.CharField(_("kind"), max_length=10, choices=ReachKind.choices)
    object_id = models.PositiveIntegerField(_("object id"))
    day = models.DateField(_("day"))
    count = models.PositiveIntegerField(_("count"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "day"], name="outreach_reach_unique"
            )
        ]
        indexes = [
            # The reach of given pages or documents over a period (the reach report, the
            # plan): by kind and object, read from the index alone (day and count included).
            # It replaces a (kind, object_id) index, which the unique constraint covers.
            models.Index(
                fields=["kind", "object_id", "day", "count"], name="outreach_reach_kind_obj_idx"
            ),
            # The most viewed pages of the last 30 days (the admin home): by kind and day,
            # read from the index alone (object and count included).
            models.Index(
                fields=["kind", "day", "object_id", "count"], name="outreach_reach_kind_day_idx"
            ),
        ]
        verbose_name = _("reach count")
        verbose_name_plural = _("reach counts")

    def __str__(self):
        return f"{self.kind} {self.object_id} {self.day:%Y-%m-%d}: {self.count}"
