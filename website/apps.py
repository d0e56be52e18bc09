from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebsiteConfig(AppConfig):
    name = "website"
    verbose_name = _("Website")

    def ready(self):
        from website import audit, stamps  # noqa: PLC0415 (app registry: they import models)

        stamps.connect()
        audit.connect()
