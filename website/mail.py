"""E-mail through a durable outbox, for every app.

- **Render** (``render``): a text and an HTML template with the same context, in the
  site's language (Dutch), whatever language the caller runs in.
- **Store** (``store_and_send``): the message is written to ``OutboxEmail`` inside the
  caller's transaction (a rollback takes the e-mail with it) and handed to the
  ``website.tasks.deliver_email`` task after the commit.
- **Deliver** (``deliver``): one message, with its HTML alternative, calendar attachment
  and extra headers (e.g. ``List-Unsubscribe``). A worker claims the row in a short
  transaction (a lease, ``claimed_until``: of two workers exactly one sends), talks to
  the mail server with no lock held and no transaction open, and records the outcome in
  a second short transaction; a worker that dies mid-send leaves the row to be taken
  over once its lease (``SEND_LEASE``) runs out. When the mail server is down the row
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
from django.db import router, transaction
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult

from website import hooks as cter
from website import tasks
from website.models import OutboxEmail, OutboxStatus

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12
# How long a claimed e-mail is left to its worker (``deliver``) before another may take it
# over: far longer than a send takes (``EMAIL_TIMEOUT`` is 20 s per step), short against
# the back-off and the /health/ e-mail limit (an hour).
SEND_LEASE = dt.timedelta(minutes=10)
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
    """Store the e-mail in the outbox now; deliver it after the caller's commit.

    With the database task queue the delivery task's row is written in the caller's
    transaction too (a savepoint): it commits with the e-mail, or goes with a rollback,
    and the request makes no second write transaction (on SQLite, a second wait for the
    one writer's lock). Any other backend (one that runs tasks at once) is handed the
    task after the commit."""
    email = OutboxEmail.objects.create(
        to=to,
        subject=subject,
        text=text,
        html=html,
        ics=ics,
        headers=dict(headers or {}),
        tag=tag,
    )
    if transaction.get_connection().in_atomic_block and _queue_in_this_database():
        try:
            with transaction.atomic():
                tasks.deliver_email.enqueue(email.pk)
        except Exception:  # the outbox row stays pending; retry_due_emails picks it up
            log.exception("Could not enqueue e-mail %s", email.pk)
    else:
        transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _queue_in_this_database() -> bool:
    """The delivery task's backend stores tasks as rows of the default database."""
    backend = tasks.deliver_email.get_backend()
    return isinstance(backend, DatabaseBackend) and (
        router.db_for_write(DBTaskResult) == transaction.get_connection().alias
    )


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
    """Send one outbox e-mail; on failure schedule a retry with back-off. True when it has
    been delivered (now or before). Call it outside any transaction: no lock is held while
    the mail server talks, which may take long (a slow server, ``EMAIL_TIMEOUT`` per step)."""
    email = _claim(email_id=email_id, now=now)
    if email is None:  # withdrawn, done (sent or failed), or being sent by another worker
        return OutboxEmail.objects.filter(pk=email_id, status=OutboxStatus.SENT).exists()
    try:
        build_message(email).send()
    except Exception as exc:  # mail server down: keep it, retry later
        _record_failure(email, error=type(exc).__name__, now=now)
        return False
    _record_delivery(email, now=now)
    return True


def _claim(*, email_id: int, now: dt.datetime) -> OutboxEmail | None:
    """Take the e-mail for one attempt, in a short transaction: the row is locked only to
    set the lease (``claimed_until``), so of two workers racing exactly one gets it. A
    lease that ran out (its worker died mid-send) is taken over. Every claim counts as an
    attempt, so an e-mail that kills its worker each time still ends FAILED."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status != OutboxStatus.PENDING:
            return None
        if email.claimed_until is not None and email.claimed_until > now:
            return None  # another worker is sending it
        if email.attempts >= MAX_ATTEMPTS:  # the last attempts died mid-send
            email.status, email.claimed_until = OutboxStatus.FAILED, None
            email.save(update_fields=["status", "claimed_until"])
            log.warning("E-mail %s given up after %s attempts", email.pk, email.attempts)
            return None
        email.attempts += 1
        email.claimed_until = now + SEND_LEASE
        email.save(update_fields=["attempts", "claimed_until"])
        return email


def _record_failure(email: OutboxEmail, *, error: str, now: dt.datetime) -> None:
    """Back-off, or FAILED after ``MAX_ATTEMPTS``; and the lease ends. Only while the claim
    is still ours: if our lease ran out and another worker took the e-mail over (and
    perhaps delivered it), its outcome stands."""
    status = OutboxStatus.FAILED if email.attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
    next_attempt_at = now + dt.timedelta(minutes=min(2**email.attempts, 240))
    with transaction.atomic():
        recorded = OutboxEmail.objects.filter(
            pk=email.pk, status=OutboxStatus.PENDING, claimed_until=email.claimed_until
        ).update(
            status=status,
            next_attempt_at=next_attempt_at,
            last_error=error[:255],
            claimed_until=None,
        )
        log.warning("E-mail %s not delivered (attempt %s)", email.pk, email.attempts)
        if recorded and status == OutboxStatus.PENDING:
            transaction.on_commit(lambda: _enqueue(email.pk, run_after=next_attempt_at))


def _record_delivery(email: OutboxEmail, *, now: dt.datetime) -> None:
    """SENT, the body blanked, the apps told: once, in one short transaction, whoever
    finishes first (a worker whose lease ran out may have sent it too)."""
    with transaction.atomic():
        status = (
            OutboxEmail.objects.select_for_update()
            .filter(pk=email.pk)
            .values_list("status", flat=True)
            .first()
        )
        if status == OutboxStatus.SENT:
            return  # recorded, and the apps told, by the worker that took it over
        if status is not None:  # None: withdrawn while it was sent; it went out all the same
            # Delivered: the body holds personal links and details, keep only the envelope.
            OutboxEmail.objects.filter(pk=email.pk).update(
                status=OutboxStatus.SENT,
                sent_at=now,
                last_error="",
                text="",
                html="",
                ics="",
                headers={},
                claimed_until=None,
            )
        if email.tag:
            _tell_apps(email, now)


def retry_due_emails(*, now: dt.datetime) -> int:
    """Deliver pending e-mails whose retry time has come; returns how many were sent."""
    due = (
        OutboxEmail.objects.filter(status=OutboxStatus.PENDING)
        .exclude(next_attempt_at__gt=now)
        .exclude(claimed_until__gt=now)  # being sent; taken over once the lease runs out
    )
    return sum(deliver(email_id=pk, now=now) for pk in due.values_list("pk", flat=True))


def retry_job(*, now: dt.datetime) -> str:
    """The scheduler's job (hook SCHEDULED_JOBS): e-mails whose retry time has come."""
    return f"{retry_due_emails(now=now)} e-mail(s) from the outbox delivered."
