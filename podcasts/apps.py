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

        from .forms import EpisodePageForm  # noqa: PLC0415 (app registry)
        from .models import PodcastEpisodePage  # noqa: PLC0415 (app registry)

        # Set here, not on the model: the form reads selectors, which import the models.
        PodcastEpisodePage.base_form_class = EpisodePageForm
