"""The figures analysts enter: per period and Zorg- en Veiligheidshuis, aggregates only.

There is no field for anything about a person: counts per category, free labels for
groupings, and per municipality a local picture written by the municipality.
"""

from __future__ import annotations

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.fields import RichTextField

from ..publication import AGE_BANDS, IDEOLOGIES

MAX_COUNT = 100_000
LOCAL_PICTURE_FEATURES = ["h3", "bold", "italic", "ol", "ul", "link"]


class PeriodKind(models.TextChoices):
    QUARTER = "quarter", _("Quarter")
    HALF_YEAR = "half_year", _("Half year")


class AgeBand(models.TextChoices):
    UNDER_18 = "under_18", _("under 18")
    FROM_18_TO_23 = "18_23", _("18-23")
    FROM_24_TO_35 = "24_35", _("24-35")
    FROM_36 = "36_plus", _("36 and over")


class Ideology(models.TextChoices):
    JIHADIST = "jihadist", _("jihadist")
    RIGHT_WING = "right_wing", _("right-wing extremist")
    LEFT_WING = "left_wing", _("left-wing extremist")
    ANTI_INSTITUTIONAL = "anti_institutional", _("anti-institutional")


assert tuple(AgeBand.values) == AGE_BANDS and tuple(Ideology.values) == IDEOLOGIES

# The model field behind each category code.
AGE_FIELDS = {band: f"age_{band}" for band in AGE_BANDS}
IDEOLOGY_FIELDS = {ideology: f"ideology_{ideology}" for ideology in IDEOLOGIES}


def count_field(label):
    return models.PositiveIntegerField(label, default=0, validators=[MaxValueValidator(MAX_COUNT)])


class Period(models.Model):
    """A quarter or half year. The snapshot of what may be published is stored here,
    recomputed (``services``) whenever a house's figures change."""

    kind = models.CharField(_("kind"), max_length=10, choices=PeriodKind.choices)
    year = models.PositiveSmallIntegerField(
        _("year"), validators=[MinValueValidator(2000), MaxValueValidator(2100)]
    )
    number = models.PositiveSmallIntegerField(_("number"))
    starts_on = models.DateField(_("starts on"), editable=False)
    ends_on = models.DateField(_("ends on"), editable=False)
    published_figures = models.JSONField(default=dict, blank=True, editable=False)
    figures_changed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-starts_on", "kind"]
        verbose_name = _("period")
        verbose_name_plural = _("periods")
        constraints = [
            models.UniqueConstraint(fields=["kind", "year", "number"], name="insights_one_period")
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.HALF_YEAR:
            return _("half year %(number)s of %(year)s") % {
                "number": self.number,
                "year": self.year,
            }
        return _("quarter %(number)s of %(year)s") % {"number": self.number, "year": self.year}

    @property
    def slug(self) -> str:
        letter = "h" if self.kind == PeriodKind.HALF_YEAR else "k"
        return f"{self.year}-{letter}{self.number}"


class HouseFigures(models.Model):
    """One Zorg- en Veiligheidshuis, one period: signals, cases and the breakdowns of
    the cases. What a breakdown does not account for is its remainder (overig/onbekend)."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="house_figures"
    )
    house = models.ForeignKey(
        "website.Region",
        verbose_name=_("Zorg- en Veiligheidshuis"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    signals = count_field(_("signals"))
    cases = count_field(_("cases"))
    age_under_18 = count_field(AgeBand.UNDER_18.label)
    age_18_23 = count_field(AgeBand.FROM_18_TO_23.label)
    age_24_35 = count_field(AgeBand.FROM_24_TO_35.label)
    age_36_plus = count_field(AgeBand.FROM_36.label)
    ideology_jihadist = count_field(Ideology.JIHADIST.label)
    ideology_right_wing = count_field(Ideology.RIGHT_WING.label)
    ideology_left_wing = count_field(Ideology.LEFT_WING.label)
    ideology_anti_institutional = count_field(Ideology.ANTI_INSTITUTIONAL.label)
    updated_at = models.DateTimeField(_("updated at"), editable=False)

    class Meta:
        ordering = ["period", "house__name"]
        verbose_name = _("figures of a Zorg- en Veiligheidshuis")
        verbose_name_plural = _("figures of the Zorg- en Veiligheidshuizen")
        constraints = [
            models.UniqueConstraint(fields=["period", "house"], name="insights_one_entry_per_house")
        ]

    def __str__(self):
        return f"{self.house_id} {self.period_id}"

    def age(self) -> dict[str, int]:
        return {band: getattr(self, name) for band, name in AGE_FIELDS.items()}

    def ideology(self) -> dict[str, int]:
        return {code: getattr(self, name) for code, name in IDEOLOGY_FIELDS.items()}


class MunicipalityCount(models.Model):
    figures = models.ForeignKey(
        HouseFigures, on_delete=models.CASCADE, related_name="municipality_counts"
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    cases = count_field(_("cases"))

    class Meta:
        verbose_name = _("cases per municipality")
        verbose_name_plural = _("cases per municipality")
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "municipality"], name="insights_one_count_per_municipality"
            )
        ]

    def __str__(self):
        return f"{self.municipality_id}: {self.cases}"


class GroupingCount(models.Model):
    figures = models.ForeignKey(HouseFigures, on_delete=models.CASCADE, related_name="groupings")
    label = models.CharField(_("grouping"), max_length=80)
    cases = count_field(_("cases"))

    class Meta:
        ordering = ["label"]
        verbose_name = _("cases per grouping")
        verbose_name_plural = _("cases per grouping")
        constraints = [
            models.UniqueConstraint(
                fields=["figures", "label"], name="insights_one_count_per_label"
            )
        ]

    def __str__(self):
        return f"{self.label}: {self.cases}"


class LocalPicture(models.Model):
    """A municipality's own local CTER picture (lokaal beeld), published with a period."""

    period = models.ForeignKey(
        Period, verbose_name=_("period"), on_delete=models.CASCADE, related_name="local_pictures"
    )
    municipality = models.ForeignKey(
        "website.Municipality",
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    delivered_on = models.DateField(_("delivered on"))
    summary = models.TextField(
        _("summary"), max_length=600, help_text=_("Two or three sentences, shown in overviews.")
    )
    body = RichTextField(_("local picture"), features=LOCAL_PICTURE_FEATURES)

    panels = [
        FieldRowPanel([FieldPanel("period"), FieldPanel("municipality")]),
        FieldPanel("delivered_on"),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]

    class Meta:
        ordering = ["-period__starts_on", "municipality__name"]
        verbose_name = _("local picture")
        verbose_name_plural = _("local pictures")
        constraints = [
            models.UniqueConstraint(
                fields=["period", "municipality"], name="insights_one_local_picture"
            )
        ]

    def __str__(self):
        return f"{self.municipality} ({self.period})"
