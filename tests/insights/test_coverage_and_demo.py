"""The local-picture coverage other apps' dashboards read, and the demo content."""

import datetime as dt

import pytest
from wagtail.models import PageViewRestriction

from insights import demo, selectors
from insights.demo import last_quarters
from insights.models import LocalPicture, Period, RegionalPicturePage
from insights.publication import Published
from insights.suppression import Mark
from website.models import Municipality

pytestmark = pytest.mark.django_db


def test_local_picture_coverage_per_region(make_period, houses):

    period = make_period(2025, 1)
    for name, delivered in (
        ("Alkmaar", "2025-04-10"),
        ("Hoorn", "2025-05-01"),
        ("Haarlem", "2024-12-20"),
    ):
        LocalPicture.objects.create(
            period=period,
            municipality=Municipality.objects.get(name=name),
            delivered_on=delivered,
            summary="-",
            body="<p>-</p>",
        )
    coverage = {row.region: row for row in selectors.local_picture_coverage(year=2025)}
    assert coverage["Noord-Holland Noord"].municipalities == ("Alkmaar", "Hoorn")
    assert coverage["Noord-Holland Noord"].delivered
    assert not coverage["Kennemerland"].delivered  # Haarlem delivered in 2024
    assert not coverage["Zaanstreek-Waterland"].delivered
    assert selectors.local_picture_coverage(year=2024)[0].region == "Kennemerland"


def test_the_local_picture_source_gives_the_municipalities_of_the_years_in_one_query(
    make_period, houses, django_assert_num_queries
):
    period = make_period(2025, 1)
    for name, delivered in (("Alkmaar", "2025-04-10"), ("Haarlem", "2024-12-20")):
        for _copy in range(2 if name == "Alkmaar" else 1):
            LocalPicture.objects.create(
                period=period if _copy == 0 else make_period(2025, 2),
                municipality=Municipality.objects.get(name=name),
                delivered_on=delivered,
                summary="-",
                body="<p>-</p>",
            )
    alkmaar, haarlem = (Municipality.objects.get(name=n).pk for n in ("Alkmaar", "Haarlem"))
    with django_assert_num_queries(1):
        found = selectors.local_picture_municipalities(years=[2024, 2025, 2026])
    assert sorted(found) == sorted([alkmaar, haarlem])  # each once, two pictures or one
    assert selectors.local_picture_municipalities(years=[2025]) == [alkmaar]
    assert selectors.local_picture_municipalities(years=[2023]) == []
    assert selectors.local_picture_municipalities(years=[]) == []


def test_the_demo_has_several_periods_one_public_and_small_numbers(demo_pictures):

    pages = list(RegionalPicturePage.objects.live().select_related("period"))
    assert len(pages) == 4
    public = [p for p in pages if not PageViewRestriction.objects.filter(page=p).exists()]
    assert len(public) == 1
    for page in pages:
        published = Published(page.period.published_figures)
        assert len(published.houses) == 3
        assert published.count(Mark.SMALL) > 0 and published.count(Mark.HIDDEN) > 0
    assert LocalPicture.objects.count() == 4


def test_the_demo_can_be_seeded_again(demo_pictures):

    demo.seed()
    assert Period.objects.count() == 4
    assert RegionalPicturePage.objects.count() == 4


def test_last_quarters():

    now = dt.datetime(2026, 2, 10, tzinfo=dt.UTC)
    assert last_quarters(now, 3) == [(2025, 4), (2025, 3), (2025, 2)]
