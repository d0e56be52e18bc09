"""E-mail through a durable outbox, for every app.

- **Render** (``render``): a text and an HTML template with the same context, in the
  site's language (Dutch), whatever language the caller runs in.
- **Store** (``store_and_send``): the message is written to ``OutboxEmail`` inside the
  caller's transaction (a rollback takes the e-mail with it) and handed to the
  ``website.tasks.deliver_email`` task after the commit.
- **Deliver** (``deliver``): one message, with its HTML alternative, calendar attachment
  and extra headers (e.g. ``List-Unsubscribe``); when the mail server is down the row
  stays pending with back-off (2, 4, 8 ... minutes, at most 4 hours, given up after
  ``MAX_ATTEMPTS``). The task re-schedules itself where the backend can defer; the
  scheduler (``manage.py run_scheduled``) and ``manage.py send_outbox`` retry due rows.
  Once delivered a row keeps only its envelope: body, attachment and headers (which may
  hold personal links) are blanked. Apps hear of a delivery through the
  ``EMAIL_DELIVERED`` hook (``website.hooks``), with the row's ``tag``.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Mapping

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation

from website import hooks as cter
from website import tasks
from website.models import OutboxEmail, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
CALENDAR_FILENAME = "uitnodiging.ics"


def render(template: str, context: Mapping) -> tuple[str, str]:
    """``(text, html)`` of ``<template>.txt`` and ``<template>.html``, in Dutch."""
    with translation.override(settings.LANGUAGE_CODE):
        return (
            render_to_string(f"{template}.txt", context),
            render_to_string(f"{template}.html", context),
        )


def store_and_send(
    *,
    to: str,
    subject: str,
    text: str,
    html: str = "",
    ics: str = "",
    headers: Mapping[str, str] | None = None,
    tag: str = "",
) -> OutboxEmail:
    """Store the e-mail in the outbox now; deliver it after the caller's commit."""
    email = OutboxEmail.objects.create(
        to=to,
        subject=subject,
        text=text,
        html=html,
        ics=ics,
        headers=dict(headers or {}),
        tag=tag,
    )
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    task = tasks.deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by retry_due_emails (the scheduler, manage.py send_outbox)
        task = task.using(run_after=run_after)
    try:
        task.enqueue(email_id)
    except Exception:  # the outbox row stays pending; retry_due_emails picks it up
        log.exception("Could not enqueue e-mail %s", email_id)


def _calendar_mimetype(ics_text: str) -> str:
    """``text/calendar`` plus the calendar's METHOD (RFC 6047). No charset here: Django
    adds ``charset="utf-8"`` to text/* attachments itself (giving it twice doubled it)."""
    method = re.search(r"^METHOD:([A-Z-]+)\r?$", ics_text, re.MULTILINE)
    return f"text/calendar; method={method.group(1)}" if method else "text/calendar"


def build_message(email: OutboxEmail) -> EmailMultiAlternatives:
    """The message as it goes out: text, HTML alternative, calendar file, headers."""
    message = EmailMultiAlternatives(
        subject=email.subject, body=email.text, to=[email.to], headers=dict(email.headers or {})
    )
    if email.html:
        message.attach_alternative(email.html, "text/html")
    if email.ics:
        message.attach(CALENDAR_FILENAME, email.ics, _calendar_mimetype(email.ics))
    return message


def _tell_apps(email: OutboxEmail, now: dt.datetime) -> None:
    """The EMAIL_DELIVERED hooks, each in its own savepoint: a failing one is logged and
    never undoes the delivery (which would send the e-mail again)."""
    for fn in cter.email_delivered_hooks():
        try:
            with transaction.atomic():
                fn(tag=email.tag, now=now)
        except Exception:
            log.exception("E-mail delivered hook %s failed for e-mail %s", fn.__name__, email.pk)


def deliver(*, email_id: int, now: dt.datetime) -> bool:
    """Send one outbox e-mail; on failure schedule a retry with back-off."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None:  # withdrawn before delivery (e.g. the person unsubscribed)
            return False
        if email.status != OutboxStatus.PENDING:
            return email.status == OutboxStatus.SENT
        message = build_message(email)
        email.attempts += 1
        try:
            message.send()
        except Exception as exc:  # mail server down: keep it, retry later
            email.last_error = type(exc).__name__[:255]
            delay = dt.timedelta(minutes=min(2**email.attempts, 240))
            email.next_attempt_at = now + delay
            if email.attempts >= MAX_ATTEMPTS:
                email.status = OutboxStatus.FAILED
            email.save()
            log.warning("E-mail %s not delivered (attempt %s)", email.pk, email.attempts)
            if email.status == OutboxStatus.PENDING:
                transaction.on_commit(lambda: _enqueue(email.pk, run_after=email.next_attempt_at))
            return False
        email.status = OutboxStatus.SENT
        email.sent_at = now
        email.last_error = ""
        # Delivered: the body holds personal links and details, keep only the envelope.
        email.text = email.html = email.ics = ""
        email.headers = {}
        email.save()
        if email.tag:
            _tell_apps(email, now)
        return True


def retry_due_emails(*, now: dt.datetime) -> int:
    """Deliver pending e-mails whose retry time has come; returns how many were sent."""
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).exclude(next_attempt_at__gt=now)
    return sum(deliver(email_id=pk, now=now) for pk in due.values_list("pk", flat=True))


def retry_job(*, now: dt.datetime) -> str:
    """The scheduler's job (hook SCHEDULED_JOBS): e-mails whose retry time has come."""
    return f"{retry_due_emails(now=now)} e-mail(s) from the outbox delivered."
