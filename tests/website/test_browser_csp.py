"""The Content-Security-Policy in a real browser: the public site and the admin work under
their policies (the ``page`` fixture fails on anything a policy blocks)."""

import datetime as dt

import pytest
from django.utils import timezone

from learning.models import Session, TrainingIndexPage, TrainingPage
from tests.conftest import watch_csp
from website.demo import upsert_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Een-lang-wachtwoord-12"


def test_the_browser_tests_see_what_the_policy_blocks(_playwright_browser, live_server, site_home):
    """The check the ``page`` fixture relies on can fail: an inline script is reported."""
    tab = _playwright_browser.new_context(base_url=live_server.url).new_page()
    blocked = watch_csp(tab)
    tab.goto("/")
    tab.evaluate(
        "document.body.appendChild(Object.assign(document.createElement('script'),"
        " {textContent: 'window.injected = true'}))"
    )
    tab.wait_for_timeout(200)
    assert tab.evaluate("window.injected === undefined")
    assert any("Content Security Policy" in text for text in blocked)
    tab.context.close()


def test_admin_screens_work_under_the_admin_policy(page, site_home, django_user_model):
    catalogue = upsert_child(
        site_home, TrainingIndexPage, "trainingen", title="Trainingen", intro="Alle trainingen"
    )
    training = upsert_child(
        catalogue,
        TrainingPage,
        "training",
        title="Training",
        intro="Uitleg",
        duration_label="3 uur",
    )
    session = Session.objects.create(
        page=training,
        date=timezone.localdate() + dt.timedelta(days=3),
        start_time=dt.time(9),
        end_time=dt.time(12),
    )
    django_user_model.objects.create_superuser("root", "root@example.nl", PASSWORD)
    page.goto("/admin/login/")
    page.fill("#id_username", "root")
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    for path in [
        "/admin/",
        f"/admin/pages/{training.pk}/edit/",  # InlinePanel, date and time pickers, Draftail
        "/admin/images/",
        "/admin/documents/",
        "/admin/users/",
        "/admin/reports/site-history/",
        "/admin/trainingen/sessies/",
        f"/admin/trainingen/sessies/{session.pk}/",
        "/admin/tweestapsverificatie/instellen/",
    ]:
        response = page.goto(path)
        assert response.status == 200, path
        page.wait_for_load_state("networkidle")
    # the editor's scripts ran: the sessions panel can add a session
    page.goto(f"/admin/pages/{training.pk}/edit/")
    before = page.locator("[id^='inline_child_sessions-']").count()
    page.locator("#id_sessions-ADD").click()
    assert page.locator("[id^='inline_child_sessions-']").count() > before
