import mimetypes

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "outreach"
    verbose_name = _("Products and reach")

    def ready(self):
        # Browsers load <track> captions only as text/vtt; Python may not know the type.
        mimetypes.add_type("text/vtt", ".vtt")
