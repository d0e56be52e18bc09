"""Logs never carry the secret tokens of personal links."""

import io
import logging

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture
def console():
    handler = logging.getLogger("django").handlers[0]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


def test_unknown_personal_link_is_logged_without_its_token(client, console):
    token = "Xq7Lm2Pz9Rt4Vb8Nc1Kd6Hs3Jf5Gw0Ya_-Ue2Io4Op"
    assert client.get(f"/trainingen/aanmelding/{token}/").status_code == 404
    assert client.get(f"/mijn-trainingen/inloggen/{token}/").status_code in (404, 410, 200)
    logging.getLogger("django.server").info('"GET %s HTTP/1.1" 200 0', f"/aanmelding/{token}/")
    output = console.getvalue()
    assert "/trainingen/aanmelding/[token]/" in output
    assert token not in output
