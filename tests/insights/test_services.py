"""The rules behind the figures (insights/services.py), at their edges."""

import datetime as dt

import pytest
from django.utils import timezone

from insights import services
from insights.models import HouseFigures, Period
from insights.publication import REGION, REST, Measure, Published
from insights.suppression import Mark
from website import stamps
from website.models import Municipality

pytestmark = pytest.mark.django_db


def messages(exc):
    return [m for ms in exc.value.errors.values() for m in ms]


def test_period_bounds():
    assert services.period_bounds(kind="quarter", year=2024, number=1) == (
        dt.date(2024, 1, 1),
        dt.date(2024, 3, 31),
    )
    assert services.period_bounds(kind="half_year", year=2024, number=2) == (
        dt.date(2024, 7, 1),
        dt.date(2024, 12, 31),
    )


def test_a_period_exists_once(make_period):
    make_period(2025, 1)
    with pytest.raises(services.FiguresError) as exc:
        make_period(2025, 1)
    assert exc.value.errors == {"number": ["Deze periode bestaat al."]}


def test_quarters_and_half_years_never_overlap(make_period):
    """A half year next to its quarters would let anyone subtract one from the other."""
    make_period(2025, 2)
    with pytest.raises(services.FiguresError) as exc:
        make_period(2025, 1, kind="half_year")
    assert "overlapt met 2e kwartaal 2025" in messages(exc)[0]
    make_period(2025, 2, kind="half_year")  # July-December does not overlap
    with pytest.raises(services.FiguresError):
        make_period(2025, 4)


@pytest.mark.parametrize(
    ("kind", "year", "number", "field"),
    [
        ("quarter", 2025, 5, "number"),
        ("half_year", 2025, 3, "number"),
        ("month", 2025, 1, "kind"),
        ("quarter", 1999, 1, "year"),
    ],
)
def test_period_numbers(db, kind, year, number, field):
    with pytest.raises(services.FiguresError) as exc:
        services.create_period(kind=kind, year=year, number=number)
    assert list(exc.value.errors) == [field]


def test_parse_period():
    assert services.parse_period("2025-K1") == ("quarter", 2025, 1)
    assert services.parse_period(" 2025 h2 ") == ("half_year", 2025, 2)
    assert services.parse_period("2025-Q3") == ("quarter", 2025, 3)
    assert services.parse_period("2025-H3") is None
    assert services.parse_period("K1 2025") is None
    assert services.parse_period("") is None


def test_one_entry_per_house_per_period(make_period, enter):
    period = make_period()
    enter(period, "kennemerland", replace=False)
    with pytest.raises(services.FiguresError) as exc:
        enter(period, "kennemerland", replace=False)
    assert exc.value.errors == {
        "house": [
            "De cijfers van Kennemerland voor 1e kwartaal 2025 zijn al ingevoerd; pas ze daar aan."
        ]
    }
    assert HouseFigures.objects.count() == 1


def test_a_breakdown_cannot_add_up_to_more_than_the_cases(make_period, enter):
    period = make_period()
    with pytest.raises(services.FiguresError) as exc:
        enter(period, "kennemerland", cases=10, age={"under_18": 6, "18_23": 5})
    assert exc.value.errors == {
        "age": [
            "De leeftijdsgroepen tellen op tot 11, meer dan de 10 casussen. Wat niet bekend "
            "is, telt vanzelf als \u2018overig/onbekend\u2019."
        ]
    }
    assert not HouseFigures.objects.exists()


def test_the_remainder_is_other_or_unknown(make_period, enter):
    period = make_period()
    enter(period, "kennemerland", cases=30, age={"under_18": 10, "18_23": 8})
    published = Published(Period.objects.get(pk=period.pk).published_figures)
    assert published.get(Measure.AGE, "kennemerland", REST).value == 12


@pytest.mark.parametrize("value", [-1, 1.5, "3", True, 100_001, None])
def test_counts_are_whole_numbers_from_0_to_100000(make_period, houses, value):
    period = make_period()
    data = services.FiguresInput(signals=value, cases=4)
    with pytest.raises(services.FiguresError) as exc:
        services.save_house_figures(
            period_id=period.pk,
            house_id=houses["kennemerland"].pk,
            data=data,
            replace=False,
            now=timezone.now(),
        )
    assert exc.value.errors == {"signals": ["Vul een heel getal in van 0 tot 100.000."]}


def test_only_municipalities_of_the_house(make_period, houses):

    period = make_period()
    alkmaar = Municipality.objects.get(name="Alkmaar")  # Noord-Holland Noord
    data = services.FiguresInput(signals=1, cases=4, municipality={alkmaar.pk: 2})
    with pytest.raises(services.FiguresError) as exc:
        services.save_house_figures(
            period_id=period.pk,
            house_id=houses["kennemerland"].pk,
            data=data,
            replace=False,
            now=timezone.now(),
        )
    assert exc.value.errors == {
        "municipality": ["Alleen gemeenten van dit Zorg- en Veiligheidshuis."]
    }


@pytest.mark.parametrize(
    ("label", "message"),
    [
        ("Groep\x00X", "Gebruik alleen letters, cijfers en leestekens."),
        ("Groep\u202eX", "Gebruik alleen letters, cijfers en leestekens."),
        ("x" * 81, "Gebruik hoogstens 80 tekens voor een groepering."),
    ],
)
def test_grouping_labels(make_period, enter, label, message):
    period = make_period()
    with pytest.raises(services.FiguresError) as exc:
        enter(period, "kennemerland", cases=10, grouping={label: 5})
    assert exc.value.errors == {"grouping": [message]}


def test_a_grouping_label_is_stored_tidy_and_once(make_period, enter):
    period = make_period()
    with pytest.raises(services.FiguresError):
        enter(period, "kennemerland", cases=20, grouping={"Groep A": 5, "groep  a": 6})
    figures = enter(period, "kennemerland", cases=20, grouping={"  Groep   A ": 5})
    assert [g.label for g in figures.groupings.all()] == ["Groep A"]


def test_saving_recomputes_the_snapshot_and_bumps_the_facts_stamp(
    make_period, enter, django_capture_on_commit_callbacks
):

    period = make_period()
    before = stamps.facts()
    with django_capture_on_commit_callbacks(execute=True):
        enter(period, "kennemerland", signals=30, cases=3)
    assert stamps.facts() != before
    published = Published(Period.objects.get(pk=period.pk).published_figures)
    assert published.get(Measure.CASES, "kennemerland").mark is Mark.SMALL
    assert published.get(Measure.SIGNALS, REGION).value == 30
    # A second house: the region total is now the sum of two, and small ones are protected.
    enter(period, "noord-holland-noord", signals=40, cases=25)
    published = Published(Period.objects.get(pk=period.pk).published_figures)
    assert published.houses == ["kennemerland", "noord-holland-noord"]
    assert published.get(Measure.CASES, "kennemerland").mark is Mark.SMALL
    assert not (
        published.get(Measure.CASES, REGION).exact
        and published.get(Measure.CASES, "noord-holland-noord").exact
    )


def test_deleting_figures_recomputes_the_snapshot(make_period, enter):
    period = make_period()
    figures = enter(period, "kennemerland", signals=30, cases=12)
    services.delete_house_figures(figures_id=figures.pk, now=timezone.now())
    assert Published(Period.objects.get(pk=period.pk).published_figures).houses == []
