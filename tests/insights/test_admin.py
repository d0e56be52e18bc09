"""The admin screens, with real non-superusers: analysts enter figures (Dutch messages
next to the field, input kept), coordinators read, partners and other staff are refused;
the permissions can be granted in Wagtail's group editor."""

import pytest
from django.contrib.auth.models import Group, Permission, User

from insights.models import HouseFigures, LocalPicture, Period
from website.models import Municipality

pytestmark = pytest.mark.django_db

INDEX = "/admin/regionaal-beeld/"


def refused(response):
    """Wagtail answers a missing permission with a redirect to the dashboard (or to the
    login page for someone without admin access)."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"].startswith("/admin/")
    )


@pytest.fixture
def analyst(client, make_user):
    client.force_login(make_user("analist", "Analist"))
    return client


@pytest.fixture
def coordinator(client, make_user):
    client.force_login(make_user("coordinator", "Coördinator"))
    return client


def figures_data(**overrides):
    data = {"signals": "30", "cases": "12", "grouping_rows": "3"}
    data.update(overrides)
    return data


def test_analyst_creates_a_period_and_enters_figures(analyst, houses):
    response = analyst.post(
        f"{INDEX}periode/nieuw/", {"kind": "quarter", "year": "2025", "number": "2"}
    )
    assert response.status_code == 302
    period = Period.objects.get()
    assert period.label == "2e kwartaal 2025"
    url = f"{INDEX}{period.pk}/kennemerland/"
    page = analyst.get(url).content.decode()
    assert "Casussen naar gemeente" in page and "Haarlemmermeer" in page
    response = analyst.post(
        url,
        figures_data(
            age_under_18="4",
            ideology_jihadist="5",
            grouping_label_0="Soevereinenbeweging",
            grouping_cases_0="5",
        ),
    )
    assert response.status_code == 302
    figures = HouseFigures.objects.get()
    assert (figures.signals, figures.cases, figures.age_under_18) == (30, 12, 4)
    assert [(g.label, g.cases) for g in figures.groupings.all()] == [("Soevereinenbeweging", 5)]
    # Editing shows what was entered.
    page = analyst.get(url).content.decode()
    assert 'value="Soevereinenbeweging"' in page and 'name="signals" value="30"' in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("signals", "-3", "Een aantal kan niet negatief zijn."),
        ("signals", "2,5", "Vul een heel getal in, zonder punt of komma."),
        ("cases", "", "Dit is een verplicht veld."),
        ("age_under_18", "1e3", "Vul een heel getal in, zonder punt of komma."),
        ("signals", "100001", "100000"),
    ],
)
def test_bad_figures_get_a_dutch_message_next_to_the_field_and_input_is_kept(
    analyst, make_period, houses, field, value, message
):
    period = make_period()
    response = analyst.post(f"{INDEX}{period.pk}/kennemerland/", figures_data(**{field: value}))
    assert response.status_code == 200
    form = response.context["form"]
    assert len(form.errors[field]) == 1 and message in form.errors[field][0]
    assert f'name="{field}" value="{value}"' in response.content.decode() or value == ""
    assert not HouseFigures.objects.exists()


def test_a_breakdown_larger_than_the_cases_is_shown_at_its_fieldset(analyst, make_period, houses):
    period = make_period()
    response = analyst.post(
        f"{INDEX}{period.pk}/kennemerland/",
        figures_data(cases="5", age_under_18="4", age_18_23="3"),
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="age-errors"' in content
    assert "De leeftijdsgroepen tellen op tot 7, meer dan de 5 casussen." in content
    assert 'name="age_18_23" value="3"' in content
    assert not HouseFigures.objects.exists()


def test_a_grouping_row_needs_both_name_and_count(analyst, make_period, houses):
    period = make_period()
    response = analyst.post(
        f"{INDEX}{period.pk}/kennemerland/",
        figures_data(grouping_label_0="Groep A", grouping_cases_1="4"),
    )
    form = response.context["form"]
    assert form.errors["grouping_cases_0"] == ["Vul ook het aantal casussen in."]
    assert form.errors["grouping_label_1"] == ["Vul ook de naam van de groepering in."]


def test_one_entry_per_house_per_period_next_to_the_house(analyst, make_period, enter, houses):
    period = make_period()
    enter(period, "kennemerland")
    response = analyst.post(
        f"{INDEX}invoeren/", {"period": period.pk, "house": houses["kennemerland"].pk}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["house"] == [
        "De cijfers van Kennemerland voor 1e kwartaal 2025 zijn al ingevoerd; pas ze daar aan."
    ]
    response = analyst.post(
        f"{INDEX}invoeren/", {"period": period.pk, "house": houses["zaanstreek-waterland"].pk}
    )
    assert response["Location"] == f"{INDEX}{period.pk}/zaanstreek-waterland/"


def test_overlapping_period_message_next_to_the_field(analyst, make_period):
    make_period(2025, 1)
    response = analyst.post(
        f"{INDEX}periode/nieuw/", {"kind": "half_year", "year": "2025", "number": "1"}
    )
    assert (
        response.context["form"]
        .errors["kind"][0]
        .startswith("Deze periode overlapt met 1e kwartaal 2025.")
    )
    assert 'value="2025"' in response.content.decode()


def test_coordinator_reads_but_does_not_edit(coordinator, make_period, enter, houses):
    period = make_period()
    enter(period, "kennemerland", signals=31, cases=12)
    assert coordinator.get(INDEX).status_code == 200
    detail = coordinator.get(f"{INDEX}{period.pk}/")
    assert detail.status_code == 200 and "31" in detail.content.decode()
    assert f"{INDEX}{period.pk}/kennemerland/" not in detail.content.decode()  # no edit link
    for url in (
        f"{INDEX}{period.pk}/kennemerland/",
        f"{INDEX}{period.pk}/zaanstreek-waterland/",
        f"{INDEX}periode/nieuw/",
        f"{INDEX}importeren/",
        f"{INDEX}invoeren/",
    ):
        assert refused(coordinator.get(url)), url
    figures = HouseFigures.objects.get()
    assert refused(coordinator.post(f"{INDEX}cijfers/{figures.pk}/verwijderen/"))
    assert refused(coordinator.post(f"{INDEX}{period.pk}/kennemerland/", figures_data(signals="1")))
    assert HouseFigures.objects.get().signals == 31


def test_partner_and_other_staff_are_refused(client, make_user, make_period):
    period = make_period()
    editor = make_user("redacteur", "Editors")
    for user in (make_user("partner", "Partner"), editor):
        client.force_login(user)
        for url in (INDEX, f"{INDEX}{period.pk}/", f"{INDEX}lokale-beelden/"):
            assert refused(client.get(url)), (user, url)


def test_analyst_deletes_figures(analyst, make_period, enter):
    period = make_period()
    figures = enter(period, "kennemerland")
    response = analyst.post(f"{INDEX}cijfers/{figures.pk}/verwijderen/")
    assert response["Location"] == f"{INDEX}{period.pk}/"
    assert not HouseFigures.objects.exists()


def test_menu_for_analyst_and_coordinator_only(client, make_user):
    for name, shown in (("Analist", True), ("Coördinator", True), ("Editors", False)):
        client.force_login(make_user(f"u-{name}", name))
        home = client.get("/admin/").content.decode()
        assert ("Regionaal beeld" in home) is shown, name


def test_permissions_appear_in_wagtails_group_editor(client, insight_groups):

    client.force_login(User.objects.create_superuser("beheer", "b@example.nl", "x"))
    group = Group.objects.get(name="Analist")
    page = client.get(f"/admin/groups/edit/{group.pk}/").content.decode()
    for codename in (
        "add_housefigures",
        "change_housefigures",
        "view_housefigures",
        "add_period",
        "change_localpicture",
    ):
        permission = Permission.objects.get(content_type__app_label="insights", codename=codename)
        assert f'value="{permission.pk}"' in page, codename
    assert "cijfers van een zorg- en veiligheidshuis" in page.lower()


def test_local_pictures_analyst_adds_coordinator_reads(client, make_user, make_period):

    period = make_period()
    client.force_login(make_user("analist", "Analist"))
    response = client.post(
        f"{INDEX}lokale-beelden/new/",
        {
            "period": period.pk,
            "municipality": Municipality.objects.get(name="Zaanstad").pk,
            "delivered_on": "2025-04-20",
            "summary": "Een stabiel beeld.",
            "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "Tekst", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}], "entityMap": {}}',
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert LocalPicture.objects.get().summary == "Een stabiel beeld."
    client.force_login(make_user("coordinator", "Coördinator"))
    assert client.get(f"{INDEX}lokale-beelden/").status_code == 200
    assert refused(client.get(f"{INDEX}lokale-beelden/new/"))


def test_a_period_page_cannot_be_copied_or_made_twice(client, make_period, make_page, index_page):
    client.force_login(User.objects.create_superuser("beheer", "b@example.nl", "x"))
    period = make_period()
    page = make_page(period)
    response = client.get(f"/admin/pages/{page.pk}/copy/")
    assert response["Location"] == f"/admin/pages/{index_page.pk}/"
    response = client.post(
        f"/admin/pages/add/insights/regionalpicturepage/{index_page.pk}/",
        {
            "title": "Nog een",
            "slug": "nog-een",
            "period": period.pk,
            "intro": "",
            "action-publish": "publish",
        },
    )
    assert response.status_code == 200
    assert "bestaat al" in str(response.context["form"].errors["period"])
