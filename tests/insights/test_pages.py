"""Publication under /regionaal-beeld/: visibility per role (real non-superusers),
drafts never outside the admin, suppressed figures only (pages, change column, CSV), and
query counts that do not grow with the number of periods."""

import csv
import io

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from insights import services
from insights.models import LocalPicture, RegionalPictureIndexPage, RegionalPicturePage
from website.models import Municipality

pytestmark = pytest.mark.django_db


@pytest.fixture
def periods(make_period, make_page, enter):
    """2025-K1 public, 2025-K2 for partners, 2025-K3 a draft, each with figures."""
    made = {}
    for number in (1, 2, 3):
        period = make_period(2025, number)
        enter(
            period,
            "noord-holland-noord",
            signals=40 + number,
            cases=25,
            age={"under_18": 9, "18_23": 3},
            municipality={"Alkmaar": 7, "Hoorn": 2},
            grouping={"Online netwerk": 6, "Kleine groep": 2},
        )
        enter(period, "kennemerland", signals=30, cases=18, age={"under_18": 6, "18_23": 8})
        enter(period, "zaanstreek-waterland", signals=12, cases=3, age={"under_18": 1})
        made[number] = make_page(period, public=number == 1)
    made[3].unpublish()
    return made


def login(client, make_user, *groups, name="gebruiker"):
    client.force_login(make_user(name, *groups))
    return client


def test_anonymous_visitors_see_public_periods_only(client, periods):
    index = client.get("/regionaal-beeld/")
    content = index.content.decode()
    assert "Regionaal beeld 1e kwartaal 2025" in content
    assert "2e kwartaal 2025" not in content and "3e kwartaal 2025" not in content
    assert "Nog 1 periode is alleen voor partners" in content
    assert client.get(periods[1].url).status_code == 200
    for url in (periods[2].url, periods[2].url + "kennemerland/", periods[2].url + "cijfers/"):
        response = client.get(url)
        # the public login page (WAGTAIL_FRONTEND_LOGIN_URL)
        assert response.status_code == 302 and "/inloggen/" in response["Location"], url
    assert client.get(periods[3].url).status_code == 404


@pytest.mark.parametrize("group", ["Partner", "Analist", "Coördinator"])
def test_partners_and_the_staff_of_the_figures_see_partner_periods(
    client, make_user, periods, group
):
    login(client, make_user, group)
    content = client.get("/regionaal-beeld/").content.decode()
    assert "Regionaal beeld 2e kwartaal 2025" in content and "voor partners" in content
    for url in (periods[2].url, periods[2].url + "kennemerland/", periods[2].url + "cijfers/"):
        assert client.get(url).status_code == 200, url
    assert client.get(periods[3].url).status_code == 404  # a draft, whoever asks


def test_other_staff_do_not_see_partner_periods(client, make_user, periods):
    login(client, make_user, "Editors")
    assert client.get(periods[2].url).status_code == 302
    assert "2e kwartaal 2025" not in client.get("/regionaal-beeld/").content.decode()


def test_a_draft_is_not_visible_even_to_a_superuser_outside_the_admin(client, periods):

    client.force_login(User.objects.create_superuser("beheer", "b@example.nl", "x"))
    assert client.get(periods[3].url).status_code == 404
    assert client.get(periods[3].url + "kennemerland/").status_code == 404
    assert client.get(periods[2].url).status_code == 200


def test_new_period_pages_in_the_admin_start_for_partners(
    client, index_page, make_period, insight_groups
):

    client.force_login(User.objects.create_superuser("beheer", "b@example.nl", "x"))
    period = make_period(2025, 4)
    response = client.post(
        f"/admin/pages/add/insights/regionalpicturepage/{index_page.pk}/",
        {
            "title": "Regionaal beeld 4e kwartaal 2025",
            "slug": "2025-k4",
            "period": period.pk,
            "intro": "",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    page = RegionalPicturePage.objects.get(period=period)
    restriction = PageViewRestriction.objects.get(page=page)
    assert {g.name for g in restriction.groups.all()} == {"Partner", "Analist", "Coördinator"}
    client.logout()
    assert client.get(page.url).status_code == 302


def test_an_editor_can_make_a_period_public(client, periods):
    PageViewRestriction.objects.filter(page=periods[2]).delete()
    assert client.get(periods[2].url).status_code == 200


def test_small_counts_are_shown_as_less_than_five(client, periods):
    content = client.get(periods[1].url).content.decode()
    assert "&lt;5" in content
    assert "afgeschermd" in content
    assert "Zo beschermen we personen in deze cijfers" in content  # the rule, in Dutch
    house = client.get(periods[1].url + "noord-holland-noord/").content.decode()
    assert "Online netwerk" in house
    assert "Kleine groep" not in house  # fewer than 5: not named


def test_no_english_on_the_dutch_pages(client, periods):
    for url in (periods[1].url, periods[1].url + "kennemerland/", "/regionaal-beeld/"):
        content = client.get(url).content.decode()
        for english in (
            "withheld",
            ">Signals<",
            ">Cases<",
            "other/unknown",
            "Key figures",
            "How we protect",
        ):
            assert english not in content, (url, english)


def test_the_change_needs_a_previous_period_visible_to_the_same_readers(client, make_user, periods):
    # 2025-K1 is public, 2025-K2 for partners: the partners' page compares with K1.
    login(client, make_user, "Partner")
    partner_page = client.get(periods[2].url).content.decode()
    assert "Verschillen ten opzichte van het 1e kwartaal 2025." in partner_page
    # The public K1 page must not compare with a partners-only 2024-K4.

    period = services.create_period(kind="quarter", year=2024, number=4)
    RegionalPicturePage.objects.get(pk=periods[1].pk)

    services.create_period_page(
        index=RegionalPictureIndexPage.objects.get(), period=period, title="Oud", public=False
    )
    client.logout()
    public_page = client.get(periods[1].url).content.decode()
    assert "Geen vergelijking met een vorige periode." in public_page


def test_the_change_column_uses_published_values_only(client, make_user, periods):
    login(client, make_user, "Partner")
    response = client.get(periods[2].url)
    breakdowns = {b.key: b for b in response.context["breakdowns"]}
    for line in breakdowns["leeftijd"].lines:
        if line.text in ("<5", "afgeschermd") or line.previous in ("<5", "afgeschermd"):
            assert line.change is None
    signals = response.context["signals"]
    assert (signals.text, signals.previous, signals.change) == ("84", "83", "+1")


def test_the_csv_export_holds_exactly_what_the_page_shows(client, periods):
    page = client.get(periods[1].url)
    export = client.get(periods[1].url + "cijfers/")
    assert export["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(export.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [
        "periode",
        "Zorg- en Veiligheidshuis",
        "onderdeel",
        "categorie",
        "aantal",
        "vorige periode",
        "verschil",
    ]
    by_key = {(r[1], r[2], r[3]): r[4] for r in rows[1:]}
    assert by_key[("hele regio", "signalen", "")] == page.context["signals"].text
    for line in {b.key: b for b in page.context["breakdowns"]}["leeftijd"].lines:
        assert by_key[("hele regio", "leeftijd", line.label)] == line.text
    assert by_key[("Zaanstreek-Waterland", "casussen", "")] == "<5"


def test_a_grouping_that_looks_like_a_formula_is_exported_as_text(
    client, make_period, make_page, enter
):
    period = make_period()
    enter(period, "kennemerland", signals=9, cases=9, grouping={"=HYPERLINK(1)": 6})
    page = make_page(period, public=True)
    rows = client.get(page.url + "cijfers/").content.decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in rows and ";=HYPERLINK" not in rows


def test_local_pictures(client, periods):

    LocalPicture.objects.create(
        period=periods[1].period,
        municipality=Municipality.objects.get(name="Alkmaar"),
        delivered_on="2025-04-15",
        summary="Online radicalisering onder jongeren.",
        body="<p>Het lokale beeld.</p>",
    )
    region = client.get(periods[1].url).content.decode()
    assert "Lokaal beeld Alkmaar" in region
    picture = client.get(periods[1].url + "gemeente/alkmaar/")
    assert picture.status_code == 200
    content = picture.content.decode()
    assert "Het lokale beeld." in content and "Casussen in Alkmaar deze periode" in content
    assert picture.context["cases"].text == "7"
    assert client.get(periods[1].url + "gemeente/hoorn/").status_code == 404
    assert client.get(periods[1].url + "gemeente/bestaat-niet/").status_code == 404
    assert client.get(periods[1].url + "bestaat-niet/").status_code == 404


def test_restricted_periods_stay_out_of_search(client, periods):
    content = client.get("/zoeken/", {"q": "Regionaal beeld"}).content.decode()
    assert "2e kwartaal 2025" not in content


def count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_query_counts_do_not_grow_with_the_number_of_periods(
    client, make_user, make_period, make_page, enter
):
    login(client, make_user, "Partner")

    def add(numbers):
        for year, number in numbers:
            period = make_period(year, number)
            enter(period, "kennemerland", signals=20, cases=9, age={"under_18": 3})
            make_page(period, public=number % 2 == 0)

    add([(2024, 1), (2024, 2), (2024, 3)])
    latest = RegionalPicturePage.objects.order_by("-period__starts_on").first()
    urls = ["/regionaal-beeld/", latest.url, latest.url + "kennemerland/", latest.url + "cijfers/"]
    small = [count_queries(client, url) for url in urls]
    add([(2022, q) for q in (1, 2, 3, 4)] + [(2023, q) for q in (1, 2, 3, 4)])
    large = [count_queries(client, url) for url in urls]
    assert small == large, (small, large)
    assert max(large) <= 21, large  # most of them Wagtail's own (session, user, privacy)
