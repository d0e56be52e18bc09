"""The audit trail: sensitive actions in Wagtail's own log (issue 14).

Entries appear in the admin's site history report (Reports, Site history), filterable by
action, with who and when. They never hold personal data: the logged object's label is its
``str()`` (a session, a registration's session and status, a data request's number) and the
``data`` holds counts, formats and statuses only.

Each app registers its actions with Dutch labels in its ``register_log_actions`` hook
(``register(actions, ACTION, label, message)``) and records them with ``record(...)``; the
acting user comes from Wagtail's log context (every admin view runs in one), or is empty
for actions by the system or by a participant through a personal link.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models.signals import m2m_changed
from django.utils.translation import gettext_lazy as _
from wagtail.log_actions import LogFormatter, log

# website's own actions
PERSONAL_DATA_LOOKUP = "cter.personal_data.lookup"
PERSONAL_DATA_EXPORT = "cter.personal_data.export"
PERSONAL_DATA_SELF_EXPORT = "cter.personal_data.self_export"
PERSONAL_DATA_ERASE = "cter.personal_data.erase"
ROLES_CHANGE = "cter.roles.change"
GROUP_PERMISSIONS_CHANGE = "cter.group.permissions"
TWO_FACTOR_RESET = "cter.two_factor.reset"
TWO_FACTOR_REMOVE = "cter.two_factor.remove"


class DataMessage(LogFormatter):
    """A message filled in from the entry's data, e.g. "%(count)s people"; shown without
    the details when the data does not fit (an older entry)."""

    def format_message(self, log_entry):
        try:
            return str(self.message) % (log_entry.data or {})
        except (KeyError, TypeError, ValueError):
            return str(self.label)


def register(actions, action: str, label, message) -> None:
    """Register an action type (Dutch label for the report's filter, Dutch message)."""
    actions.register_action(action)(
        type("AuditMessage", (DataMessage,), {"label": label, "message": message})
    )


def record(instance, action: str, *, data: dict | None = None, timestamp=None) -> None:
    """Write one entry for ``instance``; the user comes from Wagtail's log context."""
    kwargs = {"data": data or {}}
    if timestamp is not None:
        kwargs["timestamp"] = timestamp
    log(instance, action, **kwargs)


def register_website_actions(actions) -> None:
    register(
        actions,
        PERSONAL_DATA_LOOKUP,
        _("Look up a person's data"),
        _("Looked up a person's data (%(records)s records)"),
    )
    register(
        actions,
        PERSONAL_DATA_EXPORT,
        _("Export a person's data"),
        _("Exported a person's data as %(format)s (%(records)s records)"),
    )
    register(
        actions,
        PERSONAL_DATA_SELF_EXPORT,
        _("Own data exported by the person"),
        _("The person exported their own data as %(format)s (%(records)s records)"),
    )
    register(
        actions,
        PERSONAL_DATA_ERASE,
        _("Erase a person's data"),
        _("Erased a person's data (%(records)s records)"),
    )
    register(
        actions,
        ROLES_CHANGE,
        _("Change roles"),
        _("Roles changed: added %(added)s; removed %(removed)s"),
    )
    register(
        actions,
        GROUP_PERMISSIONS_CHANGE,
        _("Change a role's permissions"),
        _("Permissions changed: added %(added)s; removed %(removed)s"),
    )
    register(
        actions,
        TWO_FACTOR_RESET,
        _("Reset two-factor authentication"),
        _("Two-factor authentication reset by an administrator"),
    )
    register(
        actions,
        TWO_FACTOR_REMOVE,
        _("Switch off two-factor authentication"),
        _("Two-factor authentication switched off"),
    )


# ----- role changes, wherever they are made (user editor, bulk action, shell) -----------------


def _names(values) -> str:
    return ", ".join(sorted(values)) or "-"


def _user_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    User = get_user_model()
    if action == "pre_clear":
        # a clear is followed by nothing we could compare; record what is removed
        if isinstance(instance, User):
            names = list(instance.groups.values_list("name", flat=True))
            if names:
                record(instance, ROLES_CHANGE, data={"added": "-", "removed": _names(names)})
        return
    if isinstance(instance, User):  # user.groups.add(...)
        changes = {
            instance: list(Group.objects.filter(pk__in=pk_set).values_list("name", flat=True))
        }
    else:  # group.user_set.add(...)
        changes = {user: [instance.name] for user in User.objects.filter(pk__in=pk_set)}
    for user, names in changes.items():
        added = _names(names) if action == "post_add" else "-"
        removed = _names(names) if action == "post_remove" else "-"
        if names:
            record(user, ROLES_CHANGE, data={"added": added, "removed": removed})


def _group_permissions_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or reverse or not pk_set:
        return
    names = [
        f"{app}.{codename}"
        for app, codename in model.objects.filter(pk__in=pk_set).values_list(
            "content_type__app_label", "codename"
        )
    ]
    added = _names(names) if action == "post_add" else "-"
    removed = _names(names) if action == "post_remove" else "-"
    record(instance, GROUP_PERMISSIONS_CHANGE, data={"added": added, "removed": removed})


def connect() -> None:
    """Role changes are recorded however they are made: the user editor, Wagtail's bulk
    "assign role" action or the shell (Django's m2m signal is the one place they all pass)."""
    User = get_user_model()
    m2m_changed.connect(
        _user_groups_changed, sender=User.groups.through, dispatch_uid="cter_roles_change"
    )
    m2m_changed.connect(
        _group_permissions_changed,
        sender=Group.permissions.through,
        dispatch_uid="cter_group_permissions_change",
    )
