"""Two-factor authentication in a real browser: enrol, log out, log in with a code from the
authenticator app (computed here as the app would)."""

import base64
import re

import pytest
from django_otp.oath import totp

from tests.conftest import assert_accessible
from website import roles

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Een-lang-en-sterk-wachtwoord-1"


def app_code(secret: str, steps_ahead: int = 0) -> str:
    """What the phone shows for this key now (or ``steps_ahead`` periods later)."""
    key = base64.b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    return f"{totp(key, step=30, t0=-30 * steps_ahead, digits=6):06d}"


def log_in(page, username):
    page.goto("/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_coordinator_enrols_logs_out_and_logs_in_with_a_code(page, role_user, two_factor_enforced):
    role_user(roles.COORDINATOR, "j.devries")
    log_in(page, "j.devries")
    # the role requires it: set up before anything else
    assert "/admin/tweestapsverificatie/instellen/" in page.url
    assert page.locator(".cter-qr svg").count() == 1
    assert_accessible(page)
    secret = page.locator("[data-totp-secret]").inner_text()
    page.get_by_label("Code").fill(app_code(secret))
    page.get_by_label("Uw wachtwoord").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Aanzetten").click()
    codes = page.locator("[data-recovery-codes] code").all_inner_texts()
    assert len(codes) == 10 and all(re.fullmatch(r"[a-z2-7]{8}", c) for c in codes)
    assert_accessible(page, context_selector="main")
    page.get_by_role("link", name="Ik heb ze bewaard, verder").click()
    page.wait_for_url("**/admin/")

    # log out through the account menu
    page.locator("[aria-label='Account']").or_(
        page.get_by_role("button", name="j.devries")
    ).first.click()
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url("**/admin/login/**")

    log_in(page, "j.devries")
    assert "/admin/tweestapsverificatie/code/" in page.url
    page.get_by_label("Code").fill("000000")
    with page.expect_navigation():
        page.get_by_role("button", name="Verder").click()
    assert (
        page.locator(".messages").get_by_text("Deze code klopt niet of is al gebruikt").is_visible()
    )
    page.wait_for_timeout(1100)  # django-otp makes a wrong code wait a second
    # the code of the next period: the one of this period was used to set up
    page.get_by_label("Code").fill(app_code(secret, steps_ahead=1))
    page.get_by_role("button", name="Verder").click()
    page.wait_for_url("**/admin/")
    page.goto("/admin/trainingen/sessies/")
    assert page.get_by_role("heading", name="Sessies").is_visible()
