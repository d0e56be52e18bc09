"""Learning's entries in the audit trail (see ``website.audit``): who exported, moved,
cancelled, marked or merged what, and when; never whose data."""

from django.utils.translation import gettext_lazy as _

from website.audit import record, register

EXPORT = "cter.registrations.export"
MOVE = "cter.registration.move"
CANCEL = "cter.registration.cancel"
ATTENDANCE = "cter.attendance.mark"
ATTENDANCE_IMPORT = "cter.attendance.import"
SESSION_CANCEL = "cter.session.cancel"
TRAINERS = "cter.session.trainers"
ORGANISATION_VERIFY = "cter.organisation.verify"
# Merging organisations is logged by learning.services.organisations (MERGE_ACTION).

__all__ = ["record"]


def register_actions(actions) -> None:
    register(
        actions,
        EXPORT,
        _("Export a participant list"),
        _("Participant list exported as %(format)s (%(count)s registrations)"),
    )
    register(
        actions,
        MOVE,
        _("Move a registration"),
        _("Registration moved from %(from)s to %(to)s"),
    )
    register(actions, CANCEL, _("Cancel a registration"), _("Registration cancelled"))
    register(
        actions,
        ATTENDANCE,
        _("Mark attendance"),
        _("%(count)s registrations marked: %(attendance)s"),
    )
    register(
        actions,
        ATTENDANCE_IMPORT,
        _("Import attendance"),
        _("Attendance imported: %(present)s present, %(absent)s marked absent"),
    )
    register(
        actions,
        SESSION_CANCEL,
        _("Cancel a session"),
        _("Session cancelled; %(count)s people notified"),
    )
    register(
        actions,
        TRAINERS,
        _("Assign trainers"),
        _("Trainers of the session set (%(count)s)"),
    )
    register(
        actions,
        ORGANISATION_VERIFY,
        _("Check an organisation"),
        _("Organisation %(state)s"),
    )
