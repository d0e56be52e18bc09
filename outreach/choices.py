from django.db import models
from django.utils.translation import gettext_lazy as _


class ProductKind(models.TextChoices):
    INFOSHEET = "infosheet", _("Info sheet")
    ANIMATION = "animation", _("Animation")
    RECORDING = "recording", _("Webinar recording")


class PlanStatus(models.TextChoices):
    IDEA = "idea", _("idea")
    IN_PRODUCTION = "in_production", _("in production")
    PUBLISHED = "published", _("published")
