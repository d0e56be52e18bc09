"""Requests for a training in company or a pressure cooker."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _

from learning.models import RequestKind, TrainingRequest
from website.mail import store_and_send
from website.models import SiteSettings


def submit_request(*, kind: RequestKind, data: dict, now: dt.datetime) -> TrainingRequest:
    with transaction.atomic():
        request = TrainingRequest.objects.create(kind=kind, **data)
        to = SiteSettings.load().coordinator_email
        if to:
            context = {"request": request}
            store_and_send(
                to=to,
                subject=str(_("New request: %(kind)s") % {"kind": request.get_kind_display()}),
                text=render_to_string("learning/email/request_notice.txt", context),
                html="",
                ics="",
            )
    return request
