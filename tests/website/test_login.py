"""Logging in: throttling against guessing (django-axes), the public login for partners."""

import logging

import pytest
from axes.models import AccessAttempt, AccessLog

from website import roles

pytestmark = pytest.mark.django_db

PASSWORD = "Een-lang-en-sterk-wachtwoord-1"
LOGINS = ["/admin/login/", "/inloggen/"]


def attempt(client, url, username, password, address="10.0.0.1"):
    return client.post(url, {"username": username, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize("url", LOGINS)
def test_twenty_wrong_passwords_then_the_right_one_is_refused(client, role_user, url):
    user = role_user(roles.COMMUNICATIE)
    for n in range(20):
        attempt(client, url, user.username, f"geraden-{n}")
    response = attempt(client, url, user.username, PASSWORD)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Te veel pogingen" in html and "15 minuten geblokkeerd" in html
    assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_stranger_elsewhere_cannot_lock_a_colleague_out(client, role_user):
    user = role_user(roles.COMMUNICATIE)
    for n in range(20):
        attempt(client, "/admin/login/", user.username, f"geraden-{n}", address="203.0.113.66")
    response = attempt(client, "/admin/login/", user.username, PASSWORD, address="10.0.0.1")
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_one_address_trying_many_usernames_is_capped_too(client, role_user, settings):
    """Spraying: a few guesses at each of many usernames stays under every per-username
    limit, so the address is also capped across usernames (LOGIN_ADDRESS_FAILURE_LIMIT)."""
    settings.LOGIN_ADDRESS_FAILURE_LIMIT = 12
    user = role_user(roles.COMMUNICATIE)
    for n in range(12):  # 3 guesses at each of 4 made-up names: each name under its 5
        attempt(client, "/admin/login/", f"naam-{n % 4}", f"geraden-{n}", address="203.0.113.9")
    refused = attempt(client, "/admin/login/", user.username, PASSWORD, address="203.0.113.9")
    assert refused.status_code == 429
    assert "Te veel pogingen" in refused.content.decode()
    # the real user elsewhere is not hindered
    assert attempt(client, "/admin/login/", user.username, PASSWORD).status_code == 302


def test_an_office_of_colleagues_who_mistype_is_not_capped(client, role_user):
    """The address cap is well above what one office's staff mistype in 15 minutes."""
    users = [role_user(roles.COMMUNICATIE, f"collega-{n}") for n in range(5)]
    for user in users:
        for n in range(2):
            attempt(client, "/admin/login/", user.username, f"tikfout-{n}")
    assert attempt(client, "/admin/login/", users[0].username, PASSWORD).status_code == 302


def test_failures_are_counted_in_the_database_shared_by_all_app_servers(client, role_user):
    user = role_user(roles.COMMUNICATIE)
    for n in range(3):
        attempt(client, "/admin/login/", user.username, f"geraden-{n}")
    assert AccessAttempt.objects.get().failures_since_start == 3
    # a success clears the count, and no row per successful login is kept
    assert attempt(client, "/admin/login/", user.username, PASSWORD).status_code == 302
    assert not AccessAttempt.objects.exists()
    assert not AccessLog.objects.exists()


def test_four_mistakes_between_successes_never_lock(client, role_user):
    user = role_user(roles.COMMUNICATIE)
    for _round in range(3):
        for n in range(4):
            attempt(client, "/admin/login/", user.username, f"geraden-{n}")
        assert attempt(client, "/admin/login/", user.username, PASSWORD).status_code == 302
        client.post("/admin/logout/")


def test_lockouts_leave_no_username_or_address_in_the_log(client, role_user, caplog):
    user = role_user(roles.COMMUNICATIE)
    with caplog.at_level(logging.INFO):
        for n in range(7):
            attempt(client, "/admin/login/", user.username, f"geraden-{n}", address="198.51.100.7")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "Locking out" in text  # the event is logged ...
    assert user.username not in text and "198.51.100.7" not in text  # ... without who


def test_a_partner_logs_in_for_the_partner_page_and_out_again(client, site_home, role_user):
    partner = role_user(roles.PARTNER, "stichting-anders")
    response = client.get("/partners/")
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/partners/"
    page = client.get(response["Location"])
    html = page.content.decode()
    assert '<html lang="nl"' in html and "Inloggen" in html
    assert page["Cache-Control"].startswith(("private", "no-cache", "max-age=0"))
    wrong = client.post(
        "/inloggen/", {"username": partner.username, "password": "fout", "next": "/partners/"}
    )
    assert (
        "Deze combinatie van gebruikersnaam en wachtwoord is niet bekend" in wrong.content.decode()
    )
    response = client.post(
        "/inloggen/", {"username": partner.username, "password": PASSWORD, "next": "/partners/"}
    )
    assert response["Location"] == "/partners/"
    assert "Voor partnerorganisaties" in client.get("/partners/").content.decode()
    # partners have no admin
    assert client.get("/admin/")["Location"].startswith("/admin/login/")
    # a link cannot log anyone out; the button (POST) does
    assert client.get("/uitloggen/").status_code == 405
    assert client.post("/uitloggen/")["Location"] == "/"
    assert client.get("/partners/").status_code == 302


def test_staff_not_in_the_partner_group_do_not_see_partner_pages(client, site_home, role_user):
    client.force_login(role_user(roles.COMMUNICATIE))
    response = client.get("/partners/")
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    html = client.get(response["Location"]).content.decode()
    assert "voor een andere groep gebruikers" in html


def test_the_login_sends_nobody_to_another_site(client, role_user):
    partner = role_user(roles.PARTNER)
    response = client.post(
        "/inloggen/",
        {"username": partner.username, "password": PASSWORD, "next": "https://evil.example/"},
    )
    assert response["Location"] == "/"
