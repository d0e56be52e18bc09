"""What coordinators record for the yearly report: the targets per year and the support
given to each of the 32 municipalities. The figures themselves (sessions, participants,
views, downloads) are read from the apps that own them, through website.hooks."""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable

from website.hooks import activity_lines

YEAR_VALIDATORS = [MinValueValidator(2000), MaxValueValidator(2100)]

# The plan's minimum per year: 4 basic trainings, 2 in-depth trainings, 6 webinars (the
# target lines of learning's activity source, website.hooks.ACTIVITY_SOURCES).
DEFAULT_TARGETS = (("basic_training", 4), ("in_depth_training", 2), ("webinar", 6))


class TargetYear(ClusterableModel):
    """The yearly targets: one row per year with a minimum per target line."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True, validators=YEAR_VALIDATORS)
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldPanel("year"),
        InlinePanel("targets", heading=_("Targets"), label=_("Target"), min_num=1),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-year"]
        verbose_name = _("yearly targets")
        verbose_name_plural = _("yearly targets")
        permissions = [
            ("view_reports", _("Can see the coordinator dashboard, reach report and year overview"))
        ]

    def __str__(self):
        return str(self.year)


class Target(Orderable):
    """At least ``minimum`` activities of a target line in the year. The lines are what
    the activity sources count (learning: basic and in-depth trainings, webinars; a new
    app adds its own, e.g. network events): a line is data, not code."""

    target_year = ParentalKey(TargetYear, on_delete=models.CASCADE, related_name="targets")
    line = models.CharField(_("target line"), max_length=50, choices=activity_lines)
    minimum = models.PositiveSmallIntegerField(_("at least"), validators=[MaxValueValidator(999)])

    panels = [FieldRowPanel([FieldPanel("line"), FieldPanel("minimum")])]

    class Meta(Orderable.Meta):
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        constraints = [
            models.UniqueConstraint(fields=["target_year", "line"], name="reporting_target_unique")
        ]

    def __str__(self):
        return f"{self.target_year_id}: {self.line} >= {self.minimum}"


class OfferStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    OFFERED = "offered", _("offered")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


# A municipality "has received a support offer" once an offer was actually made,
# whatever it answered; a planned offer does not count yet.
OFFER_MADE = (OfferStatus.OFFERED, OfferStatus.ACCEPTED, OfferStatus.DECLINED)


class MunicipalityYear(ClusterableModel):
    """A municipality's support in a year: the offers made, pressure cookers held and
    whether it delivered a local CTER picture. Municipalities without a record in a year
    received nothing (the report lists them with zeros)."""

    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("year"), validators=YEAR_VALIDATORS)
    pressure_cookers = models.PositiveSmallIntegerField(
        _("pressure cookers held"), default=0, validators=[MaxValueValidator(999)]
    )
    local_picture_on = models.DateField(
        _("local CTER picture delivered on"),
        null=True,
        blank=True,
        help_text=_(
            "Only for a picture not entered under Regional picture > Local pictures (those "
            "count by themselves). Leave empty while the municipality has not delivered one."
        ),
    )
    note = models.TextField(_("note"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("municipality"), FieldPanel("year")]),
        InlinePanel("offers", heading=_("Support offers"), label=_("Support offer")),
        FieldRowPanel([FieldPanel("pressure_cookers"), FieldPanel("local_picture_on")]),
        FieldPanel("note"),
    ]

    class Meta:
        ordering = ["-year", "municipality__name"]
        verbose_name = _("municipality coverage")
        verbose_name_plural = _("municipality coverage")
        constraints = [
            models.UniqueConstraint(
                fields=["municipality", "year"], name="reporting_municipality_year_unique"
            )
        ]

    def __str__(self):
        return f"{self.municipality} {self.year}"


class SupportOffer(Orderable):
    record = ParentalKey(MunicipalityYear, on_delete=models.CASCADE, related_name="offers")
    offered_on = models.DateField(_("date"))
    offer = models.CharField(_("what was offered"), max_length=255)
    offered_by = models.CharField(_("by whom"), max_length=150)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.OFFERED
    )

    panels = [
        FieldRowPanel([FieldPanel("offered_on"), FieldPanel("status")]),
        FieldPanel("offer"),
        FieldPanel("offered_by"),
    ]

    class Meta(Orderable.Meta):
        verbose_name = _("support offer")
        verbose_name_plural = _("support offers")

    def __str__(self):
        return f"{self.offered_on:%d-%m-%Y} {self.offer}"
