"""Download counting after the IAB Podcast Measurement Guidelines v2.3.

Nothing here says who listened. ``ListenerProgress`` joins the byte ranges one
listener fetched of one episode on one day, under a hash of a salt that rotates daily
(and is then deleted), the IP address (IPv6 cut to its /64) and the user agent. Rows of
earlier days are deleted with their salt. ``DownloadCount`` holds what reports need:
downloads per episode, show, day and app.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ListenerProgress(models.Model):
    day = models.DateField(_("day"))
    episode = models.ForeignKey(
        "podcasts.PodcastEpisodePage", on_delete=models.CASCADE, related_name="+"
    )
    listener = models.CharField(_("listener hash"), max_length=64)
    ranges = models.JSONField(_("byte ranges"), default=list)
    counted = models.BooleanField(_("counted"), default=False)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "episode", "listener"], name="podcasts_progress_unique"
            )
        ]
        indexes = [models.Index(fields=["day"])]
        verbose_name = _("listener progress")
        verbose_name_plural = _("listener progress")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.episode_id} {self.listener[:8]}"


class DownloadCount(models.Model):
    day = models.DateField(_("day"))
    show = models.ForeignKey("podcasts.PodcastShowPage", on_delete=models.CASCADE, related_name="+")
    episode = models.ForeignKey(
        "podcasts.PodcastEpisodePage", on_delete=models.CASCADE, related_name="+"
    )
    app = models.CharField(_("app"), max_length=60)
    count = models.PositiveIntegerField(_("downloads"), default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "episode", "app"], name="podcasts_download_unique"
            )
        ]
        indexes = [models.Index(fields=["show", "day"]), models.Index(fields=["episode", "day"])]
        verbose_name = _("download count")
        verbose_name_plural = _("download counts")

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.episode_id} {self.app}: {self.count}"
