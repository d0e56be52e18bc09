"""Who may use the coordinator screens: the permission policies the generic views check.

Sessions and registrations: ``learning.access.policy`` (roles, issue 14: coordinators on
every session through model permissions, trainers on the sessions they lead). The reports
below use Wagtail's model permission policies, so each is a one-line change here:

- evaluations: ``learning.view_evaluation``
- organisations: ``learning.view_organisation``
"""

from __future__ import annotations

from wagtail.permission_policies import ModelPermissionPolicy

# Model names, not classes: the training editor's panels (learning.models) import this.
evaluations_policy = ModelPermissionPolicy("learning.Evaluation")
organisations_policy = ModelPermissionPolicy("learning.Organisation")
