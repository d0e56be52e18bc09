"""Demo records for the dashboard: this year's targets (the plan's 4 / 2 / 6) and the
support given to the municipalities: an offer for 31 of the 32 (one is left without, so
the report names it), pressure cookers in a few, and local CTER pictures delivered in
two of the three regions. Idempotent."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from website.models import Municipality

from .models import DEFAULT_TARGETS, MunicipalityYear, OfferStatus, SupportOffer, Target, TargetYear

OFFERS = (
    "Basistraining radicalisering herkennen voor het sociaal domein",
    "Pressure cooker met het lokale veiligheidsnetwerk",
    "Adviesgesprek over de lokale aanpak CTER",
    "Training in company voor wijkteams",
)
BY = ("Expertise-unit Sociale Stabiliteit", "Zorg- en Veiligheidshuis", "Coördinator CTER")
LEFT_OUT = 1  # municipalities without an offer, so the report has someone to name
PICTURES_IN = 2  # regions where a municipality delivered a local CTER picture


@transaction.atomic
def seed(*, scale: int = 1, stdout=None, now: dt.datetime | None = None):
    now = now or timezone.now()
    count = seed_year(timezone.localdate(now).year, today=timezone.localdate(now))
    if stdout and count:
        stdout.write(f"reporting: targets and coverage of {count} municipalities")


def volume(*, registrations: int, counts: int, years: int, now: dt.datetime, stdout=None) -> int:
    """``manage.py seed_volume``: targets and coverage for the earlier years as well."""
    today = timezone.localdate(now)
    for year in range(today.year - years + 1, today.year + 1):
        seed_year(year, today=min(today, dt.date(year, 12, 31)))
    return 0


def seed_year(year: int, *, today: dt.date) -> int:
    """The plan's targets and the support of every municipality in ``year`` (offers up to
    ``today``); nothing when the year has coverage records already."""
    record, created = TargetYear.objects.get_or_create(year=year)
    if created:
        Target.objects.bulk_create(
            Target(target_year=record, line=line, minimum=minimum, sort_order=number)
            for number, (line, minimum) in enumerate(DEFAULT_TARGETS)
        )
    municipalities = list(
        Municipality.objects.select_related("region").order_by("region__name", "name")
    )
    if MunicipalityYear.objects.filter(year=year).exists() or not municipalities:
        return 0
    pictures: set[int] = set()
    regions_with_picture = []
    for municipality in municipalities:
        if (
            municipality.region_id not in regions_with_picture
            and len(regions_with_picture) < PICTURES_IN
        ):
            regions_with_picture.append(municipality.region_id)
            pictures.add(municipality.pk)
    offered = municipalities[: len(municipalities) - LEFT_OUT]
    for number, municipality in enumerate(municipalities):
        entry = MunicipalityYear.objects.create(
            municipality=municipality,
            year=year,
            pressure_cookers=1 if number % 5 == 0 else 0,
            local_picture_on=today - dt.timedelta(days=20) if municipality.pk in pictures else None,
        )
        if municipality not in offered:
            continue
        day = max(dt.date(year, 1, 8), today - dt.timedelta(days=5 + 7 * number))
        SupportOffer.objects.create(
            record=entry,
            offered_on=day,
            offer=OFFERS[number % len(OFFERS)],
            offered_by=BY[number % len(BY)],
            status=OfferStatus.ACCEPTED if number % 3 else OfferStatus.OFFERED,
        )
        if number % 7 == 0:
            SupportOffer.objects.create(
                record=entry,
                offered_on=today + dt.timedelta(days=30),
                offer=OFFERS[(number + 1) % len(OFFERS)],
                offered_by=BY[(number + 1) % len(BY)],
                status=OfferStatus.PLANNED,
                sort_order=1,
            )
    return len(municipalities)
