"""Editor panels of the learning pages."""

from __future__ import annotations

from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.forms import BaseChildFormSet
from wagtail.admin.panels import InlinePanel, Panel

# Who may cancel a session (the coordinators' "Sessie annuleren"); the same permission
# the cancel screen checks (learning.access.ACTIONS["change"]).
CANCEL_SESSION_PERMISSION = "learning.change_session"


class SessionStatusPanel(Panel):
    """A session's status, read-only in the page editor. Saving or publishing a training
    never cancels a session: coordinators cancel through "Sessie annuleren", which asks
    first, says how many people will be e-mailed and runs the ``cancel_session`` service.
    The panel links there for those who may; others see who can."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("status"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "learning/panels/session_status.html"

        def get_context_data(self, parent_context=None):
            from learning.models import SessionStatus  # noqa: PLC0415 (cycle: models import panels)

            context = super().get_context_data(parent_context)
            session = self.instance
            saved = session is not None and session.pk is not None
            if saved:
                # The editor shows the latest revision; its status may be older than the
                # stored one (which is what counts, see Session.save()).
                stored = type(session).objects.filter(pk=session.pk).values("status").first()
                if stored:
                    session.status = stored["status"]
            may_cancel = self.request is not None and self.request.user.has_perm(
                CANCEL_SESSION_PERMISSION
            )
            context.update(
                status=session.get_status_display() if session is not None else "",
                saved=saved,
                cancel_url=reverse("learning_admin:session_cancel", args=[session.pk])
                if saved and may_cancel and session.status == SessionStatus.PLANNED
                else "",
                may_cancel=may_cancel,
                cancelled=saved and session.status == SessionStatus.CANCELLED,
            )
            return context


class SessionFormSet(BaseChildFormSet):
    """Sessions that people registered for are not deleted (registrations point at them,
    and the people would not hear of it): the editor says so next to the sessions and
    points to cancelling, instead of failing when the page is published."""

    def clean(self):
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        if (
            doomed
            and self.model.objects.filter(pk__in=doomed, registrations__isnull=False).exists()
        ):
            raise ValidationError(
                _(
                    "A session that people registered for cannot be deleted. Keep it and "
                    "let a coordinator cancel it (Sessions, Cancel the session): everyone "
                    "registered is e-mailed."
                ),
                code="session_has_registrations",
            )


class SessionsPanel(InlinePanel):
    """The training's sessions, with ``SessionFormSet``'s rule on deleting."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = SessionFormSet
        return options


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
            # learning.access.ACTIONS["view"] (access imports the models, which import us)
            return bool(self.instance.pk) and self.request.user.has_perm(
                "learning.view_registration"
            )


class WorkshopFormSet(BaseChildFormSet):
    """A workshop people chose is not deleted (their choice would vanish without a word);
    the editor says so next to the workshops."""

    def clean(self):
        super().clean()
        doomed = [form.instance.pk for form in self.deleted_forms if form.instance.pk]
        if doomed and self.model.objects.filter(pk__in=doomed, choices__isnull=False).exists():
            raise ValidationError(
                _(
                    "A workshop that participants chose cannot be deleted. Change its title "
                    "or room instead, or ask a coordinator to contact the participants first."
                ),
                code="workshop_has_choices",
            )


class WorkshopsPanel(InlinePanel):
    """A network event's workshops, with ``WorkshopFormSet``'s rule on deleting."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["formset"] = WorkshopFormSet
        return options
