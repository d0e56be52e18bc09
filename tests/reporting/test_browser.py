"""The coordinator's journey in a real browser, signed in as a real non-superuser in the
Coördinator group: the dashboard on the admin home, the reach report in its three tables
and the year overview, each checked with axe-core; the overview prints on one page."""

import re

import pytest
from django.utils import timezone

from tests.conftest import COORDINATOR_PASSWORD, assert_accessible
from website.hooks import seed_demo_content

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?![a-zA-Z])", pdf))


@pytest.fixture
def demo(reference_data):
    seed_demo_content(scale=1, stdout=None)


def sign_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", COORDINATOR_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_dashboard_report_and_overview_are_accessible(page, demo, coordinator_user):
    sign_in(page, coordinator_user.username)
    panel = page.locator("#reporting-dashboard-content, [id^=reporting-dashboard]").first
    assert panel.is_visible()
    year = timezone.localdate().year
    assert page.get_by_text(f"Jaardoelen en agenda {year}").is_visible()
    assert page.get_by_role("img", name="Voortgang naar de jaardoelen").count() == 1
    assert_accessible(page)

    for query, heading in (
        ("", "Bereik per doelgroep"),
        ("?breakdown=municipality", "Bereik en dekking per gemeente"),
        ("?breakdown=product", "Producten van het communicatieplan per maand"),
    ):
        page.goto(f"/admin/bereik/{query}")
        assert page.locator("#report-table caption").inner_text().startswith(heading)
        assert page.get_by_text("gemeenten hebben een ondersteuningsaanbod gekregen").count()
        assert_accessible(page)

    page.goto("/admin/bereik/jaaroverzicht/")
    assert page.get_by_role("heading", name=f"Samen Veilig CTER: jaaroverzicht {year}").is_visible()
    assert_accessible(page)
    page.emulate_media(media="print")
    assert pdf_pages(page.pdf(format="A4", print_background=True)) == 1


def test_the_report_filters_work_in_the_browser(page, demo, coordinator_user):
    sign_in(page, coordinator_user.username)
    page.goto("/admin/bereik/?breakdown=municipality&region=")
    region = page.locator("#report-table tbody tr").filter(has_text="Hele regio")
    assert region.count() == 3
    kennemerland = page.evaluate(
        "() => [...document.querySelectorAll('#id_region option')]"
        ".find(o => o.textContent.trim() === 'Kennemerland').value"
    )
    page.goto(f"/admin/bereik/?breakdown=municipality&region={kennemerland}")
    assert page.locator("#report-table tbody tr").filter(has_text="Hele regio").count() == 1
    assert page.locator("#report-table").get_by_text("Haarlem", exact=True).count() == 1
    assert page.locator("#report-table").get_by_text("Alkmaar", exact=True).count() == 0
