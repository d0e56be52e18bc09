"""Personal data goes on schedule: anonymisation after the retention period."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from learning.models import (
    Evaluation,
    Participant,
    SignInToken,
    TrainingRequest,
)
from learning.services.participants import release_keys
from website.models import OutboxEmail, OutboxStatus


def anonymise_participants(*, ended_before: dt.datetime, now: dt.datetime) -> int:
    """Wipe personal details of sessions that ended before ``ended_before``; the
    registration facts (target group, municipality, organisation, attendance, survey
    scores) stay for reports. Free-text survey comments may identify their writer, so
    they are cleared on the same schedule; expired sign-in links and e-mails sent or given
    up before ``ended_before`` are deleted (sent ones already lost their body on delivery).
    Unique participants stay countable: see ``participants.release_keys``."""
    with transaction.atomic():
        Evaluation.objects.filter(
            registration__session__ends_at__lt=ended_before, improvement__gt=""
        ).update(improvement="")
        SignInToken.objects.filter(expires_at__lt=now).delete()
        # Requests (in company, pressure cooker) received longer ago than the retention
        # period, whatever their status (one still "new" or "in progress" after a year has
        # had its chance): the organisation, the municipality and what was asked stay; who
        # asked goes.
        TrainingRequest.objects.filter(created_at__lt=ended_before).exclude(
            contact_email=""
        ).update(contact_name="", contact_email="", contact_phone="", remarks="")
        # Outgoing e-mails name their recipient: none is kept longer than the registrations.
        OutboxEmail.objects.filter(
            status__in=[OutboxStatus.SENT, OutboxStatus.FAILED], created_at__lt=ended_before
        ).delete()
        anonymised = Participant.objects.filter(
            registration__session__ends_at__lt=ended_before, anonymised_at__isnull=True
        ).update(first_name="", last_name="", email="", function="", needs="", anonymised_at=now)
        # People whose details are all gone keep their surrogate key, not its digest.
        release_keys()
        return anonymised
