from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PodcastsConfig(AppConfig):
    name = "podcasts"
    verbose_name = _("Podcasts")

    def ready(self):
        import mimetypes

        from . import signals

        mimetypes.add_type("audio/mp4", ".m4a")
        mimetypes.add_type("application/x-subrip", ".srt")
        signals.connect()
