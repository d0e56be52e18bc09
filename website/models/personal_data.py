from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAction(models.TextChoices):
    LOOKUP = "lookup", _("looked up")
    EXPORT = "export", _("exported")
    SELF_EXPORT = "self_export", _("exported by the person")
    ERASE = "erase", _("erased")


class PersonalDataRequest(models.Model):
    """One look-up, export or erasure of a person's data: the object the audit trail
    records it on. Holds no personal data: not the address, only what was done, when, and
    how many records of which kind (who did it is in the log entry)."""

    action = models.CharField(_("action"), max_length=20, choices=PersonalDataAction.choices)
    created_at = models.DateTimeField(_("done at"))
    records = models.JSONField(_("records per kind"), default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("personal data request")
        verbose_name_plural = _("personal data requests")
        default_permissions = ()
        permissions = [("manage_personal_data", _("Can find, export and erase a person's data"))]

    def __str__(self):
        return str(_("Request %(number)s") % {"number": self.pk})
