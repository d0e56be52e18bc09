"""Domain rules: register, cancel, promote, move, cancel a session, deliver e-mail.

Every capacity decision runs in one transaction that locks the session row
(``select_for_update``; SQLite serialises writers with IMMEDIATE transactions).
E-mails are written to a durable outbox inside the same transaction and handed to
a background task after the commit, so nobody is mailed about a rolled-back place.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.conf import settings
from django.core.cache import cache
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from learning import access
from learning.models import (
    ACTIVE_STATUSES,
    Attendance,
    Evaluation,
    Organisation,
    OutboxEmail,
    OutboxStatus,
    Participant,
    Registration,
    RegistrationStatus,
    RequestKind,
    RequestStatus,
    Session,
    SessionStatus,
    SignInToken,
    TrainingRequest,
)
from website import roles
from website.models import Municipality

log = logging.getLogger(__name__)
MAX_ATTEMPTS = 12


class RegistrationError(Exception):
    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Person:
    first_name: str
    last_name: str
    email: str
    function: str
    organisation: str
    target_group_id: int
    municipality: Municipality | None = None
    municipality_scope: str = ""
    needs: str = ""


@dataclass(frozen=True)
class RegistrationResult:
    registration: Registration
    created: bool


def personal_url(registration: Registration) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:registration", args=[registration.token])


# ----- registering ---------------------------------------------------------------


def _lock_session(session_id: int) -> Session:
    from learning.selectors import bump_cache_version

    transaction.on_commit(bump_cache_version)
    return Session.objects.select_for_update().select_related("page").get(pk=session_id)


def _confirmed_count(session: Session) -> int:
    return session.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def check_open(session: Session, *, now: dt.datetime) -> None:
    if session.status == SessionStatus.CANCELLED:
        raise RegistrationError(_("This session has been cancelled."))
    if session.ends_at <= now:
        raise RegistrationError(_("This session has already taken place."))
    if now >= (session.deadline or session.starts_at):
        raise RegistrationError(_("Registration for this session is closed."))


def _organisation(name: str) -> Organisation:
    name = " ".join(name.split())
    found = Organisation.objects.filter(name__iexact=name).first()
    return found or Organisation.objects.create(name=name)


def register(*, session_id: int, person: Person, now: dt.datetime) -> RegistrationResult:
    """Confirmed while places are left, else on the waiting list. An address that is
    already active on the session gets its personal link again instead of a duplicate."""
    email = person.email.strip()
    with transaction.atomic():
        session = _lock_session(session_id)
        existing = (
            Registration.objects.filter(
                session=session, status__in=ACTIVE_STATUSES, participant__email__iexact=email
            )
            .select_related("participant")
            .first()
        )
        if existing:
            queue_email(existing, "link_resent", now=now)
            return RegistrationResult(existing, created=False)
        check_open(session, now=now)
        status = (
            RegistrationStatus.CONFIRMED
            if _confirmed_count(session) < session.capacity
            else RegistrationStatus.WAITING
        )
        registration = Registration.objects.create(
            session=session,
            status=status,
            target_group_id=person.target_group_id,
            municipality=person.municipality,
            municipality_scope=person.municipality_scope,
            organisation=_organisation(person.organisation),
            created_at=now,
            status_changed_at=now,
        )
        registration.participant = Participant.objects.create(
            registration=registration,
            first_name=person.first_name.strip(),
            last_name=person.last_name.strip(),
            email=email,
            function=person.function.strip(),
            needs=person.needs.strip(),
        )
        queue_email(
            registration,
            "confirmed" if status == RegistrationStatus.CONFIRMED else "waiting",
            now=now,
        )
    return RegistrationResult(registration, created=True)


def _promote(session: Session, *, now: dt.datetime) -> list[Registration]:
    """Fill free places from the waiting list in arrival order (session row locked)."""
    free = session.capacity - _confirmed_count(session)
    if free <= 0:
        return []
    waiting = list(
        session.registrations.filter(status=RegistrationStatus.WAITING)
        .select_related("participant", "session__page")
        .order_by("created_at", "pk")[:free]
    )
    for registration in waiting:
        registration.status = RegistrationStatus.CONFIRMED
        registration.status_changed_at = now
        registration.save(update_fields=["status", "status_changed_at"])
        queue_email(registration, "promoted", now=now)
    return waiting


def cancel_registration(*, registration_id: int, now: dt.datetime) -> Registration:
    """Cancel a place (or leave the waiting list); a freed place goes to the next in line."""
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _lock_session(session_id)
        registration = Registration.objects.select_related("participant").get(pk=registration_id)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        registration.status = RegistrationStatus.CANCELLED
        registration.status_changed_at = now
        registration.sequence = F("sequence") + 1
        registration.save(update_fields=["status", "status_changed_at", "sequence"])
        registration.refresh_from_db()
        queue_email(registration, "cancelled", now=now)
        if session.status == SessionStatus.PLANNED and session.ends_at > now:
            _promote(session, now=now)
    return registration


def move_registration(*, registration_id: int, status: str, now: dt.datetime) -> Registration:
    """Coordinators: move between waiting list and confirmed, respecting capacity."""
    with transaction.atomic():
        session_id = Registration.objects.values_list("session_id", flat=True).get(
            pk=registration_id
        )
        session = _lock_session(session_id)
        registration = Registration.objects.select_related("participant").get(pk=registration_id)
        if registration.status == status:
            return registration
        if status == RegistrationStatus.CONFIRMED:
            if _confirmed_count(session) >= session.capacity:
                raise RegistrationError(_("The session is full; raise the capacity first."))
            registration.status = status
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            queue_email(registration, "promoted", now=now)
        elif status == RegistrationStatus.WAITING:
            registration.status = status
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            queue_email(registration, "waiting", now=now)
        else:
            raise RegistrationError(_("Use cancel to cancel a registration."))
    return registration


def cancel_session(*, session_id: int, now: dt.datetime) -> int:
    """Coordinators: cancel a session and notify everyone registered."""
    with transaction.atomic():
        session = _lock_session(session_id)
        active_exists = session.registrations.filter(status__in=ACTIVE_STATUSES).exists()
        if session.status == SessionStatus.CANCELLED and not active_exists:
            return 0
        Session.objects.filter(pk=session.pk).update(
            status=SessionStatus.CANCELLED, sequence=F("sequence") + 1
        )
        active = list(
            session.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
                "participant", "session__page"
            )
        )
        for registration in active:
            registration.status = RegistrationStatus.CANCELLED
            registration.status_changed_at = now
            registration.save(update_fields=["status", "status_changed_at"])
            registration.session.refresh_from_db()
            queue_email(registration, "session_cancelled", now=now)
    return len(active)


def notify_session_changed(*, session_id: int, now: dt.datetime) -> int:
    """After an editor changed a session's time or place: updated invites for all."""
    with transaction.atomic():
        session = _lock_session(session_id)
        Session.objects.filter(pk=session.pk).update(sequence=F("sequence") + 1)
        if session.starts_at > now + dt.timedelta(days=reminder_days()):
            # Moved to a later date: remind again before the new date.
            session.registrations.update(reminder_sent_at=None)
        active = list(
            session.registrations.filter(status__in=ACTIVE_STATUSES).select_related(
                "participant", "session__page"
            )
        )
        for registration in active:
            queue_email(registration, "session_changed", now=now)
    return len(active)


# ----- requests ------------------------------------------------------------------------


def submit_request(*, kind: RequestKind, data: dict, now: dt.datetime) -> TrainingRequest:
    from website.models import SiteSettings

    with transaction.atomic():
        request = TrainingRequest.objects.create(kind=kind, **data)
        to = SiteSettings.load().coordinator_email
        if to:
            context = {"request": request}
            _store_and_send(
                to=to,
                subject=str(_("New request: %(kind)s") % {"kind": request.get_kind_display()}),
                text=render_to_string("learning/email/request_notice.txt", context),
                html="",
                ics="",
            )
    return request


# ----- e-mail through a durable outbox ---------------------------------------------------

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
    from learning.ics import registration_ics

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
    return _store_and_send(
        to=registration.participant.email,
        subject=subject,
        text=text,
        html=html,
        ics=ics.decode(),
    )


def _store_and_send(*, to, subject, text, html, ics) -> OutboxEmail:
    email = OutboxEmail.objects.create(to=to, subject=subject, text=text, html=html, ics=ics)
    transaction.on_commit(lambda: _enqueue(email.pk))
    return email


def _enqueue(email_id: int, run_after: dt.datetime | None = None) -> None:
    from learning.tasks import deliver_email

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


# ----- privacy ---------------------------------------------------------------------------


def anonymise_participants(*, ended_before: dt.datetime, now: dt.datetime) -> int:
    """Wipe personal details of sessions that ended before ``ended_before``; the
    registration facts (target group, municipality, organisation, attendance, survey
    scores) stay for reports. Free-text survey comments may identify their writer, so
    they are cleared on the same schedule; expired sign-in links and e-mails sent or given
    up before ``ended_before`` are deleted (sent ones already lost their body on delivery)."""
    with transaction.atomic():
        Evaluation.objects.filter(
            registration__session__ends_at__lt=ended_before, improvement__gt=""
        ).update(improvement="")
        SignInToken.objects.filter(expires_at__lt=now).delete()
        # Requests (in company, pressure cooker) handled long ago: the organisation, the
        # municipality and what was asked stay; who asked goes.
        TrainingRequest.objects.filter(
            created_at__lt=ended_before,
            status__in=[RequestStatus.SCHEDULED, RequestStatus.DECLINED],
        ).exclude(contact_email="").update(
            contact_name="", contact_email="", contact_phone="", remarks=""
        )
        # Outgoing e-mails name their recipient: none is kept longer than the registrations.
        OutboxEmail.objects.filter(
            status__in=[OutboxStatus.SENT, OutboxStatus.FAILED], created_at__lt=ended_before
        ).delete()
        return Participant.objects.filter(
            registration__session__ends_at__lt=ended_before, anonymised_at__isnull=True
        ).update(first_name="", last_name="", email="", function="", needs="", anonymised_at=now)


def apply_editor_cancellations(*, page_id: int, now: dt.datetime) -> int:
    """After an editor published a training with a session set to "cancelled":
    notify and cancel the registrations still active on it."""
    sessions = Session.objects.filter(
        page_id=page_id,
        status=SessionStatus.CANCELLED,
        registrations__status__in=ACTIVE_STATUSES,
    ).distinct()
    return sum(
        cancel_session(session_id=pk, now=now) for pk in sessions.values_list("pk", flat=True)
    )


# ----- after the session: reminders and surveys (issue 4) ----------------------------------
#
# "Exactly once" even when the scheduler runs twice or two workers run at the same time:
# each registration is claimed with a conditional UPDATE (``... SET reminder_sent_at = now
# WHERE pk = x AND reminder_sent_at IS NULL``) in the same transaction that writes the e-mail
# to the durable outbox. A second runner blocks on the row lock (PostgreSQL) or on the
# database write lock (SQLite) until the first commits, then updates zero rows and skips.
# If the transaction rolls back, neither the claim nor the e-mail exists: nothing is lost.


def reminder_days() -> int:
    return int(getattr(settings, "LEARNING_REMINDER_DAYS", 2))


def survey_window() -> dt.timedelta:
    """Sessions that ended longer ago get no survey (e.g. when attendance is entered late)."""
    return dt.timedelta(days=int(getattr(settings, "LEARNING_SURVEY_WINDOW_DAYS", 30)))


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


def survey_url(registration: Registration) -> str:
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return base + reverse("learning:survey", args=[registration.token])


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
            _store_and_send(
                to=registration.participant.email, subject=subject, text=text, html=html, ics=""
            )
        sent += 1
    return sent


def retention() -> dt.timedelta:
    """How long personal details are kept after a session ended."""
    return dt.timedelta(days=int(getattr(settings, "LEARNING_RETENTION_DAYS", 365)))


def run_scheduled(*, now: dt.datetime) -> dict[str, int]:
    """What ``manage.py send_reminders`` (cron or ``--every``) runs: due reminders and
    surveys, and the anonymisation of registrations past their retention period, so
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
    return rows.update(attendance=attendance, attendance_marked_at=marked_at)


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
    from learning.attendance_csv import AttendanceFileError, parse_attendance_csv

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


# ----- "Mijn trainingen": sign-in links ---------------------------------------------------------

SIGN_IN_VALID = dt.timedelta(hours=24)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _limit_key(kind: str, value: str) -> str:
    digest = salted_hmac("learning.sign-in-limit", value.strip().lower()).hexdigest()
    return f"learning:sign-in:{kind}:{digest}"


def sign_in_allowed(*, email: str, client: str) -> bool:
    """Rate limit through the cache (Redis in production): at most
    ``LEARNING_SIGN_IN_PER_EMAIL`` requests per address and ``LEARNING_SIGN_IN_PER_CLIENT``
    per client per ``LEARNING_SIGN_IN_WINDOW`` seconds. Keys hold only HMACs."""
    window = int(getattr(settings, "LEARNING_SIGN_IN_WINDOW", 3600))
    limits = (
        (_limit_key("email", email), int(getattr(settings, "LEARNING_SIGN_IN_PER_EMAIL", 3))),
        (_limit_key("client", client), int(getattr(settings, "LEARNING_SIGN_IN_PER_CLIENT", 20))),
    )
    allowed = True
    for key, limit in limits:
        cache.add(key, 0, window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, window)
            count = 1
        allowed = allowed and count <= limit
    return allowed


def request_sign_in(*, email: str, now: dt.datetime) -> bool:
    """Mail a sign-in link if the address has registrations; the caller answers the same
    either way. Returns whether a link was sent (for tests, never shown)."""
    email = email.strip()
    known = Participant.objects.filter(email__iexact=email).exists()
    if not known:
        return False
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        SignInToken.objects.create(
            token_hash=hash_token(token),
            email=email.lower(),
            created_at=now,
            expires_at=now + SIGN_IN_VALID,
        )
        base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
        with translation.override(settings.LANGUAGE_CODE):
            context = {"sign_in_url": base + reverse("learning:my_sign_in", args=[token])}
            subject = str(_("Your sign-in link for My trainings"))
            text = render_to_string("learning/email/sign_in.txt", context)
            html = render_to_string("learning/email/sign_in.html", context)
        _store_and_send(to=email, subject=subject, text=text, html=html, ics="")
    return True


def sign_in_token_valid(*, token: str, now: dt.datetime) -> bool:
    return SignInToken.objects.filter(
        token_hash=hash_token(token), used_at__isnull=True, expires_at__gt=now
    ).exists()


def consume_sign_in(*, token: str, now: dt.datetime) -> str | None:
    """Use a sign-in link once: a conditional UPDATE, so two clicks cannot both win.
    Returns the e-mail address, or None when the link is unknown, used or expired."""
    token_hash = hash_token(token)
    with transaction.atomic():
        claimed = SignInToken.objects.filter(
            token_hash=token_hash, used_at__isnull=True, expires_at__gt=now
        ).update(used_at=now)
        if not claimed:
            return None
        return SignInToken.objects.values_list("email", flat=True).get(token_hash=token_hash)


# ----- trainers (roles, issue 14) ------------------------------------------------------------


def give_coordinators_the_catalogue(*, page_id: int) -> None:
    """Coordinators edit and publish the trainings (and their sessions) under a training
    catalogue page; done for each catalogue page when it is created."""
    roles.grant_pages(django_apps, roles.COORDINATOR, page_id, roles.EDITOR_PAGE_PERMISSIONS)


def set_session_trainers(*, session_id: int, user_ids: list[int]) -> list[int]:
    """Link exactly these accounts to the session as its trainers. Only active accounts
    that hold the trainer permission qualify; anything else is refused as a whole."""
    wanted = set(user_ids)
    eligible = set(access.trainer_accounts().filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - eligible:
        raise RegistrationError(_("Only active accounts with the role Trainer can lead a session."))
    with transaction.atomic():
        session = Session.objects.select_for_update(of=("self",)).get(pk=session_id)
        session.trainers.set(sorted(wanted))
    return sorted(wanted)
