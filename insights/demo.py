"""Demo content: /regionaal-beeld/ with the last four quarters for the three
Zorg- en Veiligheidshuizen, the second newest public and the rest for partners,
counts under 5 so the suppression shows, and local pictures of four municipalities.
Idempotent: periods, figures and pages are found again."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from website.demo import ensure_home, rich, upsert_child
from website.models import Municipality, Region, SiteSettings

from . import services
from .models import LocalPicture, Period, PeriodKind, RegionalPictureIndexPage, RegionalPicturePage

# Per house: signals, cases, age (<18, 18-23, 24-35, 36+), ideology (jihadist, right,
# left, anti-institutional), municipalities, groupings. Varied per quarter below.
HOUSES = {
    "noord-holland-noord": {
        "signals": 38,
        "cases": 21,
        "age": (6, 5, 4, 3),
        "ideology": (7, 6, 1, 4),
        "municipalities": {"Alkmaar": 6, "Den Helder": 5, "Hoorn": 3, "Schagen": 2},
        "groupings": {"Online accelerationistisch netwerk": 6, "Soevereinenbeweging": 3},
    },
    "kennemerland": {
        "signals": 31,
        "cases": 18,
        "age": (5, 6, 3, 2),
        "ideology": (6, 5, 2, 3),
        "municipalities": {"Haarlem": 8, "Haarlemmermeer": 5, "Velsen": 2},
        "groupings": {"Soevereinenbeweging": 5},
    },
    "zaanstreek-waterland": {
        "signals": 14,
        "cases": 8,
        "age": (3, 2, 1, 1),
        "ideology": (3, 2, 0, 2),
        "municipalities": {"Zaanstad": 5, "Purmerend": 2},
        "groupings": {},
    },
}

LOCAL_PICTURES = [
    (
        0,
        "Alkmaar",
        "Alkmaar ziet vooral online radicalisering onder jongeren; school en wijkteam "
        "signaleren samen.",
    ),
    (
        0,
        "Haarlem",
        "In Haarlem nemen signalen over anti-institutionele denkbeelden toe; de "
        "gemeente investeert in gesprekken met bewoners.",
    ),
    (0, "Zaanstad", "Zaanstad werkt met een vast casusoverleg en ziet een stabiel beeld."),
    (
        1,
        "Den Helder",
        "Den Helder bracht het eerste lokale beeld uit, met de nadruk op "
        "samenwerking met de marine en het onderwijs.",
    ),
]


def last_quarters(now: dt.datetime, count: int) -> list[tuple[int, int]]:
    """The ``count`` most recent completed quarters, newest first."""
    year, quarter = now.year, (now.month - 1) // 3 + 1
    found = []
    for _ in range(count):
        quarter -= 1
        if quarter == 0:
            year, quarter = year - 1, 4
        found.append((year, quarter))
    return found


def figures_for(house: str, age: int) -> services.FiguresInput:
    """The demo figures of ``house``, ``age`` quarters back (a little different each time)."""
    base = HOUSES[house]
    step = (1, -1, 0, 2)[age % 4]  # some counts cross 5 from one quarter to the next
    municipalities = {m.name: m.pk for m in Municipality.objects.filter(region__slug=house)}

    def shift(value: int) -> int:
        return max(0, value + step)

    age_counts = [shift(n) for n in base["age"]]
    ideology_counts = [shift(n) for n in base["ideology"]]
    cases = max(base["cases"] + 2 * step, sum(age_counts), sum(ideology_counts))
    local = {municipalities[name]: shift(n) for name, n in base["municipalities"].items()}
    while sum(local.values()) > cases:
        local[max(local, key=local.get)] -= 1
    return services.FiguresInput(
        signals=base["signals"] + 3 * step,
        cases=cases,
        age=dict(zip(("under_18", "18_23", "24_35", "36_plus"), age_counts, strict=True)),
        ideology=dict(
            zip(
                ("jihadist", "right_wing", "left_wing", "anti_institutional"),
                ideology_counts,
                strict=True,
            )
        ),
        municipality=local,
        grouping={label: shift(n) for label, n in base["groupings"].items()},
    )


@transaction.atomic
def seed(*, scale: int = 1, stdout=None):
    home = ensure_home()
    index = upsert_child(
        home,
        RegionalPictureIndexPage,
        "regionaal-beeld",
        title="Regionaal beeld",
        intro="Per kwartaal het beeld van de signalen en casussen die de drie Zorg- en "
        "Veiligheidshuizen behandelden, met leeftijd, type ideologie, gemeente en "
        "groepering. Alleen aantallen; kleine aantallen schermen we af.",
    )
    now = timezone.now()
    houses = {region.slug: region for region in Region.objects.all()}
    periods = []
    for age, (year, quarter) in enumerate(last_quarters(now, 4)):
        period = Period.objects.filter(kind=PeriodKind.QUARTER, year=year, number=quarter).first()
        if period is None:
            period = services.create_period(kind=PeriodKind.QUARTER, year=year, number=quarter)
        for slug, region in houses.items():
            if slug in HOUSES:
                services.save_house_figures(
                    period_id=period.pk,
                    house_id=region.pk,
                    data=figures_for(slug, age),
                    replace=True,
                    now=now,
                )
        periods.append(period)
    for age, period in reversed(list(enumerate(periods))):
        if not RegionalPicturePage.objects.filter(period=period).exists():
            services.create_period_page(
                index=index,
                period=period,
                title=f"Regionaal beeld {period.label}",
                intro="Het aantal signalen blijft ongeveer gelijk; online radicalisering "
                "onder jongeren vraagt blijvend aandacht.",
                public=age == 1,
            )
    for age, name, summary in LOCAL_PICTURES:
        municipality = Municipality.objects.filter(name=name).first()
        if municipality is None:
            continue
        period = periods[age]
        LocalPicture.objects.update_or_create(
            period=period,
            municipality=municipality,
            defaults={
                "delivered_on": period.ends_on + dt.timedelta(days=20),
                "summary": summary,
                "body": rich(
                    summary,
                    "Het lokale beeld is opgesteld met het Zorg- en Veiligheidshuis, de "
                    "politie en het onderwijs, en besproken in het lokale driehoeksoverleg.",
                ),
            },
        )
    settings = SiteSettings.load()
    links = list(settings.main_navigation.raw_data)
    if not any(item.get("value", {}).get("url") == index.url for item in links):
        position = (
            len(links) - 1 if links and links[-1]["value"].get("url") == "/zoeken/" else len(links)
        )
        links.insert(
            position, {"type": "link", "value": {"url": index.url, "label": "Regionaal beeld"}}
        )
        settings.main_navigation = links
        settings.save()
    return index
