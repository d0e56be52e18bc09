"""Coordinator screens for in-company sessions: turn a request (snippet "Aanvragen")
into a session of a training not listed publicly, and show or make a session's private
registration link. The rules are in ``learning.services.requests``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.widgets.button import Button

from learning import services
from learning.models import (
    RequestStatus,
    Session,
    TrainingPage,
    TrainingRequest,
)
from website.models import Region

PERMISSION = "learning.change_trainingrequest"  # planning requests into sessions and private links: the Coördinator (roles)


def _check(user):
    if not user.has_perm(PERMISSION):
        raise PermissionDenied


def _id(value: int) -> int:
    """A primary key from the URL; beyond 64 bits it cannot exist, so 404."""
    if not 0 < value < 2**63:
        raise Http404
    return value


class TrainingChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if obj.unlisted:
            return _("%(title)s (not listed publicly)") % {"title": obj.title}
        return obj.title


class SessionPlanForm(forms.Form):
    training = TrainingChoiceField(
        label=gettext_lazy("Training"),
        queryset=TrainingPage.objects.none(),
        empty_label=gettext_lazy("Choose a training"),
        help_text=gettext_lazy(
            "A training from the catalogue is copied as a training that is not listed "
            "publicly; a training that is already not listed gets the session as it is."
        ),
        error_messages={
            "required": gettext_lazy("Choose a training."),
            "invalid_choice": gettext_lazy("Choose a training."),
        },
    )
    date = forms.DateField(
        label=gettext_lazy("Date"),
        widget=forms.DateInput({"type": "date"}),
        error_messages={"required": gettext_lazy("Fill in the date.")},
    )
    start_time = forms.TimeField(
        label=gettext_lazy("Start time"),
        widget=forms.TimeInput({"type": "time"}),
        error_messages={"required": gettext_lazy("Fill in the start time.")},
    )
    end_time = forms.TimeField(
        label=gettext_lazy("End time"),
        widget=forms.TimeInput({"type": "time"}),
        error_messages={"required": gettext_lazy("Fill in the end time.")},
    )
    capacity = forms.IntegerField(
        label=gettext_lazy("Capacity"), min_value=1, max_value=1000, initial=20
    )
    online = forms.BooleanField(label=gettext_lazy("Online"), required=False)
    location = forms.CharField(
        label=gettext_lazy("Location (address)"),
        required=False,
        max_length=500,
        widget=forms.Textarea({"rows": 2}),
    )
    join_url = forms.URLField(
        label=gettext_lazy("Join link"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=gettext_lazy("Only shown to confirmed registrants."),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=gettext_lazy("No region"),
    )
    email_contact = forms.BooleanField(
        label=gettext_lazy("E-mail the private link to the contact person of the request"),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = TrainingPage.objects.live().order_by("title")

    def clean(self):
        data = super().clean()
        if not data.get("online") and not (data.get("location") or "").strip():
            self.add_error("location", _("Fill in the address, or tick online."))
        return data

    def plan(self) -> services.SessionPlan:
        data = self.cleaned_data
        return services.SessionPlan(
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            capacity=data["capacity"],
            online=data["online"],
            location=data["location"].strip(),
            join_url=data["join_url"],
            region=data["region"],
        )


def _initial(req: TrainingRequest) -> dict:
    region = req.region
    if region is None and req.municipality_id:
        region = req.municipality.region
    wanted = TrainingPage.objects.live().filter(title__iexact=req.wanted.strip()).first()
    return {
        "capacity": req.group_size or 20,
        "region": region,
        "training": wanted,
        "email_contact": bool(req.contact_email),
    }


def plan_session(request, request_id: int):
    _check(request.user)
    req = get_object_or_404(
        TrainingRequest.objects.select_related("municipality__region", "region", "session"),
        pk=_id(request_id),
    )
    form = SessionPlanForm(request.POST or None, initial=_initial(req))
    if request.method == "POST" and form.is_valid():
        try:
            scheduled = services.schedule_request(
                request_id=req.pk,
                training_id=form.cleaned_data["training"].pk,
                plan=form.plan(),
                now=timezone.now(),
                user=request.user,
                email_contact=form.cleaned_data["email_contact"],
            )
        except services.RegistrationError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(
                request,
                _("The session is planned. People register through its private link, shown below."),
            )
            return redirect("learning_admin:session", session_id=scheduled.session.pk)
    return render(
        request,
        "learning/admin/request_plan.html",
        {
            "req": req,
            "form": form,
            "header_title": _("Plan a session for: %(request)s") % {"request": str(req)},
        },
        status=400 if form.errors else 200,
    )


@require_POST
def make_private_link(request, session_id: int):
    _check(request.user)
    session = get_object_or_404(Session, pk=_id(session_id))
    services.private_link_for(session_id=session.pk, now=timezone.now())
    messages.success(request, _("The private registration link is ready."))
    return redirect("learning_admin:session", session_id=session.pk)


# ----- hooks -----------------------------------------------------------------------------------

urls = (
    [
        path("aanvragen/<int:request_id>/sessie/", plan_session, name="plan"),
        path(
            "sessies/<int:session_id>/besloten-link/",
            make_private_link,
            name="private_link",
        ),
    ],
    "learning_in_company",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("trainingen/", include(urls))]


@hooks.register("register_snippet_listing_buttons")
def request_buttons(snippet, user, next_url=None):
    """ "Plan a session" (and "Planned session") on each request in the list."""
    if not isinstance(snippet, TrainingRequest) or not user.has_perm(PERMISSION):
        return []
    buttons = []
    if snippet.session_id:
        buttons.append(
            Button(
                _("Planned session"),
                reverse("learning_admin:session", args=[snippet.session_id]),
                icon_name="date",
                priority=20,
            )
        )
    if snippet.status != RequestStatus.DECLINED:
        buttons.append(
            Button(
                _("Plan a session"),
                reverse("learning_in_company:plan", args=[snippet.pk]),
                icon_name="calendar-alt",
                priority=21,
            )
        )
    return buttons
