"""Editor panels of the training page that are not model fields."""

from __future__ import annotations

from urllib.parse import urlencode

from django.urls import reverse
from wagtail.admin.panels import Panel

from learning.permissions import user_may_coordinate


class SessionsLinkPanel(Panel):
    """From a training in the editor to its sessions and registrations (coordinators);
    the session screen links back to the editor."""

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning/admin/sessions_link_panel.html"

        @property
        def url(self):
            query = urlencode({"training": self.instance.pk, "start": ""})
            return f"{reverse('learning_admin:sessions')}?{query}"

        def is_shown(self):
            return bool(self.instance.pk) and user_may_coordinate(self.request.user)
