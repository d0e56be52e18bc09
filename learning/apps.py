from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearningConfig(AppConfig):
    name = "learning"
    verbose_name = _("Trainings and webinars")

    def ready(self):
        from learning import signals  # noqa: PLC0415 (app registry: it imports models)

        signals.connect()

        from learning.forms import TrainingPageForm  # noqa: PLC0415 (app registry)
        from learning.models import TrainingPage  # noqa: PLC0415 (app registry)

        # Set here, not on the model: learning.forms imports learning.models.
        TrainingPage.base_form_class = TrainingPageForm
