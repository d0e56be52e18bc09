from django.db import models
from django.utils.translation import gettext_lazy as _


class ContentStamp(models.Model):
    """A counter bumped whenever published content changes (pages, snippets, settings,
    media, and the facts pages show such as places left). Whole-page cache keys carry
    it, so every app server stops serving an old copy the moment anything changes."""

    name = models.CharField(max_length=50, unique=True)
    version = models.PositiveBigIntegerField(default=1)

    class Meta:
        verbose_name = _("content stamp")
        verbose_name_plural = _("content stamps")

    def __str__(self):
        return f"{self.name}: {self.version}"
