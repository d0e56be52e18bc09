"""E-mail through a durable outbox: render inside the caller's transaction, store the
message, hand it to a background task after the commit, retry with back-off."""

from __future__ import annotations

import datetime as dt
import logging
import re

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from learning.ics import registration_ics
from learning.models import OutboxEmail, OutboxStatus, Registration, RegistrationStatus
from learning.services.common import personal_url
from learning.tasks import deliver_email

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12

SUBJECTS = {
    "confirmed": _("Registration confirmed: %(title)s"),
    "waiting": _("On the waiting list: %(title)s"),
    "promoted": _("A place has become available: %(title)s"),
    "cancelled": _("Registration cancelled: %(title)s"),
    "session_cancelled": _("Session cancelled: %(title)s"),
    "session_changed": _("Session changed: %(title)s"),
    "link_resent": _("Your registration: %(title)s"),
    "reminder": _("Reminder: %(title)s"),
}


def queue_email(registration: Registration, template: str, *, now: dt.datetime) -> OutboxEmail:
    """Render the e-mail now (inside the caller's transaction); send after commit."""

    session = registration.session
    url = personal_url(registration)
    cancel = template in ("cancelled", "session_cancelled")
    # No invite for people on the waiting list (except the CANCEL of a cancellation).
    with_ics = cancel or registration.status == RegistrationStatus.CONFIRMED
    with translation.override(settings.LANGUAGE_CODE):
        confirmed = registration.status == RegistrationStatus.CONFIRMED
        context = {
            "registration": registration,
            "participant": registration.participant,
            "session": session,
            "page": session.page,
            "dayparts": session.dayparts(),
            "personal_url": url,
            "join_url": session.join_url if confirmed and session.online else "",
            "kind": template,
        }
        subject = str(SUBJECTS[template] % {"title": session.page.title})
        text = render_to_string("learning/email/registration.txt", context)
        html = render_to_string("learning/email/registration.html", context)
    ics = (
        registration_ics(registration=registration, personal_url=url, now=now, cancel=cancel)
        if with_ics
        else b""
    )
    return store_and_send(
        to=registration.participant.email,
        subject=subject,
        text=text,
        html=html,
        ics=ics.decode(),
    )


def store_and_send(*, to, subject, text, html, ics) -> OutboxEmail:
    email = OutboxEmail.objects.create(to=to, subject=subject, text=text, html=html, ics=ics)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    task = deliver_email
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # picked up by retry_due_emails (manage.py send_outbox)
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


def deliver(*, email_id: int, now: dt.datetime) -> bool:
    """Send one outbox e-mail; on failure schedule a retry with back-off."""
    with transaction.atomic():
        email = OutboxEmail.objects.select_for_update().get(pk=email_id)
        if email.status != OutboxStatus.PENDING:
            return email.status == OutboxStatus.SENT
        message = EmailMultiAlternatives(subject=email.subject, body=email.text, to=[email.to])
        if email.html:
            message.attach_alternative(email.html, "text/html")
        if email.ics:
            message.attach("uitnodiging.ics", email.ics, _calendar_mimetype(email.ics))
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
        email.save()
        return True


def retry_due_emails(*, now: dt.datetime) -> int:
    """Deliver pending e-mails whose retry time has come; returns how many were sent."""
    due = OutboxEmail.objects.filter(status=OutboxStatus.PENDING).exclude(next_attempt_at__gt=now)
    return sum(deliver(email_id=pk, now=now) for pk in due.values_list("pk", flat=True))
