"""The reach report at /admin/bereik/: figures per target group, per municipality (all
32, zeros included, with the coverage) and per product of the plan per month; filters;
exports that carry exactly what is on screen."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone, translation
from wagtail import hooks

from insights import services as insights_services
from insights.models import LocalPicture
from learning.models import RegistrationStatus, Session, SessionStatus
from outreach import demo as outreach_demo
from outreach.models import InfoSheetPage, ReachCount
from reporting import selectors
from reporting.models import MunicipalityYear, OfferStatus, SupportOffer
from reporting.selectors import Breakdown, Period, ReportFilters
from tests.reporting.conftest import ABSENT, PRESENT, at
from tests.reporting.helpers import as_value, csv_rows, screen_table, xlsx_rows
from website import hooks as cter
from website.demo import demo_document
from website.models import Municipality

pytestmark = pytest.mark.django_db

YEAR = 2031


def report(breakdown=Breakdown.TARGET_GROUP, **kw):
    period = kw.pop("period", Period.year(YEAR))
    return selectors.reach_report(filters=ReportFilters(period=period, breakdown=breakdown, **kw))


def rows_by(table, key):
    return {row[key]: row for row in table.rows}


@pytest.fixture
def reached(world):
    """Six people over two sessions in 2031 and the facts that must not count."""
    page = world.training("Basis", groups=["gemeenten"])
    one, two = world.session(page, at(YEAR, 3, 2)), world.session(page, at(YEAR, 4, 6))
    world.register(one, "anna@example.nl", group="gemeenten", attendance=PRESENT)
    world.register(two, " ANNA@example.nl", group="gemeenten", attendance=PRESENT)  # again
    world.register(
        one,
        "bert@example.nl",
        group="zorg",
        municipality="Alkmaar",
        organisation="GGD",
        attendance=ABSENT,
    )
    world.register(one, "cor@example.nl", group="zorg", municipality=None, organisation="GGD")
    world.register(
        two,
        "dini@example.nl",
        group="gemeenten",
        municipality="Zaanstad",
        organisation="Gemeente Zaanstad",
        attendance=PRESENT,
    )
    # not counted: a cancelled registration, a cancelled session, another year
    gone = world.register(one, "eva@example.nl", group="gemeenten")
    gone.status = RegistrationStatus.CANCELLED
    gone.save(update_fields=["status"])
    dropped = world.session(page, at(YEAR, 5, 1))
    world.register(dropped, "fons@example.nl", group="gemeenten", attendance=PRESENT)
    world.cancel(dropped)
    world.register(world.session(page, at(YEAR - 1, 12, 1)), "gijs@example.nl", group="zorg")
    return world


def test_per_target_group(reached):
    found = rows_by(report().table, "target_group")
    gemeenten, zorg = found["Gemeenten (ambtenaren)"], found["Zorg (GGZ, GGD)"]
    assert (gemeenten["registrations"], gemeenten["participants"]) == (3, 2)  # Anna twice
    assert gemeenten["attendance_rate"] == 100
    assert (gemeenten["organisations"], gemeenten["municipalities"]) == (2, 2)
    assert (zorg["registrations"], zorg["participants"], zorg["attendance_rate"]) == (2, 2, 0)
    assert (zorg["organisations"], zorg["municipalities"]) == (1, 1)  # one gave no municipality
    assert found["Onderwijs"]["registrations"] == 0  # every group, zeros included
    total = found["Totaal"]
    assert (total["registrations"], total["participants"], total["attendance_rate"]) == (5, 4, 75)


def test_products_count_for_every_group_they_were_made_for(reached):
    outreach_demo.seed()
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    sheet.target_groups.add(reached.groups["zorg"])  # made for two groups
    sheet.pdf = demo_document(
        "Eigen pdf", Path(outreach_demo.__file__).parent / "demo_media" / "informatieblad.pdf"
    )
    sheet.save()
    ReachCount.objects.create(kind="view", object_id=sheet.pk, day=dt.date(YEAR, 2, 1), count=7)
    ReachCount.objects.create(
        kind="download", object_id=sheet.pdf_id, day=dt.date(YEAR, 2, 2), count=3
    )
    ReachCount.objects.create(
        kind="view", object_id=sheet.pk, day=dt.date(YEAR + 1, 1, 1), count=50
    )
    found = rows_by(report().table, "target_group")
    for name in ("Gemeenten (ambtenaren)", "Zorg (GGZ, GGD)"):
        assert (found[name]["views"], found[name]["downloads"]) == (7, 3)
    assert (found["Totaal"]["views"], found["Totaal"]["downloads"]) == (7, 3)  # counted once
    assert found["Onderwijs"]["views"] == 0


def test_filters_by_region_and_target_group(reached, world):
    noord = world.regions["Noord-Holland Noord"]
    found = rows_by(report(region=noord).table, "target_group")
    assert found["Zorg (GGZ, GGD)"]["registrations"] == 1  # Bert from Alkmaar
    assert found["Gemeenten (ambtenaren)"]["registrations"] == 0
    only = report(target_group=world.groups["zorg"])
    assert [row["target_group"] for row in only.table.rows] == ["Zorg (GGZ, GGD)", "Totaal"]
    assert only.totals.registrations == 2
    spring = report(period=Period(dt.date(YEAR, 4, 1), dt.date(YEAR, 4, 30)))
    assert spring.totals.registrations == 2


def test_per_municipality_all_32_grouped_by_region_with_zeros_and_coverage(reached, world):
    table = report(Breakdown.MUNICIPALITY).table
    plain = [row for row in table.rows if row["kind"] == ""]
    assert len(plain) == 32 == Municipality.objects.count()
    assert [r["region"] for r in plain] == sorted(r["region"] for r in plain)
    by_name = {row["municipality"]: row for row in plain}
    assert (
        by_name["Haarlem"]["participants"] == 1 and by_name["Haarlem"]["activities_attended"] == 2
    )
    assert by_name["Zaanstad"]["participants"] == 1
    assert by_name["Texel"]["participants"] == 0  # a zero, not a missing row
    regions = [row for row in table.rows if row["kind"] == "subtotal" and row["region"]]
    assert [r["municipality"] for r in regions] == ["Hele regio"] * 3
    other = next(r for r in table.rows if r["kind"] == "subtotal" and not r["region"])
    assert other["participants"] == 1  # Cor, outside Noord-Holland
    assert table.rows[-1]["participants"] == 4


def test_the_32_municipality_coverage_names_the_missing_one(reached, world):
    year = YEAR
    everyone = list(Municipality.objects.order_by("name"))
    for municipality in everyone:
        record = MunicipalityYear.objects.create(municipality=municipality, year=year)
        status = OfferStatus.PLANNED if municipality.name == "Texel" else OfferStatus.ACCEPTED
        SupportOffer.objects.create(
            record=record,
            offered_on=dt.date(year, 2, 1),
            offer="Training",
            offered_by="EUS",
            status=status,
        )
    MunicipalityYear.objects.filter(municipality__name="Alkmaar").update(
        local_picture_on=dt.date(year, 6, 1), pressure_cookers=2
    )
    with translation.override("nl"):
        found = report(Breakdown.MUNICIPALITY)
        sentence = found.coverage.sentence
    assert sentence == (
        "31 van 32 gemeenten hebben een ondersteuningsaanbod gekregen; nog niet: Texel."
    )
    pictures = {region.region.name: region.local_pictures for region in found.coverage.regions}
    assert pictures == {
        "Kennemerland": [],
        "Noord-Holland Noord": ["Alkmaar"],
        "Zaanstreek-Waterland": [],
    }
    # the regional picture (another app) reports Zaanstad through the hook
    with hooks.register_temporarily(
        cter.LOCAL_PICTURES,
        lambda *, years: [world.municipalities["Zaanstad"].pk] if YEAR in years else [],
    ):
        found = report(Breakdown.MUNICIPALITY)
    pictures = {region.region.name: region.local_pictures for region in found.coverage.regions}
    assert pictures["Zaanstreek-Waterland"] == ["Zaanstad"]
    by_name = {row["municipality"]: row for row in found.table.rows if row["kind"] == ""}
    assert (by_name["Alkmaar"]["pressure_cookers"], by_name["Alkmaar"]["local_picture"]) == (
        2,
        "ja",
    )
    assert by_name["Texel"]["support_offer"] == "nee"


def test_local_pictures_entered_in_the_regional_picture_count_for_their_region(reached, world):
    """The real source: insights' Lokale beelden, read through cter_local_pictures."""
    period = insights_services.create_period(kind="quarter", year=YEAR, number=1)
    LocalPicture.objects.create(
        period=period,
        municipality=world.municipalities["Hoorn"],
        delivered_on=dt.date(YEAR, 4, 2),
        summary="-",
        body="<p>-</p>",
    )
    found = report(Breakdown.MUNICIPALITY)
    pictures = {region.region.name: region.local_pictures for region in found.coverage.regions}
    assert pictures == {
        "Kennemerland": [],
        "Noord-Holland Noord": ["Hoorn"],
        "Zaanstreek-Waterland": [],
    }
    by_name = {row["municipality"]: row for row in found.table.rows if row["kind"] == ""}
    assert (by_name["Hoorn"]["local_picture"], by_name["Alkmaar"]["local_picture"]) == ("ja", "nee")
    # a picture delivered in another year does not count for this one
    assert (
        report(Breakdown.MUNICIPALITY, period=Period.year(YEAR + 1))
        .coverage.regions[1]
        .local_pictures
        == []
    )


def test_per_product_of_the_plan_per_month(site_home, world):
    year = timezone.localdate().year
    outreach_demo.seed()
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    ReachCount.objects.create(kind="view", object_id=sheet.pk, day=dt.date(year, 3, 5), count=4)
    ReachCount.objects.create(kind="view", object_id=sheet.pk, day=dt.date(year, 3, 25), count=1)
    ReachCount.objects.create(kind="view", object_id=sheet.pk, day=dt.date(year, 5, 1), count=2)
    table = report(Breakdown.PRODUCT, period=Period.year(year)).table
    assert [c.key for c in table.columns][:3] == ["product", "target_group", "metric"]
    assert len([c for c in table.columns if c.key.startswith(f"m{year}_")]) == 12
    sheet_rows = [
        row
        for row in table.rows
        if row["product"] == "Informatieblad signalen herkennen"
        and row["target_group"] == "Gemeenten (ambtenaren)"
    ]
    views = next(row for row in sheet_rows if row["metric"] == "weergaven")
    assert (views[f"m{year}_03"], views[f"m{year}_05"], views["total"]) == (5, 2, 7)
    unpublished = [row for row in table.rows if row["metric"] == "nog niet gepubliceerd"]
    assert len(unpublished) == 8  # the podcast planned for every group
    total_views = next(r for r in table.rows if r["kind"] == "total" and r["metric"] == "weergaven")
    assert total_views["total"] == 7


# ----- the screen, its exports and bad input ----------------------------------------------


@pytest.mark.parametrize("breakdown", ["target_group", "municipality", "product"])
def test_exports_carry_exactly_what_is_on_screen(coordinator, reached, breakdown):
    url = f"/admin/bereik/?breakdown={breakdown}&year={YEAR}"
    with translation.override("nl"):
        html = coordinator.get(url).content.decode()
    screen = screen_table(html)
    assert len(screen) > 2
    xlsx = coordinator.get(url + "&export=xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = xlsx_rows(xlsx.getvalue())
    csv = csv_rows(coordinator.get(url + "&export=csv"))
    expected = [screen[0]] + [[as_value(cell) for cell in row] for row in screen[1:]]
    assert sheet == expected
    assert csv[0] == screen[0]
    assert [[as_value(c) if c is not None else None for c in row] for row in csv[1:]] == expected[
        1:
    ]


@pytest.mark.parametrize(
    "query",
    [
        "year=abc",
        "year=1999",
        "region=99999",
        "target_group=-1",
        "breakdown=%3Cscript%3Ealert(1)%3C/script%3E",
        "period_from=2031-13-45",
        "period_from=2031-05-01&period_to=2031-01-01",
        "period_from=2020-01-01&period_to=2031-01-01",
        "region=%00",
        "period_from=9999-12-01&period_to=9999-12-31",
        "period_to=9999-12-31",
        "period_from=0001-01-01",
        "period_from=0001-01-01&period_to=0001-01-02",
    ],
)
def test_bad_filters_get_a_dutch_message_never_a_500(coordinator, world, query):
    with translation.override("nl"):
        response = coordinator.get(f"/admin/bereik/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Het filter kon niet worden gebruikt" in html
    assert "alert(1)</script>" not in html


def test_an_overlong_number_is_dropped_as_every_admin_filter_does(coordinator, world):
    """website.middleware drops numbers beyond 64 bits from admin query strings: the
    report shows the default year instead of failing."""
    with translation.override("nl"):
        plain = coordinator.get("/admin/bereik/")
        response = coordinator.get("/admin/bereik/?year=" + "9" * 5000)
    assert response.status_code == 200
    assert "9999999999" not in response.content.decode()
    assert response.context["filters"].form.cleaned_data == (
        plain.context["filters"].form.cleaned_data
    )


def test_a_period_is_limited_and_explained(coordinator, world):
    with translation.override("nl"):
        html = coordinator.get(
            "/admin/bereik/?period_from=2031-05-01&period_to=2031-01-01"
        ).content.decode()
    assert "Het einde van de periode ligt voor het begin." in html


def test_the_screen_is_dutch(coordinator, reached):
    with translation.override("nl"):
        html = coordinator.get(f"/admin/bereik/?year={YEAR}").content.decode()
    for text in ("Bereik per doelgroep", "Unieke deelnemers", "Gemeentedekking", "Opkomst"):
        assert text in html
    for english in ("Unique participants", "Municipality coverage", "Registrations"):
        assert english not in html


def test_figures_survive_an_organisation_merge(reached):
    """What a merge of duplicate organisations does to the facts (H7b's service moves
    every registration in one transaction): only the number of organisations changes."""
    from learning.models import Organisation, Registration  # noqa: PLC0415 (test-local)

    before = rows_by(report().table, "target_group")
    keep = Organisation.objects.get(name="Gemeente Haarlem")
    duplicate = Organisation.objects.get(name="Gemeente Zaanstad")
    Registration.objects.filter(organisation=duplicate).update(organisation=keep)
    duplicate.delete()
    after = rows_by(report().table, "target_group")
    for name, row in before.items():
        for key in ("registrations", "participants", "attendance_rate", "municipalities"):
            assert after[name][key] == row[key], (name, key)
    assert after["Gemeenten (ambtenaren)"]["organisations"] == 1


def test_sessions_in_other_states_do_not_leak_into_participation(reached):
    Session.objects.update(status=SessionStatus.CANCELLED)
    assert report().totals.registrations == 0
