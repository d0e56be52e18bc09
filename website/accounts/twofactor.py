"""Two-factor authentication for staff: an authenticator app (TOTP) plus single-use recovery
codes for a lost phone, on django-otp.

Required for the groups in ``TWO_FACTOR_REQUIRED_GROUPS`` (and superusers unless
``TWO_FACTOR_REQUIRED_FOR_SUPERUSERS`` is off), optional for everyone else. Whoever has set
it up must enter a code after every login before any other admin page opens
(``website.accounts.middleware``). django-otp throttles wrong codes per device (each failure
doubles the wait) and refuses a code that was already used.
"""

from __future__ import annotations

import base64
import re

import segno
from django.conf import settings
from django.db import transaction
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

RECOVERY_CODE_COUNT = 10
APP_DEVICE_NAME = "authenticator"
RECOVERY_DEVICE_NAME = "recovery"
_SPACES = re.compile(r"[\s-]+")


class TwoFactorError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def required_for(user) -> bool:
    if not user.is_authenticated:
        return False
    if user.is_superuser and settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS:
        return True
    groups = list(getattr(settings, "TWO_FACTOR_REQUIRED_GROUPS", []))
    return bool(groups) and user.groups.filter(name__in=groups).exists()


def app_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def is_enrolled(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def start_enrolment(*, user) -> TOTPDevice:
    """A new secret for the authenticator app, not active until a code from it is
    confirmed. Opening the page again keeps the same secret (the QR code already scanned
    stays valid)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=APP_DEVICE_NAME, confirmed=False)
    return device


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into the app by hand."""
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> SafeString:
    """The enrolment QR code as inline SVG: drawn here, no request to anyone else."""
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title=str(_("QR code for your authenticator app"))
    )
    # segno escapes the title; the URL is only encoded in the drawing.
    return mark_safe(svg)


def _clean(code: str) -> str:
    return _SPACES.sub("", code or "").lower()


def confirm_enrolment(*, user, code: str) -> tuple[TOTPDevice, list[str]]:
    """Activate the pending secret if ``code`` comes from it; returns the device and a new
    set of recovery codes (shown once)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        raise TwoFactorError(_("Start again: open the set-up page to get a new QR code."))
    if not device.verify_token(_clean(code)):
        raise TwoFactorError(
            _("This code is not right. Check the time on your phone and enter the newest code.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = new_recovery_codes(user=user)
    return device, codes


def new_recovery_codes(*, user) -> list[str]:
    """Replace the recovery codes: each works once, instead of a code from the app."""
    with transaction.atomic():
        device, _created = StaticDevice.objects.get_or_create(
            user=user, name=RECOVERY_DEVICE_NAME, defaults={"confirmed": True}
        )
        device.token_set.all().delete()
        codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def verify(*, user, code: str):
    """The device that accepts ``code`` (a code from the app, or an unused recovery code,
    which is then used up), or None. Wrong codes count towards django-otp's throttling."""
    code = _clean(code)
    if not code or len(code) > 16:
        return None
    with transaction.atomic():
        if len(code) == 6 and code.isdigit():
            device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True)
        else:
            device = StaticDevice.objects.select_for_update().filter(user=user, confirmed=True)
        device = device.first()
        if device is not None and device.verify_token(code):
            return device
    return None


def remove(*, user) -> None:
    """Switch two-factor authentication off for this account (every device and code)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
