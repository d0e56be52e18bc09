"""Coordinator screens in the Wagtail admin: sessions, registrations, exports."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from learning import access, audit, exports, selectors, services
from learning.attendance_csv import AttendanceFileError
from learning.forms import AttendanceImportForm, RegistrationForm
from learning.models import (
    ACTIVE_STATUSES,
    ActivityLine,
    Attendance,
    Organisation,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    TrainingPage,
)
from website.forms import IdModelChoiceField
from website.hooks import ActivityStatus

EVALUATIONS = "learning.view_evaluation"
ORGANISATIONS = "learning.view_organisation"


def _check(request, permission: str) -> None:
    if not request.user.has_perm(permission):
        raise PermissionDenied


def _session_for(request, action: str, session_id: int, queryset=None) -> Session:
    """The session, if the user may do ``action`` on it (a coordinator on any session, a
    trainer on the sessions they lead); 404 for an unknown id, refused otherwise."""
    session = get_object_or_404(queryset if queryset is not None else Session, pk=session_id)
    access.require(request.user, action, session)
    return session


class SessionFilterForm(forms.Form):
    training = IdModelChoiceField(
        label=gettext_lazy("Training"),
        queryset=TrainingPage.objects.all(),
        required=False,
        empty_label=gettext_lazy("All trainings"),
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        choices=[("", gettext_lazy("All statuses")), *SessionStatus.choices],
        required=False,
    )
    start = forms.DateField(
        label=gettext_lazy("From"), required=False, widget=forms.DateInput({"type": "date"})
    )
    end = forms.DateField(
        label=gettext_lazy("Until"), required=False, widget=forms.DateInput({"type": "date"})
    )
    # The coordinator dashboard links its yearly-target numbers here (learning.selectors.
    # activity_counts): the sessions of a year, target line and counting status.
    year = forms.IntegerField(
        label=gettext_lazy("Year"), required=False, min_value=2000, max_value=2100
    )
    line = forms.ChoiceField(
        label=gettext_lazy("Counts towards"),
        choices=[("", gettext_lazy("All target lines")), *ActivityLine.choices],
        required=False,
    )
    activity = forms.ChoiceField(
        label=gettext_lazy("Counts as"),
        choices=[("", gettext_lazy("Anything")), *ActivityStatus.choices],
        required=False,
    )


def session_list(request):
    access.require(request.user, "view")
    form = SessionFilterForm(request.GET or None)
    visible = access.policy.instances_user_has_permission_for(request.user, "view")
    sessions = visible.select_related("page", "region").annotate(
        confirmed=Count("registrations", filter=Q(registrations__status="confirmed")),
        waiting=Count("registrations", filter=Q(registrations__status="waiting")),
    )
    if form.is_valid():
        data = form.cleaned_data
        if data["training"]:
            sessions = sessions.filter(page=data["training"])
        if data["status"]:
            sessions = sessions.filter(status=data["status"])
        if data["start"]:
            sessions = sessions.filter(ends_at__date__gte=data["start"])
        if data["end"]:
            sessions = sessions.filter(starts_at__date__lte=data["end"])
        if data["year"]:
            sessions = selectors.in_year(sessions, data["year"])
        if data["line"] or data["activity"]:
            sessions = selectors.with_activity(sessions, now=timezone.now())
        if data["line"]:
            sessions = sessions.filter(activity_line=data["line"])
        if data["activity"]:
            sessions = sessions.filter(activity_status=data["activity"])
    else:
        sessions = sessions.filter(ends_at__gte=timezone.now() - dt.timedelta(days=30))
    return render(
        request,
        "learning/admin/session_list.html",
        {
            "form": form,
            "sessions": sessions.order_by("starts_at")[:500],
            "header_title": _("Sessions"),
        },
    )


class TrainerForm(forms.Form):
    """Which trainer accounts lead the session; the choices are the accounts with the
    role Trainer."""

    trainers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Trainers"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy(
            "They see the participants of this session, mark attendance and read its "
            "evaluations in the admin. Accounts get the role Trainer under Settings, Users."
        ),
    )

    def __init__(self, *args, session: Session, choices, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainers"].queryset = choices
        if not self.is_bound:
            self.fields["trainers"].initial = [user.pk for user in session.trainers.all()]
        self.fields["trainers"].label_from_instance = lambda user: (
            user.get_full_name() or user.get_username()
        )


@require_POST
def session_trainers(request, session_id: int):
    session = _session_for(request, "change", session_id)
    form = TrainerForm(request.POST, session=session, choices=access.trainer_accounts())
    if form.is_valid():
        try:
            services.set_session_trainers(
                session_id=session.pk, user_ids=[user.pk for user in form.cleaned_data["trainers"]]
            )
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Trainers of this session saved."))
    else:
        messages.error(request, _("Choose trainers from the list."))
    return redirect("learning_admin:session", session_id=session.pk)


class ManualAddForm(RegistrationForm):
    """The public form without consent (the coordinator records it on paper) and
    without the honeypot."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["consent"]
        del self.fields["website"]


def session_detail(request, session_id: int):
    session = _session_for(
        request,
        "view",
        session_id,
        Session.objects.select_related("page", "region", "private_link"),
    )
    allowed = access.session_actions(request.user, session)
    status = request.GET.get("status", "")
    registrations = session.registrations.select_related(
        "participant", "organisation", "municipality", "target_group"
    ).order_by("created_at", "pk")
    if status in RegistrationStatus.values:
        registrations = registrations.filter(status=status)
    if request.method == "POST" and not allowed["register"]:
        raise PermissionDenied
    add_form = ManualAddForm(request.POST or None, prefix="add") if allowed["register"] else None
    if request.method == "POST" and add_form.is_valid():
        municipality, scope = add_form.municipality_values()
        data = add_form.cleaned_data
        person = services.Person(
            first_name=data["first_name"],
            last_name=data["last_name"],
            email=data["email"],
            function=data["function"],
            organisation=data["organisation"],
            target_group_id=data["target_group"].pk,
            municipality=municipality,
            municipality_scope=scope,
            needs=data["needs"],
        )
        try:
            result = services.register(session_id=session.pk, person=person, now=timezone.now())
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Added: %(status)s") % {"status": result.registration.get_status_display()},
            )
            return redirect("learning_admin:session", session_id=session.pk)
    counts = dict(session.registrations.values_list("status").annotate(n=Count("pk")).order_by())
    trainer_accounts = access.trainer_accounts()
    return render(
        request,
        "learning/admin/session_detail.html",
        {
            "session": session,
            "registrations": registrations if allowed["participants"] else None,
            "allowed": allowed,
            "show_email": request.user.has_perm("learning.view_participant_data"),
            "trainer_form": TrainerForm(session=session, choices=trainer_accounts)
            if allowed["change"]
            else None,
            "trainer_accounts_exist": allowed["change"] and trainer_accounts.exists(),
            "add_form": add_form,
            "status": status,
            "counts": counts,
            "statuses": RegistrationStatus.choices,
            "attendance_choices": Attendance.choices,
            "attendance_counts": selectors.attendance_counts(session.pk),
            "evaluation": selectors.evaluation_for_session(session_id=session.pk)
            if allowed["evaluations"] and session.starts_at <= timezone.now()
            else None,
            "header_title": str(session),
        },
    )


@require_POST
def registration_move(request, registration_id: int):
    access.require(request.user, "move")
    registration = get_object_or_404(Registration, pk=registration_id)
    target = request.POST.get("status", "")
    now = timezone.now()
    if target == RegistrationStatus.CANCELLED:
        # Cancelling goes through its own confirmation page.
        return redirect("learning_admin:registration_cancel", registration_id=registration.pk)
    try:
        if target in (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITING):
            services.move_registration(registration_id=registration.pk, status=target, now=now)
        messages.success(request, _("Registration updated."))
    except services.RegistrationError as exc:
        messages.error(request, exc.message)
    return redirect("learning_admin:session", session_id=registration.session_id)


def registration_cancel(request, registration_id: int):
    """GET: ask for confirmation (names the person and the session); POST: cancel."""
    access.require(request.user, "move")
    registration = get_object_or_404(
        Registration.objects.select_related("session__page", "participant"), pk=registration_id
    )
    back = redirect("learning_admin:session", session_id=registration.session_id)
    if registration.status == RegistrationStatus.CANCELLED:
        messages.info(request, _("This registration was already cancelled."))
        return back
    if request.method == "POST":
        try:
            services.cancel_registration(registration_id=registration.pk, now=timezone.now())
        except services.RegistrationError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Registration of %(name)s cancelled; a confirmation e-mail was sent.")
                % {"name": _participant_name(registration)},
            )
        return back
    session = registration.session
    return render(
        request,
        "learning/admin/confirm_registration_cancel.html",
        {
            "registration": registration,
            "session": session,
            "name": _participant_name(registration),
            "header_title": _("Cancel registration"),
        },
    )


def _participant_name(registration: Registration) -> str:
    participant = registration.participant
    return f"{participant.first_name} {participant.last_name}".strip() or participant.email


def session_cancel(request, session_id: int):
    """GET: ask for confirmation (how many people will be e-mailed); POST: cancel."""
    session = _session_for(request, "change", session_id, Session.objects.select_related("page"))
    if request.method == "POST":
        count = services.cancel_session(session_id=session.pk, now=timezone.now())
        messages.success(
            request,
            ngettext(
                "Session cancelled; %(count)d person notified.",
                "Session cancelled; %(count)d people notified.",
                count,
            )
            % {"count": count},
        )
        return redirect("learning_admin:session", session_id=session.pk)
    active = session.registrations.filter(status__in=ACTIVE_STATUSES).count()
    if session.status == SessionStatus.CANCELLED and not active:
        messages.info(request, _("This session was already cancelled."))
        return redirect("learning_admin:session", session_id=session.pk)
    return render(
        request,
        "learning/admin/confirm_session_cancel.html",
        {
            "session": session,
            "active": active,
            "header_title": _("Cancel session: %(session)s") % {"session": session},
        },
    )


@require_POST
def session_notify_changed(request, session_id: int):
    _session_for(request, "change", session_id)
    count = services.notify_session_changed(session_id=session_id, now=timezone.now())
    messages.success(request, _("Updated invitations sent to %(count)d people.") % {"count": count})
    return redirect("learning_admin:session", session_id=session_id)


EXPORT_FORMATS = ("csv", "xlsx")


def session_export(request, session_id: int, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    session = _session_for(request, "export", session_id)
    if fmt == "xlsx":
        body = exports.as_xlsx(session)
        ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    else:
        body, ctype = exports.as_csv(session), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="deelnemers-sessie-{session.pk}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    audit.record(
        session,
        audit.EXPORT,
        data={"format": "XLSX" if fmt == "xlsx" else "CSV", "count": session.registrations.count()},
    )
    return response


# ----- attendance, evaluations and organisation history (issue 4) ------------------------------


@require_POST
def session_attendance(request, session_id: int):
    """Bulk attendance: the checked registrations (or all confirmed ones) present, absent
    or back to unknown. A plain form: works without JavaScript, buttons by keyboard."""
    session = _session_for(request, "attendance", session_id)
    attendance = request.POST.get("attendance", "")
    if request.POST.get("scope") == "all":
        ids = None
    else:
        # Only plausible primary keys: a forged 5000-digit number or 100 000 ids must
        # not reach the database (integer overflow, too many SQL variables).
        ids = list(
            {
                int(x)
                for x in request.POST.getlist("registrations")[:5000]
                if x.isdigit() and len(x) <= 18
            }
        )
        if not ids:
            messages.error(
                request,
                _('Select at least one registration, or choose "all confirmed registrations".'),
            )
            return redirect("learning_admin:session", session_id=session.pk)
    try:
        count = services.mark_attendance(
            session_id=session.pk,
            attendance=attendance,
            registration_ids=ids,
            now=timezone.now(),
        )
    except services.AttendanceError as exc:
        messages.error(request, exc.message)
    else:
        label = Attendance(attendance).label
        messages.success(
            request,
            ngettext(
                "%(count)d registration marked: %(label)s.",
                "%(count)d registrations marked: %(label)s.",
                count,
            )
            % {"count": count, "label": label},
        )
    return redirect("learning_admin:session", session_id=session.pk)


def session_attendance_import(request, session_id: int):
    """Upload the webinar tool's attendance export; show what matched and what did not."""
    session = _session_for(
        request, "attendance", session_id, Session.objects.select_related("page")
    )
    bound = request.method == "POST"
    form = AttendanceImportForm(request.POST if bound else None, request.FILES if bound else None)
    result = None
    if request.method == "POST" and form.is_valid():
        try:
            result = services.import_attendance(
                session_id=session.pk,
                data=form.cleaned_data["file"].read(),
                absent_if_missing=form.cleaned_data["absent_if_missing"],
                now=timezone.now(),
            )
        except AttendanceFileError as exc:
            form.add_error("file", str(exc))
        except services.AttendanceError as exc:
            form.add_error(None, exc.message)
    return render(
        request,
        "learning/admin/attendance_import.html",
        {
            "session": session,
            "form": form,
            "result": result,
            "header_title": _("Import attendance: %(session)s") % {"session": session},
        },
    )


def evaluation_overview(request):
    _check(request, EVALUATIONS)
    return render(
        request,
        "learning/admin/evaluation_overview.html",
        {
            "rows": selectors.evaluation_by_training(now=timezone.now()),
            "header_title": _("Evaluations"),
        },
    )


def evaluation_training(request, page_id: int):
    _check(request, EVALUATIONS)
    page = get_object_or_404(TrainingPage, pk=page_id)
    return render(
        request,
        "learning/admin/evaluation_training.html",
        {
            "page": page,
            **selectors.evaluation_for_training(page_id=page.pk),
            "header_title": _("Evaluations: %(title)s") % {"title": page.title},
        },
    )


def organisation_list(request):
    _check(request, ORGANISATIONS)
    query = request.GET.get("q", "").strip()[:100]
    return render(
        request,
        "learning/admin/organisation_list.html",
        {
            "organisations": selectors.organisations_with_counts(query=query),
            "query": query,
            "header_title": _("Training history per organisation"),
        },
    )


def organisation_detail(request, organisation_id: int):
    _check(request, ORGANISATIONS)
    organisation = get_object_or_404(
        Organisation.objects.select_related("sector", "municipality"), pk=organisation_id
    )
    if organisation.merged_into_id:  # merged: its history is the other organisation's now
        return redirect(
            "learning_reports:organisation", organisation_id=organisation.merged_into_id
        )
    return render(
        request,
        "learning/admin/organisation_detail.html",
        {
            "organisation": organisation,
            "registrations": selectors.organisation_history(organisation_id=organisation.pk),
            "header_title": _("Training history: %(name)s") % {"name": organisation.name},
        },
    )


@require_POST
def organisation_verify(request, organisation_id: int):
    """Coordinators mark an organisation as checked (real), so it is offered as a
    suggestion on the public registration form, or take that back."""
    _check(request, "learning.change_organisation")
    organisation = get_object_or_404(Organisation, pk=organisation_id)
    verified = request.POST.get("verified") == "1"
    Organisation.objects.filter(pk=organisation.pk).update(verified=verified)
    state = _("marked as checked") if verified else _("no longer marked as checked")
    audit.record(organisation, audit.ORGANISATION_VERIFY, data={"state": str(state)})
    if verified:
        text = _("%(name)s is marked as checked and is now suggested on the registration form.")
    else:
        text = _("%(name)s is no longer suggested on the registration form.")
    messages.success(request, text % {"name": organisation.name})
    target = request.POST.get("next", "")
    if target == "detail":
        return redirect("learning_reports:organisation", organisation_id=organisation.pk)
    return redirect("learning_reports:organisations")
