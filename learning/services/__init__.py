"""Domain rules of trainings and webinars, one module per sub-domain:

- ``registrations``: register, cancel, promote, move, cancel or change a session
- ``events``: network events (workshop choices per round) and whole connection tracks
- ``mail``: the durable e-mail outbox and its delivery
- ``aftercare``: reminders, surveys, attendance and evaluation after a session
- ``sign_in``: "Mijn trainingen" sign-in links
- ``requests``: requests for a training in company or a pressure cooker, and the
  sessions (not listed publicly, with a private link) they become
- ``organisations``: one organisation per real organisation: matching, merging
- ``retention``: anonymisation on schedule
- ``participants``: the surrogate person key behind "unique participants"
- ``personal_data``: erasing one person's data on request
- ``staffing``: coordinators' page rights on the catalogue, trainers of a session

Callers use the package (``from learning import services; services.register(...)``);
the names below are its public interface.
"""

from learning.services.aftercare import (
    EVALUATION_TEXT_MAX,
    AttendanceError,
    AttendanceImport,
    EvaluationError,
    import_attendance,
    mark_attendance,
    run_scheduled,
    send_due_reminders,
    send_due_surveys,
    submit_evaluation,
    survey_open,
)
from learning.services.common import (
    RegistrationBusy,
    RegistrationError,
    personal_url,
    reminder_days,
    retention,
    survey_url,
    survey_window,
)
from learning.services.events import (
    TrackResult,
    open_track_sessions,
    register_for_event,
    register_for_track,
)
from learning.services.mail import (
    MAX_ATTEMPTS,
    SUBJECTS,
    deliver,
    queue_email,
    queue_track_email,
    retry_due_emails,
    store_and_send,
)
from learning.services.organisations import OrganisationError
from learning.services.participants import participant_key, release_keys
from learning.services.personal_data import erase_blockers, erase_personal_data
from learning.services.registrations import (
    Person,
    RegistrationResult,
    cancel_registration,
    cancel_session,
    check_open,
    move_registration,
    notify_session_changed,
    register,
)
from learning.services.requests import (
    RequestError,
    ScheduledRequest,
    SessionPlan,
    private_link_for,
    private_url,
    schedule_request,
    submit_request,
)
from learning.services.retention import anonymise_participants
from learning.services.sign_in import (
    SIGN_IN_VALID,
    consume_sign_in,
    hash_token,
    request_sign_in,
    sign_in_allowed,
    sign_in_token_valid,
)
from learning.services.staffing import give_coordinators_the_catalogue, set_session_trainers

__all__ = [
    "EVALUATION_TEXT_MAX",
    "MAX_ATTEMPTS",
    "SIGN_IN_VALID",
    "SUBJECTS",
    "AttendanceError",
    "AttendanceImport",
    "EvaluationError",
    "OrganisationError",
    "Person",
    "RegistrationBusy",
    "RegistrationError",
    "RegistrationResult",
    "RequestError",
    "ScheduledRequest",
    "SessionPlan",
    "TrackResult",
    "anonymise_participants",
    "cancel_registration",
    "cancel_session",
    "check_open",
    "consume_sign_in",
    "deliver",
    "erase_blockers",
    "erase_personal_data",
    "give_coordinators_the_catalogue",
    "hash_token",
    "import_attendance",
    "mark_attendance",
    "move_registration",
    "notify_session_changed",
    "open_track_sessions",
    "participant_key",
    "personal_url",
    "private_link_for",
    "private_url",
    "queue_email",
    "queue_track_email",
    "register",
    "register_for_event",
    "register_for_track",
    "release_keys",
    "reminder_days",
    "request_sign_in",
    "retention",
    "retry_due_emails",
    "run_scheduled",
    "schedule_request",
    "send_due_reminders",
    "send_due_surveys",
    "set_session_trainers",
    "sign_in_allowed",
    "sign_in_token_valid",
    "store_and_send",
    "submit_evaluation",
    "submit_request",
    "survey_open",
    "survey_url",
    "survey_window",
]
