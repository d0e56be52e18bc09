"""Signing in, in a real browser as real people (no superusers): the public sign-in page
and its error state, the locked-out page after too many wrong passwords, and the two-factor
screens (enter your code, manage, the Beheerder's overview). Axe-core finds nothing on any
of them, and the sign-in and code forms do their job without JavaScript."""

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import assert_accessible, browser_sign_in
from website import roles
from website.accounts import twofactor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Een-lang-en-sterk-wachtwoord-1"


def enrolled(user) -> TOTPDevice:
    """The user has set up an authenticator app (and has recovery codes)."""
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    twofactor.new_recovery_codes(user=user)
    return device


def app_code(device: TOTPDevice) -> str:
    """What the authenticator app shows now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


def admin_password(tab, username, password=PASSWORD):
    tab.goto("/admin/login/")
    tab.fill("#id_username", username)
    tab.fill("#id_password", password)
    with tab.expect_navigation():
        tab.keyboard.press("Enter")


def test_sign_in_page_its_error_state_and_signed_in_state(page, role_user):
    role_user(roles.PARTNER, "partner")
    page.goto("/inloggen/")
    assert page.get_by_role("heading", name="Inloggen", level=1).is_visible()
    assert_accessible(page)

    page.get_by_label("Gebruikersnaam").fill("partner")
    page.get_by_label("Wachtwoord").fill("verkeerd")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Inloggen").click()
    assert page.title().startswith("Fout")
    assert page.get_by_text("Deze combinatie van gebruikersnaam en wachtwoord").first.is_visible()
    assert page.get_by_label("Gebruikersnaam").input_value() == "partner"
    assert_accessible(page)

    page.get_by_label("Wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Inloggen").click()
    assert not page.url.endswith("/inloggen/")
    page.goto("/inloggen/")
    assert page.get_by_text("U bent ingelogd als partner").is_visible()
    assert_accessible(page)


def test_locked_out_page(page, role_user):
    role_user(roles.PARTNER, "partner")
    page.goto("/inloggen/")
    for n in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Gebruikersnaam").fill("partner")
        page.get_by_label("Wachtwoord").fill(f"geraden-{n}")
        with page.expect_navigation() as navigation:
            page.locator("main").get_by_role("button", name="Inloggen").click()
    assert navigation.value.status == 429
    assert page.get_by_role("heading", name="Te veel pogingen", level=1).is_visible()
    assert page.get_by_text("15 minuten geblokkeerd").is_visible()
    assert_accessible(page)


def test_coordinator_enters_a_code_then_manages_two_factor(page, role_user, two_factor_enforced):
    user = role_user(roles.COORDINATOR, "coordinator")
    device = enrolled(user)
    admin_password(page, "coordinator")
    assert "/admin/tweestapsverificatie/code/" in page.url
    assert page.get_by_role("heading", name="Voer uw code in", level=1).is_visible()
    assert_accessible(page)

    page.get_by_label("Code").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder").click()
    assert page.locator(".messages").get_by_text("Deze code klopt niet").is_visible()
    assert page.get_by_label("Code").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.wait_for_timeout(1100)  # django-otp makes a wrong code wait a second
    page.get_by_label("Code").fill(app_code(device))
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/admin/")

    page.goto("/admin/tweestapsverificatie/")
    assert page.get_by_role("heading", name="Tweestapsverificatie", level=1).is_visible()
    assert page.get_by_text("Nog 10 herstelcodes over").is_visible()
    assert_accessible(page)

    with page.expect_navigation():
        page.get_by_role("button", name="Nieuwe herstelcodes maken").click()  # no password
    page.wait_for_url("**/admin/tweestapsverificatie/")
    assert page.get_by_text("Voor nieuwe herstelcodes is uw wachtwoord nodig").is_visible()
    assert_accessible(page)

    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Nieuwe herstelcodes maken").click()
    assert page.locator("[data-recovery-codes] code").count() == 10
    assert_accessible(page)


def test_two_factor_screens_of_a_role_that_may_do_without(page, live_server, role_user):
    """Communicatie: off at first (a link to set it up), then on with a switch-off form."""
    user = role_user(roles.COMMUNICATIE, "communicatie")
    browser_sign_in(page, live_server, user)
    page.goto("/admin/tweestapsverificatie/")
    assert page.get_by_role("link", name="Tweestapsverificatie instellen").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Tweestapsverificatie instellen").click()
    page.wait_for_url("**/admin/tweestapsverificatie/instellen/")
    with page.expect_navigation():
        page.get_by_role("button", name="Aanzetten").click()  # nothing filled in
    for field in ("Code", "Uw wachtwoord"):
        assert page.get_by_label(field).get_attribute("aria-invalid") == "true"
    # the login layout says the errors above the form: each names its field
    messages = page.locator(".messages")
    assert messages.get_by_text("Code: Dit is een verplicht veld.").is_visible()
    assert messages.get_by_text("Uw wachtwoord: Dit is een verplicht veld.").is_visible()
    assert_accessible(page)

    enrolled(user)
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    page.context.clear_cookies()
    browser_sign_in(page, live_server, user, two_factor=True)
    page.goto("/admin/tweestapsverificatie/")
    assert page.get_by_role("button", name="Tweestapsverificatie uitzetten").is_visible()
    assert_accessible(page)


def test_the_beheerders_overview_of_staff(page, live_server, role_user, two_factor_enforced):
    beheerder = role_user(roles.BEHEERDER, "beheerder")
    enrolled(beheerder)
    enrolled(role_user(roles.COORDINATOR, "coordinator"))
    role_user(roles.COMMUNICATIE, "communicatie")
    browser_sign_in(page, live_server, beheerder, two_factor=True)
    page.goto("/admin/tweestapsverificatie/medewerkers/")
    assert page.get_by_role("cell", name="communicatie").is_visible()
    assert_accessible(page)


def test_sign_in_and_code_forms_work_without_javascript(
    _playwright_browser, live_server, role_user, two_factor_enforced
):
    role_user(roles.PARTNER, "partner")
    device = enrolled(role_user(roles.COORDINATOR, "coordinator"))
    context = _playwright_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    tab = context.new_page()
    tab.set_default_timeout(10_000)

    tab.goto("/inloggen/")
    tab.get_by_label("Gebruikersnaam").fill("partner")
    tab.get_by_label("Wachtwoord").fill("verkeerd")
    with tab.expect_navigation():
        tab.locator("main").get_by_role("button", name="Inloggen").click()
    assert tab.get_by_text("Deze combinatie van gebruikersnaam en wachtwoord").first.is_visible()
    tab.get_by_label("Wachtwoord").fill(PASSWORD)
    with tab.expect_navigation():
        tab.locator("main").get_by_role("button", name="Inloggen").click()
    tab.goto("/inloggen/")
    assert tab.get_by_text("U bent ingelogd als partner").is_visible()
    context.clear_cookies()

    admin_password(tab, "coordinator")
    assert "/admin/tweestapsverificatie/code/" in tab.url
    tab.get_by_label("Code").fill(app_code(device))
    with tab.expect_navigation():
        tab.get_by_role("button", name="Verder").click()
    assert tab.url.endswith("/admin/")
    context.close()
