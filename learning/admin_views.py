"""Coordinator screens in the Wagtail admin: sessions, registrations, exports."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, QuerySet
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView

from learning import access, audit, selectors, services
from learning.admin_filters import RegistrationFilterSet, SessionFilterSet
from learning.attendance_csv import AttendanceFileError
from learning.forms import AttendanceImportForm, RegistrationForm
from learning.models import (
    ACTIVE_STATUSES,
    Attendance,
    Kind,
    Organisation,
    Registration,
    RegistrationStatus,
    Session,
    SessionStatus,
    TrainingPage,
)
from learning.permissions import evaluations_policy, organisations_policy
from learning.templatetags.learning_admin import session_status
from website.admin_exports import CoordinatorExportMixin

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


class CompactColumn(Column):
    """A plain text cell without the whitespace of Wagtail's cell template."""

    cell_template_name = "learning/admin/cells/text.html"


class CompactTitleColumn(TitleColumn):
    """A link cell without the whitespace of Wagtail's title cell template."""

    cell_template_name = "learning/admin/cells/link.html"


def _local(value) -> str:
    return date_format(timezone.localtime(value), "j F Y H:i") if value else ""


def _default_start():
    return timezone.localdate() - dt.timedelta(days=30)


class CoordinatorReportView(CoordinatorExportMixin, ReportView):
    """Wagtail's report view (filters through django-filter, ordering, pagination,
    `?export=csv|xlsx`) behind the coordinators' permission policy."""

    # Sessions: learning.access.policy (coordinators on every session, trainers on the
    # sessions they lead); the evaluation and organisation reports set their own policy.
    permission_policy = access.policy
    permission_required = "view"
    template_name = "admin/report.html"
    results_template_name = "admin/report_results.html"
    # Pages of the list come from one fetch of at most this many rows (no separate COUNT
    # query); the exports are not capped.
    max_rows = 1000

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.export_format = kwargs.get("fmt") or request.GET.get("export")
        self.is_export = self.export_format in self.FORMATS

    def get(self, request, *args, **kwargs):
        if self.is_export:  # the rows only: no page furniture, no extra queries
            return self.as_spreadsheet(self.export_rows(), self.export_format)
        return super().get(request, *args, **kwargs)

    def export_rows(self):
        return self.get_filtered_queryset()

    def paginate_queryset(self, queryset, page_size):
        if isinstance(queryset, QuerySet):
            queryset = list(queryset[: self.max_rows])
        return super().paginate_queryset(queryset, page_size)

    @cached_property
    def header_more_buttons(self):
        return []  # the export buttons stand in the page (no JavaScript needed)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["csv_export_url"] = self.csv_export_url
        context["xlsx_export_url"] = self.xlsx_export_url
        return context


class SessionListView(CoordinatorReportView):
    """Sessies: every session with its training, kind, level, start, status and counts.
    Without a "from" date in the query the list starts 30 days ago, and says so in the
    filter (the field shows the date; emptying it shows all sessions)."""

    page_title = gettext_lazy("Sessions")
    header_icon = "date"
    index_url_name = "learning_admin:sessions"
    index_results_url_name = "learning_admin:sessions_results"
    filterset_class = SessionFilterSet
    default_ordering = "starts_at"
    paginate_by = 100
    export_filename = "sessies"
    columns = [
        CompactTitleColumn(
            "training",
            label=gettext_lazy("Training"),
            accessor="page.title",
            get_url=lambda s: reverse("learning_admin:session", args=[s.pk]),
        ),
        CompactColumn("kind", label=gettext_lazy("Kind"), accessor="page.get_kind_display"),
        CompactColumn("level", label=gettext_lazy("Level"), accessor="page.get_level_display"),
        CompactColumn(
            "starts_at",
            label=gettext_lazy("Start"),
            accessor=lambda s: _local(s.starts_at),
            sort_key="starts_at",
        ),
        CompactColumn("status", label=gettext_lazy("Status"), accessor=session_status),
        CompactColumn(
            "confirmed",
            label=gettext_lazy("Confirmed"),
            accessor=lambda s: f"{s.confirmed} / {s.capacity}",
            sort_key="confirmed",
        ),
        CompactColumn("waiting", label=gettext_lazy("Waiting list"), sort_key="waiting"),
    ]
    list_export = [
        "page.title",
        "page.get_kind_display",
        "page.get_level_display",
        "starts_at",
        "ends_at",
        "status_label",
        "place",
        "capacity",
        "confirmed",
        "waiting",
    ]
    export_headings = {
        "page.title": gettext_lazy("Training"),
        "page.get_kind_display": gettext_lazy("Kind"),
        "page.get_level_display": gettext_lazy("Level"),
        "starts_at": gettext_lazy("Start"),
        "ends_at": gettext_lazy("End"),
        "status_label": gettext_lazy("Status"),
        "place": gettext_lazy("Place"),
        "capacity": gettext_lazy("Capacity"),
        "confirmed": gettext_lazy("Confirmed"),
        "waiting": gettext_lazy("Waiting list"),
    }

    def get_base_queryset(self):
        visible = access.policy.instances_user_has_permission_for(self.request.user, "view")
        return selectors.coordinator_sessions(visible)

    def get_filterset_kwargs(self):
        data = self.request.GET.copy()
        # The dashboard's links name a year: then no default period.
        if "start" not in data and not data.get("year"):
            data["start"] = _default_start().isoformat()
        return {"data": data, "request": self.request}

    def get_export_name_parts(self):
        data = self.filters.form.cleaned_data if self.filters.is_valid() else {}
        training = data.get("training")
        return [
            "sessies",
            training.title if training else "",
            data.get("start") or "",
            data.get("end") or timezone.localdate(),
        ]

    def to_row_dict(self, item):
        item.status_label = session_status(item)
        item.place = _("Online") if item.online else (item.location or str(item.region or ""))
        return super().to_row_dict(item)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["default_start"] = _default_start()
        return context


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


class SessionDetailView(CoordinatorReportView):
    """One session: its registrations (filter by status, export as CSV/XLSX with the
    same filter), attendance, evaluation, adding by hand and the organiser's actions.
    `/<id>/deelnemers.csv|xlsx` stay as the export addresses."""

    template_name = "learning/admin/session_detail.html"
    results_template_name = "learning/admin/session_registrations.html"
    header_icon = "date"
    filterset_class = RegistrationFilterSet
    paginate_by = None  # attendance is marked for the whole list at once
    list_export = [
        "get_status_display",
        "participant.first_name",
        "participant.last_name",
        "participant.email",
        "organisation.name",
        "participant.function",
        "municipality_label",
        "target_group.name",
        "participant.needs",
        "created_at",
        "waiting_position",
        "attendance_label",
    ]
    export_headings = {
        "get_status_display": gettext_lazy("Status"),
        "waiting_position": gettext_lazy("Waiting list position"),
        "attendance_label": gettext_lazy("Attendance"),
        "participant.first_name": gettext_lazy("First name"),
        "participant.last_name": gettext_lazy("Last name"),
        "participant.email": gettext_lazy("E-mail address"),
        "organisation.name": gettext_lazy("Organisation"),
        "participant.function": gettext_lazy("Function"),
        "municipality_label": gettext_lazy("Municipality"),
        "target_group.name": gettext_lazy("Target group"),
        "participant.needs": gettext_lazy("Accessibility or dietary needs"),
        "created_at": gettext_lazy("Registered at"),
        "workshops_label": gettext_lazy("Workshops"),
    }
    export_sheet_title = gettext_lazy("Participants")
    STATUS_ORDER = {
        RegistrationStatus.CONFIRMED: 0,
        RegistrationStatus.WAITING: 1,
        RegistrationStatus.CANCELLED: 2,
    }

    def dispatch(self, request, *args, **kwargs):
        self.session = _session_for(
            request,
            "view",
            kwargs["session_id"],
            Session.objects.select_related("page", "region", "private_link"),
        )
        self.allowed = access.session_actions(request.user, self.session)
        # A network event with workshop rounds: who chose what, and how full each workshop is.
        self.workshop_rounds = (
            selectors.workshop_rounds(page_id=self.session.page_id, session_id=self.session.pk)
            if self.session.page.kind == Kind.NETWORK_EVENT
            else []
        )
        if self.workshop_rounds:
            self.list_export = [*self.list_export, "workshops_label"]
        if self.is_export and not self.allowed["export"]:
            raise PermissionDenied
        if request.method == "POST" and not self.allowed["register"]:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if self.is_export:
            audit.record(
                self.session,
                audit.EXPORT,
                data={
                    "format": self.export_format.upper(),
                    "count": self.session.registrations.count(),
                },
            )
        return response

    def get_base_queryset(self):
        if not self.allowed["participants"]:
            return Registration.objects.none()
        return selectors.coordinator_registrations(
            session_id=self.session.pk, workshops=bool(self.workshop_rounds)
        )

    def order_queryset(self, queryset):
        return queryset.order_by("created_at", "pk")

    def get_index_url(self):
        return reverse("learning_admin:session", args=[self.session.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    def get_page_title(self):
        return str(self.session)

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learning_admin:sessions"), "label": _("Sessions")},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_export_name_parts(self):
        return [
            _("participants"),
            self.session.page.title,
            timezone.localtime(self.session.starts_at).date().isoformat(),
        ]

    def export_rows(self):
        return sorted(self.get_filtered_queryset(), key=self._export_order)

    @cached_property
    def show_export_buttons(self):
        return self.allowed["export"]

    def _export_order(self, reg):
        return (self.STATUS_ORDER.get(reg.status, 9), reg.created_at, reg.pk)

    def get_heading(self, queryset, field):
        return str(self.export_headings[field])

    def to_row_dict(self, item):
        item.waiting_position = (
            item.position_in_status if item.status == RegistrationStatus.WAITING else None
        )
        item.attendance_label = (
            item.get_attendance_display() if item.status == RegistrationStatus.CONFIRMED else ""
        )
        item.municipality_label = (
            item.municipality.name if item.municipality else item.get_municipality_scope_display()
        )
        if self.workshop_rounds:
            item.workshops_label = "; ".join(
                _("Round %(round)s: %(title)s") % {"round": c.round, "title": c.workshop.title}
                for c in item.workshop_choices.all()
            )
        return super().to_row_dict(item)

    def post(self, request, *args, **kwargs):
        self.add_form = ManualAddForm(request.POST, prefix="add")
        if self.add_form.is_valid():
            municipality, scope = self.add_form.municipality_values()
            data = self.add_form.cleaned_data
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
                result = services.register(
                    session_id=self.session.pk, person=person, now=timezone.now()
                )
            except services.RegistrationError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(
                    request,
                    _("Added: %(status)s") % {"status": result.registration.get_status_display()},
                )
                return redirect("learning_admin:session", session_id=self.session.pk)
        self.is_export = False
        return self.get(request, *args, **kwargs)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        session = self.session
        now = timezone.now()
        status = self.request.GET.get("status", "")
        counts = dict(
            session.registrations.values_list("status").annotate(n=Count("pk")).order_by()
        )
        allowed = self.allowed
        trainer_accounts = access.trainer_accounts()
        context.update(
            {
                "session": session,
                "registrations": context["object_list"] if allowed["participants"] else None,
                "allowed": allowed,
                "show_email": self.request.user.has_perm("learning.view_participant_data"),
                "trainer_form": TrainerForm(session=session, choices=trainer_accounts)
                if allowed["change"]
                else None,
                "trainer_accounts_exist": allowed["change"] and trainer_accounts.exists(),
                "add_form": (getattr(self, "add_form", None) or ManualAddForm(prefix="add"))
                if allowed["register"]
                else None,
                "status": status if status in RegistrationStatus.values else "",
                "counts": counts,
                "statuses": RegistrationStatus.choices,
                "attendance_choices": Attendance.choices,
                "attendance_counts": selectors.attendance_counts(session.pk),
                "evaluation": selectors.evaluation_for_session(session_id=session.pk)
                if allowed["evaluations"] and session.starts_at <= now
                else None,
                "training_edit_url": reverse("wagtailadmin_pages:edit", args=[session.page_id]),
                "workshop_rounds": self.workshop_rounds,
            }
        )
        return context


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


class EvaluationOverviewView(CoordinatorReportView):
    """Per training: sessions held, attendees, responses, rates and averages (one query)."""

    permission_policy = evaluations_policy  # learning.view_evaluation

    page_title = gettext_lazy("Evaluations")
    header_icon = "tasks"
    index_url_name = "learning_reports:evaluations"
    results_template_name = "learning/admin/evaluation_overview.html"
    paginate_by = 100
    export_filename = "evaluaties"
    list_export = [
        "session__page__title",
        "sessions",
        "present",
        "responses",
        "response_rate",
        "avg_overall",
        "avg_usefulness",
        "recommend_rate",
    ]
    export_headings = {
        "session__page__title": gettext_lazy("Training"),
        "sessions": gettext_lazy("Sessions"),
        "present": gettext_lazy("Present"),
        "responses": gettext_lazy("Responses"),
        "response_rate": gettext_lazy("Response rate (%)"),
        "avg_overall": gettext_lazy("Overall"),
        "avg_usefulness": gettext_lazy("Usefulness"),
        "recommend_rate": gettext_lazy("Would recommend (%)"),
    }

    def get_base_queryset(self):
        return selectors.evaluation_by_training(now=timezone.now())

    def get_index_results_url(self):
        return self.get_index_url()


class EvaluationTrainingView(CoordinatorReportView):
    """One training: totals, per session, and the comments."""

    permission_policy = evaluations_policy  # learning.view_evaluation

    header_icon = "tasks"
    results_template_name = "learning/admin/evaluation_training.html"
    paginate_by = None
    list_export = [
        "session__starts_at",
        "present",
        "responses",
        "response_rate",
        "avg_overall",
        "avg_usefulness",
        "recommend_rate",
    ]
    export_headings = {
        "session__starts_at": gettext_lazy("Session"),
        **EvaluationOverviewView.export_headings,
    }

    def dispatch(self, request, *args, **kwargs):
        _check(request, EVALUATIONS)
        self.page = get_object_or_404(TrainingPage, pk=kwargs["page_id"])
        self.evaluation = selectors.evaluation_for_training(page_id=self.page.pk)
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return self.evaluation["sessions"]

    def get_page_title(self):
        return _("Evaluations: %(title)s") % {"title": self.page.title}

    def get_index_url(self):
        return reverse("learning_reports:evaluation_training", args=[self.page.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learning_reports:evaluations"), "label": _("Evaluations")},
            {"url": "", "label": self.page.title},
        ]

    def get_export_name_parts(self):
        return [_("evaluations"), self.page.title, timezone.localdate().isoformat()]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context.update(
            page=self.page,
            totals=self.evaluation["totals"],
            comments=self.evaluation["comments"],
        )
        return context


class OrganisationListView(CoordinatorReportView):
    """Training history per organisation: search, check (verify), export."""

    permission_policy = organisations_policy  # learning.view_organisation

    page_title = gettext_lazy("Training history per organisation")
    header_icon = "group"
    index_url_name = "learning_reports:organisations"
    results_template_name = "learning/admin/organisation_list.html"
    paginate_by = 100
    export_filename = "organisaties"
    list_export = [
        "name",
        "sector_name",
        "municipality_name",
        "registration_count",
        "attended_count",
        "verified",
    ]
    export_headings = {
        "name": gettext_lazy("Organisation"),
        "sector_name": gettext_lazy("Sector"),
        "municipality_name": gettext_lazy("Municipality"),
        "registration_count": gettext_lazy("Registrations"),
        "attended_count": gettext_lazy("Attended"),
        "verified": gettext_lazy("Checked"),
    }

    @cached_property
    def query(self):
        return self.request.GET.get("q", "").strip()[:100]

    def get_base_queryset(self):
        return selectors.organisations_with_counts(query=self.query)

    def to_row_dict(self, item):
        item.sector_name = item.sector.name if item.sector else ""
        item.municipality_name = item.municipality.name if item.municipality else ""
        return super().to_row_dict(item)

    def get_index_results_url(self):
        return self.get_index_url()

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["query"] = self.query
        return context


class OrganisationDetailView(CoordinatorReportView):
    """Who from one organisation registered for which session, and whether they came."""

    permission_policy = organisations_policy  # learning.view_organisation

    header_icon = "group"
    results_template_name = "learning/admin/organisation_detail.html"
    paginate_by = 200
    list_export = [
        "participant_name",
        "session.page.title",
        "session.starts_at",
        "target_group.name",
        "get_status_display",
        "attendance_label",
    ]
    export_headings = {
        "participant_name": gettext_lazy("Name"),
        "session.page.title": gettext_lazy("Training"),
        "session.starts_at": gettext_lazy("Session"),
        "target_group.name": gettext_lazy("Target group"),
        "get_status_display": gettext_lazy("Status"),
        "attendance_label": gettext_lazy("Attendance"),
    }

    def dispatch(self, request, *args, **kwargs):
        _check(request, ORGANISATIONS)
        self.organisation = get_object_or_404(
            Organisation.objects.select_related("sector", "municipality"),
            pk=kwargs["organisation_id"],
        )
        if self.organisation.merged_into_id:  # merged: its history is the other one's now
            return redirect(
                "learning_reports:organisation", organisation_id=self.organisation.merged_into_id
            )
        return super().dispatch(request, *args, **kwargs)

    def get_base_queryset(self):
        return selectors.organisation_history(organisation_id=self.organisation.pk)

    def get_page_title(self):
        return _("Training history: %(name)s") % {"name": self.organisation.name}

    def get_index_url(self):
        return reverse("learning_reports:organisation", args=[self.organisation.pk])

    def get_index_results_url(self):
        return self.get_index_url()

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("learning_reports:organisations"), "label": _("Organisations")},
            {"url": "", "label": self.organisation.name},
        ]

    def get_export_name_parts(self):
        return [_("training history"), self.organisation.name, timezone.localdate().isoformat()]

    def to_row_dict(self, item):
        person = item.participant
        item.participant_name = (
            _("anonymised")
            if person.anonymised_at
            else f"{person.first_name} {person.last_name}".strip()
        )
        item.attendance_label = (
            item.get_attendance_display() if item.status == RegistrationStatus.CONFIRMED else ""
        )
        return super().to_row_dict(item)

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        context["organisation"] = self.organisation
        return context


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
