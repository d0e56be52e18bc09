from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from website import converters


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from website import audit, stamps  # noqa: PLC0415 (app registry: they import models)

        converters.register()  # <id:...> in every app's URLs (ids within 64 bits)
        stamps.connect()
        audit.connect()
