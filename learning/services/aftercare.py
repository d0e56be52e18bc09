"""After the session: reminders, surveys, attendance and evaluation (issue 4)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from learning import audit
from learning.attendance_csv import AttendanceFileError, parse_attendance_csv
from learning.models import (
    Attendance,
    Evaluation,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
)
from learning.services.common import (
    RegistrationError,
    personal_url,
    reminder_days,
    retention,
    survey_url,
    survey_window,
)
from learning.services.mail import queue_email
from learning.services.retention import anonymise_participants
from website.mail import store_and_send

# ----- after the session: reminders and surveys (issue 4) ----------------------------------
#
# "Exactly once" even when the scheduler runs twice or two workers run at the same time:
# each registration is claimed with a conditional UPDATE (``... SET reminder_sent_at = now
# WHERE pk = x AND reminder_sent_at IS NULL``) in the same transaction that writes the e-mail
# to the durable outbox. A second runner blocks on the row lock (PostgreSQL) or on the
# database write lock (SQLite) until the first commits, then updates zero rows and skips.
# If the transaction rolls back, neither the claim nor the e-mail exists: nothing is lost.


def _claim(pk: int, field: str, now: dt.datetime, **conditions) -> bool:
    return bool(
        Registration.objects.filter(pk=pk, **{f"{field}__isnull": True}, **conditions).update(
            **{field: now}
        )
    )


def send_due_reminders(*, now: dt.datetime) -> int:
    """Confirmed registrants of planned sessions starting within ``LEARNING_REMINDER_DAYS``
    get one reminder (with the .ics, and the join link for online sessions). Who was
    confirmed (registered or promoted) inside that window already has everything in the
    confirmation e-mail of a moment ago and gets no second mail."""
    window = dt.timedelta(days=reminder_days())
    due = (
        Registration.objects.filter(
            status=RegistrationStatus.CONFIRMED,
            reminder_sent_at__isnull=True,
            session__status=SessionStatus.PLANNED,
            session__starts_at__gt=now,
            session__starts_at__lte=now + window,
        )
        .exclude(status_changed_at__gt=F("session__starts_at") - window)
        .order_by("session__starts_at", "pk")
    )
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not _claim(pk, "reminder_sent_at", now, status=RegistrationStatus.CONFIRMED):
                continue  # another runner got there first, or it was cancelled meanwhile
            registration = Registration.objects.select_related("participant", "session__page").get(
                pk=pk
            )
            queue_email(registration, "reminder", now=now)
        sent += 1
    return sent


def send_due_surveys(*, now: dt.datetime) -> int:
    """After a session has ended, everyone marked present gets one survey e-mail."""
    due = Registration.objects.filter(
        status=RegistrationStatus.CONFIRMED,
        attendance=Attendance.PRESENT,
        survey_sent_at__isnull=True,
        evaluation__isnull=True,
        session__ends_at__lte=now,
        session__ends_at__gt=now - survey_window(),
    ).order_by("session__ends_at", "pk")
    sent = 0
    for pk in list(due.values_list("pk", flat=True)):
        with transaction.atomic():
            if not _claim(
                pk,
                "survey_sent_at",
                now,
                status=RegistrationStatus.CONFIRMED,
                attendance=Attendance.PRESENT,
            ):
                continue
            registration = Registration.objects.select_related("participant", "session__page").get(
                pk=pk
            )
            with translation.override(settings.LANGUAGE_CODE):
                context = {
                    "participant": registration.participant,
                    "page": registration.session.page,
                    "session": registration.session,
                    "survey_url": survey_url(registration),
                    "personal_url": personal_url(registration),
                }
                subject = str(
                    _("How was %(title)s? Three questions")
                    % {"title": registration.session.page.title}
                )
                text = render_to_string("learning/email/survey.txt", context)
                html = render_to_string("learning/email/survey.html", context)
            store_and_send(
                to=registration.participant.email, subject=subject, text=text, html=html, ics=""
            )
        sent += 1
    return sent


def run_scheduled(*, now: dt.datetime) -> dict[str, int]:
    """Learning's scheduled job (``manage.py run_scheduled``, cron or ``--every``): due
    reminders and surveys, and the anonymisation of registrations past their retention period, so
    personal data goes on schedule wherever the scheduler runs."""
    return {
        "reminders": send_due_reminders(now=now),
        "surveys": send_due_surveys(now=now),
        "anonymised": anonymise_participants(ended_before=now - retention(), now=now),
    }


# ----- attendance ----------------------------------------------------------------------------


class AttendanceError(RegistrationError):
    pass


def _attendance_open(session: Session, now: dt.datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise AttendanceError(_("This session has been cancelled."))
    if session.starts_at > now:
        raise AttendanceError(_("Attendance can be recorded once the session has started."))


def mark_attendance(
    *,
    session_id: int,
    attendance: str,
    now: dt.datetime,
    registration_ids: list[int] | None = None,
) -> int:
    """Mark confirmed registrations of a session present, absent or unknown (bulk).
    ``registration_ids=None`` means every confirmed registration of the session."""
    if attendance not in Attendance.values:
        raise AttendanceError(_("Choose present, absent or unknown."))
    session = Session.objects.get(pk=session_id)
    _attendance_open(session, now)
    rows = Registration.objects.filter(session_id=session_id, status=RegistrationStatus.CONFIRMED)
    if registration_ids is not None:
        rows = rows.filter(pk__in=registration_ids)
    marked_at = None if attendance == Attendance.UNKNOWN else now
    with transaction.atomic():
        count = rows.update(attendance=attendance, attendance_marked_at=marked_at)
        audit.record(
            session,
            audit.ATTENDANCE,
            data={"count": count, "attendance": str(Attendance(attendance).label)},
            timestamp=now,
        )
    return count


@dataclass
class AttendanceImport:
    matched: list[Registration]
    not_confirmed: list[Registration]  # on the file but waiting or cancelled: not marked
    unknown: list[str]  # addresses in the file without a registration on this session
    duplicates: list[tuple[int, str]]
    invalid: list[tuple[int, str]]
    blank_lines: int
    marked_absent: int


def import_attendance(
    *, session_id: int, data: bytes, now: dt.datetime, absent_if_missing: bool = False
) -> AttendanceImport:
    """Read a webinar tool's attendance CSV (``attendance_csv``) and mark the confirmed
    registrations whose e-mail address (case-insensitive) appears in it present. What
    cannot be used is reported, never dropped silently. Raises ``AttendanceFileError``."""

    parsed = parse_attendance_csv(data)
    session = Session.objects.get(pk=session_id)
    _attendance_open(session, now)
    with transaction.atomic():
        registrations = list(
            Registration.objects.filter(session_id=session_id)
            .select_related("participant")
            .order_by("created_at", "pk")
        )
        by_email: dict[str, Registration] = {}
        for registration in registrations:
            address = registration.participant.email.strip().lower()
            # An address cancelled and registered again: the active registration wins.
            if address and (address not in by_email or registration.is_active):
                by_email[address] = registration
        matched, not_confirmed, unknown = [], [], []
        for address in parsed.emails:
            registration = by_email.get(address)
            if registration is None:
                unknown.append(address)
            elif registration.status == RegistrationStatus.CONFIRMED:
                matched.append(registration)
            else:
                not_confirmed.append(registration)
        if absent_if_missing and (not matched or len(parsed.invalid) > len(parsed.emails)):
            # Marking everyone absent on the strength of a wrong or garbled file would
            # undo real attendance: refuse before anything changes.
            raise AttendanceFileError(
                _(
                    "Nobody was marked absent: the file matches no confirmed registration "
                    "of this session or most of its rows are not e-mail addresses. Check "
                    "that it is the export of this session."
                )
            )
        Registration.objects.filter(pk__in=[r.pk for r in matched]).update(
            attendance=Attendance.PRESENT, attendance_marked_at=now
        )
        marked_absent = 0
        if absent_if_missing:
            marked_absent = (
                Registration.objects.filter(
                    session_id=session_id, status=RegistrationStatus.CONFIRMED
                )
                .exclude(pk__in=[r.pk for r in matched])
                .update(attendance=Attendance.ABSENT, attendance_marked_at=now)
            )
        audit.record(
            session,
            audit.ATTENDANCE_IMPORT,
            data={"present": len(matched), "absent": marked_absent},
            timestamp=now,
        )
    return AttendanceImport(
        matched=matched,
        not_confirmed=not_confirmed,
        unknown=unknown,
        duplicates=parsed.duplicates,
        invalid=parsed.invalid,
        blank_lines=parsed.blank_lines,
        marked_absent=marked_absent,
    )


# ----- evaluation ------------------------------------------------------------------------------


class EvaluationError(RegistrationError):
    pass


def survey_open(registration: Registration, *, now: dt.datetime) -> bool:
    return (
        registration.attended
        and registration.session.ends_at <= now
        and not Evaluation.objects.filter(registration=registration).exists()
    )


def submit_evaluation(
    *,
    registration_id: int,
    overall: int,
    usefulness: int,
    recommend: bool,
    improvement: str,
    now: dt.datetime,
) -> Evaluation:
    """One response per registration: the unique constraint decides under a race."""
    registration = Registration.objects.select_related("session").get(pk=registration_id)
    if not registration.attended or registration.session.ends_at > now:
        raise EvaluationError(_("This survey is only for participants of a session that ended."))
    try:
        with transaction.atomic():
            return Evaluation.objects.create(
                registration=registration,
                overall=overall,
                usefulness=usefulness,
                recommend=recommend,
                improvement=improvement.strip()[:EVALUATION_TEXT_MAX],
                created_at=now,
            )
    except IntegrityError as exc:
        raise EvaluationError(_("You have already filled in this survey. Thank you!")) from exc


EVALUATION_TEXT_MAX = 2000
