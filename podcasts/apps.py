import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = _("Podcasts")

    def ready(self):
        from . import signals  # noqa: PLC0415 (app registry: it imports models)

        mimetypes.add_type("audio/mp4", ".m4a")
        mimetypes.add_type("application/x-subrip", ".srt")
        signals.connect()
