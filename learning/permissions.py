"""Who may use the coordinator screens: one permission policy per screen family.

Every coordinator view (Wagtail's generic views through `permission_policy` +
`permission_required`, the plain views and the menu items through `user_may_coordinate`)
checks these, so moving to the roles' own permissions is a one-line change here.
Today: `learning.change_registration` (sessions, registrations, attendance, exports,
evaluations, organisation history)."""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

# A model name, not the class: the training editor's panels (learning.models) use it too.
coordinator_policy = ModelPermissionPolicy("learning.Registration")
COORDINATOR_ACTION = "change"  # -> learning.change_registration


def user_may_coordinate(user) -> bool:
    return coordinator_policy.user_has_permission(user, COORDINATOR_ACTION)
