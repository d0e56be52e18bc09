"""Two-factor authentication for staff (TOTP on django-otp, recovery codes)."""

import re

import pytest
from django.contrib.auth.models import Group
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import verified_login
from website import roles
from website.accounts import twofactor
from website.settings import base

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-en-sterk-wachtwoord-1"


def code_for(device, steps_ahead=0):
    """The code the phone shows now (or ``steps_ahead`` periods later)."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0 - steps_ahead * device.step, digits=device.digits):06d}"


def log_in(client, user):
    response = client.post(
        "/admin/login/", {"username": user.username, "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302, response.content.decode()[:500]
    return response


def enrol(client, user):
    client.get("/admin/tweestapsverificatie/instellen/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/admin/tweestapsverificatie/instellen/", {"password": PASSWORD, "code": code_for(device)}
    )
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return TOTPDevice.objects.get(user=user, confirmed=True), codes


@pytest.mark.parametrize("role", [roles.BEHEERDER, roles.COORDINATOR])
def test_required_roles_must_set_it_up_before_any_admin_page(
    client, role_user, two_factor_enforced, role
):
    user = role_user(role)
    log_in(client, user)
    for path in ("/admin/", "/admin/trainingen/sessies/", "/admin/users/"):
        response = client.get(path)
        assert response.status_code == 302
        assert response["Location"].startswith("/admin/tweestapsverificatie/instellen/?next=")
    page = client.get("/admin/tweestapsverificatie/instellen/").content.decode()
    assert "<svg" in page and "QR-code" in page  # drawn inline: no request to anyone else
    assert "http" not in re.search(r"<svg.*?</svg>", page, re.S).group(0).replace(
        "http://www.w3.org", ""
    )


@pytest.mark.parametrize("role", [roles.COMMUNICATIE, roles.TRAINER, roles.ANALIST])
def test_other_staff_may_use_it_but_need_not(client, role_user, two_factor_enforced, role):
    user = role_user(role)
    log_in(client, user)
    assert client.get("/admin/").status_code == 200
    html = client.get("/admin/account/").content.decode()
    assert "/admin/tweestapsverificatie/" in html  # offered in the account area


def test_enrol_then_every_login_asks_for_a_code(client, role_user, two_factor_enforced):
    user = role_user(roles.COORDINATOR)
    log_in(client, user)
    device, codes = enrol(client, user)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/admin/").status_code == 200  # verified by the enrolment itself

    client.post("/admin/logout/")
    log_in(client, user)
    response = client.get("/admin/trainingen/sessies/")
    assert (
        response["Location"]
        == "/admin/tweestapsverificatie/code/?next=%2Fadmin%2Ftrainingen%2Fsessies%2F"
    )
    wrong = client.post("/admin/tweestapsverificatie/code/", {"code": "000000"})
    assert "Deze code klopt niet" in wrong.content.decode()
    assert client.get("/admin/").status_code == 302
    # the code of the next period (the enrolment used the current one; a code works once)
    device.refresh_from_db()
    device.throttle_reset()
    response = client.post(
        "/admin/tweestapsverificatie/code/",
        {"code": code_for(device, steps_ahead=1), "next": "/admin/trainingen/sessies/"},
    )
    assert response["Location"] == "/admin/trainingen/sessies/"
    assert client.get("/admin/trainingen/sessies/").status_code == 200


def test_a_recovery_code_works_once(client, role_user, two_factor_enforced):
    user = role_user(roles.BEHEERDER)
    log_in(client, user)
    _device, codes = enrol(client, user)
    for attempt in range(2):
        client.post("/admin/logout/")
        log_in(client, user)
        response = client.post("/admin/tweestapsverificatie/code/", {"code": codes[0].upper()})
        if attempt == 0:
            assert response.status_code == 302 and response["Location"] == "/admin/"
            assert client.get("/admin/").status_code == 200
        else:
            assert response.status_code == 200  # used up
    assert StaticToken.objects.filter(device__user=user).count() == 9


def test_wrong_codes_are_throttled(role_user):
    user = role_user(roles.COORDINATOR)
    device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=True)
    wrong = "000000" if code_for(device) != "000000" else "111111"
    assert twofactor.verify(user=user, code=wrong) is None
    # even the right code waits until the back-off has passed (django-otp doubles it)
    assert twofactor.verify(user=user, code=code_for(device)) is None
    device.refresh_from_db()
    assert device.throttling_failure_count == 1


def test_enrolment_needs_the_password_and_a_right_code(client, role_user, two_factor_enforced):
    user = role_user(roles.COORDINATOR)
    log_in(client, user)
    client.get("/admin/tweestapsverificatie/instellen/")
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(
        "/admin/tweestapsverificatie/instellen/", {"password": "fout", "code": code_for(device)}
    )
    assert "Dit wachtwoord klopt niet" in response.content.decode()
    response = client.post(
        "/admin/tweestapsverificatie/instellen/", {"password": PASSWORD, "code": "12345"}
    )
    assert "Deze code klopt niet" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def test_required_roles_cannot_switch_it_off_others_can(client, role_user, two_factor_enforced):
    coordinator = role_user(roles.COORDINATOR)
    verified_login(client, coordinator)
    client.post("/admin/tweestapsverificatie/uitzetten/", {"password": PASSWORD})
    assert twofactor.is_enrolled(coordinator)

    analist = role_user(roles.ANALIST)
    verified_login(client, analist)
    client.post("/admin/tweestapsverificatie/uitzetten/", {"password": PASSWORD})
    assert not twofactor.is_enrolled(analist)


def test_beheerder_resets_a_colleague_who_lost_phone_and_codes(
    client, role_user, two_factor_enforced
):
    colleague = role_user(roles.COORDINATOR)
    TOTPDevice.objects.create(user=colleague, name="authenticator", confirmed=True)
    twofactor.new_recovery_codes(user=colleague)
    verified_login(client, role_user(roles.BEHEERDER))
    overview = client.get("/admin/tweestapsverificatie/medewerkers/").content.decode()
    assert "coordinator" in overview
    response = client.post(f"/admin/tweestapsverificatie/medewerkers/{colleague.pk}/herstellen/")
    assert response.status_code == 302
    assert not twofactor.is_enrolled(colleague)
    assert twofactor.recovery_codes_left(colleague) == 0
    # a coordinator cannot reset anyone
    verified_login(client, colleague)
    client.get("/admin/")
    other = role_user(roles.ANALIST)
    TOTPDevice.objects.create(user=other, name="authenticator", confirmed=True)
    response = client.post(f"/admin/tweestapsverificatie/medewerkers/{other.pk}/herstellen/")
    assert twofactor.is_enrolled(other)


def test_superusers_are_required_in_production_settings(
    client, django_user_model, two_factor_enforced
):
    admin = django_user_model.objects.create_superuser("root", "root@example.nl", PASSWORD)
    log_in(client, admin)
    assert client.get("/admin/")["Location"].startswith("/admin/tweestapsverificatie/instellen/")


def test_group_names_in_settings_are_the_real_groups():
    assert set(base.TWO_FACTOR_REQUIRED_GROUPS) <= set(Group.objects.values_list("name", flat=True))
    assert base.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS is True


def test_codes_match_the_authenticator_apps(role_user):
    """The QR code carries a standard otpauth URI: the key an app derives codes from."""
    user = role_user(roles.COORDINATOR)
    device = twofactor.start_enrolment(user=user)
    uri = device.config_url
    assert uri.startswith("otpauth://totp/Samen%20Veilig%20CTER%3Acoordinator?")
    assert "issuer=Samen%20Veilig%20CTER" in uri
    secret = twofactor.secret_text(device).replace(" ", "")
    assert f"secret={secret}" in uri
