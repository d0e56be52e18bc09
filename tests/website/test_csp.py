"""Which Content-Security-Policy each part of the site sends."""

import pytest

from website.middleware import ADMIN_CSP, ADMIN_STRICT_CSP, PUBLIC_CSP

pytestmark = pytest.mark.django_db


def directives(policy: str) -> dict[str, str]:
    return {part.split()[0]: part for part in policy.split("; ")}


def test_no_policy_allows_another_origins_scripts_or_eval():
    for policy in (PUBLIC_CSP, ADMIN_CSP, ADMIN_STRICT_CSP):
        scripts = directives(policy)["script-src"]
        assert scripts.startswith("script-src 'self'")
        assert "unsafe-eval" not in policy and "*" not in policy and "http:" not in policy
        assert directives(policy)["object-src"] == "object-src 'none'"
    assert "unsafe-inline" not in PUBLIC_CSP + ADMIN_STRICT_CSP


def test_wagtails_screens_get_the_admin_policy_ours_the_strict_one(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", "r@example.nl", "x"))
    assert client.get("/admin/")["Content-Security-Policy"] == ADMIN_CSP
    assert client.get("/admin/login/")["Content-Security-Policy"] == ADMIN_CSP
    for path in (
        "/admin/trainingen/sessies/",
        "/admin/trainingen/evaluaties/",
        "/admin/podcasts/downloads/",
        "/admin/tweestapsverificatie/",
    ):
        assert client.get(path)["Content-Security-Policy"] == ADMIN_STRICT_CSP, path


def test_the_public_site_keeps_its_own_policy(client, site_home):
    # plus frame-ancestors, which follows X-Frame-Options (DENY: 'none')
    framed = f"{PUBLIC_CSP}; frame-ancestors 'none'"
    assert client.get("/")["Content-Security-Policy"] == framed
    assert client.get("/inloggen/")["Content-Security-Policy"] == framed
