"""The coordinator's session screen of a network event in a real browser, as a real
coordinator (group Coördinator, two-factor done, no superuser): the workshop rounds with
places taken and capacity, each registration's workshop choices, and axe-core finds
nothing, also on the filtered list and with the add-by-hand form showing its errors."""

import pytest
from django.utils import timezone

from learning import services
from learning.factories import (
    EventIndexPageFactory,
    NetworkEventPageFactory,
    SessionFactory,
    WorkshopFactory,
)
from tests.conftest import assert_accessible, browser_sign_in
from website import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def theme_day(site_home, person_factory):
    """A theme day with two rounds of two workshops and five registrations with choices;
    one workshop of round 1 is full."""
    page = NetworkEventPageFactory(
        parent=EventIndexPageFactory(parent=site_home), title="Themadag mei"
    )
    session = SessionFactory(page=page, capacity=40)
    one = [
        WorkshopFactory(page=page, round=1, title="Online radicalisering", capacity=2),
        WorkshopFactory(page=page, round=1, title="Gesprekken in de wijk", capacity=10),
    ]
    two = [
        WorkshopFactory(page=page, round=2, title="Psychische kwetsbaarheid", capacity=10),
        WorkshopFactory(page=page, round=2, title="Samenwerken met de GGD", capacity=10),
    ]
    for n, (first, second) in enumerate([(0, 0), (0, 1), (1, 0), (1, 0), (1, 1)], start=1):
        services.register_for_event(
            session_id=session.pk,
            person=person_factory(n),
            workshops={1: one[first].pk, 2: two[second].pk},
            now=timezone.now(),
        )
    return session


def test_network_event_session_screen(page, live_server, role_user, two_factor_enforced, theme_day):
    coordinator = role_user(roles.COORDINATOR, "coordinator")
    browser_sign_in(page, live_server, coordinator, two_factor=True)
    page.goto(f"/admin/trainingen/sessies/{theme_day.pk}/")
    assert "/tweestapsverificatie/" not in page.url

    workshops = page.get_by_role("table", name="Bezette plaatsen per workshop")
    full = workshops.get_by_role("row", name="Online radicalisering")
    assert full.get_by_role("cell").all_inner_texts() == ["1", "", "2", "2"]
    assert workshops.get_by_role("row", name="Psychische kwetsbaarheid").get_by_role(
        "cell"
    ).all_inner_texts() == ["2", "", "3", "10"]
    assert page.get_by_text("Ronde 1: Online radicalisering").count() == 2
    assert page.get_by_text("Ronde 2: Samenwerken met de GGD").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Bevestigd (5)").click()
    page.wait_for_url("**?status=confirmed")
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Toevoegen").click()  # the add-by-hand form, empty
    assert page.get_by_text("Vul uw voornaam in.").is_visible()
    assert page.get_by_label("Voornaam").get_attribute("aria-invalid") == "true"
    assert_accessible(page)
