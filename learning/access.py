"""Who may do what with sessions and their registrations (roles, issue 14).

Coordinators act on every session through model permissions. Trainers hold one permission,
``learning.lead_sessions``, which counts only for the sessions they are linked to
(``Session.trainers``): there they see the participants, mark attendance and read the
evaluations; nothing else. The policy follows Wagtail's permission-policy protocol, so
Wagtail's generic views can use it as ``permission_policy``.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from wagtail.permission_policies.base import BasePermissionPolicy

from learning.models import Session

LEAD = "learning.lead_sessions"

# action -> the model permission that allows it on every session
ACTIONS = {
    "view": "learning.view_registration",
    "participants": "learning.view_participant_data",
    "attendance": "learning.mark_attendance",
    "evaluations": "learning.view_evaluation",
    "register": "learning.add_registration",
    "move": "learning.change_registration",
    "export": "learning.export_registrations",
    "change": "learning.change_session",
}
# what a trainer may do on the sessions they lead
TRAINER_ACTIONS = frozenset({"view", "participants", "attendance", "evaluations"})


class SessionPermissionPolicy(BasePermissionPolicy):
    def __init__(self):
        super().__init__(Session)

    def _model_permission(self, action: str) -> str:
        try:
            return ACTIONS[action]
        except KeyError:
            raise ValueError(f"Unknown session action: {action}") from None

    def _leads(self, user, action: str) -> bool:
        return action in TRAINER_ACTIONS and user.is_active and user.has_perm(LEAD)

    def user_has_permission(self, user, action):
        """On some session (menus, lists): a coordinator, or a trainer for their own."""
        return user.has_perm(self._model_permission(action)) or self._leads(user, action)

    def user_has_permission_for_instance(self, user, action, instance):
        if user.has_perm(self._model_permission(action)):
            return True
        return self._leads(user, action) and instance.trainers.filter(pk=user.pk).exists()

    def instances_user_has_permission_for(self, user, action):
        if user.has_perm(self._model_permission(action)):
            return Session.objects.all()
        if self._leads(user, action):
            return Session.objects.filter(trainers=user)
        return Session.objects.none()

    def users_with_any_permission(self, actions):
        """Active accounts that may do any of ``actions`` on some session."""
        codenames = {self._model_permission(action).split(".", 1)[1] for action in actions}
        if TRAINER_ACTIONS.intersection(actions):
            codenames.add(LEAD.split(".", 1)[1])
        permissions = Permission.objects.filter(
            content_type__app_label="learning", codename__in=codenames
        )
        return (
            get_user_model()
            .objects.filter(is_active=True)
            .filter(
                Q(is_superuser=True)
                | Q(groups__permissions__in=permissions)
                | Q(user_permissions__in=permissions)
            )
            .distinct()
        )

    def users_with_permission(self, action):
        return self.users_with_any_permission([action])


policy = SessionPermissionPolicy()


def require(user, action: str, session: Session | None = None) -> None:
    """Raise PermissionDenied unless the user may do ``action`` (on ``session``)."""
    allowed = (
        policy.user_has_permission(user, action)
        if session is None
        else policy.user_has_permission_for_instance(user, action, session)
    )
    if not allowed:
        raise PermissionDenied


def session_actions(user, session: Session) -> dict[str, bool]:
    """Every action for one session, for templates (which buttons to show); one query
    at most (is the user one of its trainers?)."""
    leads = None
    allowed = {}
    for action, permission in ACTIONS.items():
        if user.has_perm(permission):
            allowed[action] = True
        elif policy._leads(user, action):
            if leads is None:
                leads = session.trainers.filter(pk=user.pk).exists()
            allowed[action] = leads
        else:
            allowed[action] = False
    return allowed


def trainer_accounts():
    """Active accounts that may lead sessions (the trainer permission, through a group or
    given directly), by name."""
    permission = Permission.objects.filter(
        content_type__app_label="learning", codename="lead_sessions"
    )
    User = get_user_model()
    return (
        User.objects.filter(is_active=True)
        .filter(Q(groups__permissions__in=permission) | Q(user_permissions__in=permission))
        .distinct()
        .order_by("first_name", "last_name", "username")
    )
