"""Thin views: forms in, services do the work, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning import ics, selectors, services
from learning.forms import InCompanyRequestForm, PressureCookerRequestForm, RegistrationForm
from learning.models import Registration, RequestKind, Session, SessionStatus, TrainingIndexPage
from website.models import TargetGroup


def _catalogue_crumbs(request, *extra):
    index = TrainingIndexPage.objects.live().filter(only_kind="").first()
    crumbs = []
    if index:
        crumbs.append((index.get_url(request), index.title))
    return crumbs + list(extra)


def register(request, session_id: int):
    now = timezone.now()
    session = selectors.session_for_registration(session_id, now=now)
    if session is None or not session.page.live:
        raise Http404
    page = session.page
    form = RegistrationForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_bot():
        return redirect(page.get_url(request))
    if request.method == "POST" and form.is_valid():
        municipality, scope = form.municipality_values()
        person = services.Person(
            first_name=form.cleaned_data["first_name"],
            last_name=form.cleaned_data["last_name"],
            email=form.cleaned_data["email"],
            function=form.cleaned_data["function"],
            organisation=form.cleaned_data["organisation"],
            target_group_id=form.cleaned_data["target_group"].pk,
            municipality=municipality,
            municipality_scope=scope,
            needs=form.cleaned_data["needs"],
        )
        try:
            result = services.register(session_id=session.pk, person=person, now=now)
        except services.RegistrationError as exc:
            error = str(exc.message)
        else:
            if not result.created:
                messages.info(
                    request,
                    _(
                        "You were already registered for this session. We have sent your "
                        "personal link to your e-mail address again."
                    ),
                )
                return redirect(page.get_url(request))
            request.session["learning_last_registration"] = result.registration.token
            return redirect("learning:registration", token=result.registration.token)
    elif request.method == "GET" and not session.is_open:
        try:
            services.check_open(session, now=now)
        except services.RegistrationError as exc:
            error = str(exc.message)
    return render(
        request,
        "pages/learning/register.html",
        {
            "form": form,
            "session": session,
            "training": page,
            "error": error,
            "organisations": selectors.organisation_suggestions(),
            "crumbs": _catalogue_crumbs(
                request, (page.get_url(request), page.title), ("", _("Register"))
            ),
        },
        status=200,
    )


def _registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("session__page", "session__region", "participant"),
        token=token,
    )


def registration(request, token: str):
    reg = _registration(token)
    session = reg.session
    confirmed = reg.status == "confirmed"
    response = render(
        request,
        "pages/learning/registration.html",
        {
            "registration": reg,
            "session": session,
            "training": session.page,
            "dayparts": session.dayparts(),
            "join_url": session.join_url
            if confirmed and session.online and session.status == SessionStatus.PLANNED
            else "",
            "can_cancel": reg.is_active and session.ends_at > timezone.now(),
            "crumbs": _catalogue_crumbs(request, ("", _("Your registration"))),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
def registration_cancel(request, token: str):
    reg = _registration(token)
    if reg.is_active:
        services.cancel_registration(registration_id=reg.pk, now=timezone.now())
        messages.success(request, _("Your registration has been cancelled."))
    return redirect("learning:registration", token=token)


def registration_ics(request, token: str):
    reg = _registration(token)
    body = ics.registration_ics(
        registration=reg,
        personal_url=services.personal_url(reg),
        cancel=not reg.is_active,
    )
    return _ics_response(body, "aanmelding.ics", attachment=True)


def _ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def session_ics(request, session_id: int):
    session = get_object_or_404(
        Session.objects.select_related("page"), pk=session_id, page__live=True
    )
    body = ics.feed_ics(sessions=[session], base_url=request.build_absolute_uri("/")[:-1])
    return _ics_response(body, f"sessie-{session.pk}.ics", attachment=True)


def feed(request, target_group: str | None = None):
    group = get_object_or_404(TargetGroup, slug=target_group) if target_group else None
    sessions = selectors.feed_sessions(target_group=group, now=timezone.now())
    name = "CTER trainingen en webinars" + (f": {group.name}" if group else "")
    body = ics.feed_ics(sessions=sessions, base_url=request.build_absolute_uri("/")[:-1], name=name)
    return _ics_response(body, "agenda.ics", attachment=False)


def _request_view(request, *, form_class, kind, title, intro):
    form = form_class(request.POST or None)
    if request.method == "POST" and form.is_bot():
        return redirect("learning:request_thanks")
    if request.method == "POST" and form.is_valid():
        services.submit_request(kind=kind, data=form.cleaned_data_for_model(), now=timezone.now())
        return redirect("learning:request_thanks")
    return render(
        request,
        "pages/learning/request_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "crumbs": _catalogue_crumbs(request, ("", title)),
        },
    )


def request_in_company(request):
    return _request_view(
        request,
        form_class=InCompanyRequestForm,
        kind=RequestKind.IN_COMPANY,
        title=_("Request a training in company"),
        intro=_(
            "We give our trainings at your organisation too, for a team or a mix of partners. "
            "Tell us what you need; a coordinator contacts you within two weeks."
        ),
    )


def request_pressure_cooker(request):
    return _request_view(
        request,
        form_class=PressureCookerRequestForm,
        kind=RequestKind.PRESSURE_COOKER,
        title=_("Request a pressure cooker"),
        intro=_(
            "A pressure cooker is a tailored meeting for the mayor and aldermen of a "
            "municipality about local unrest and polarisation."
        ),
    )


def request_thanks(request):
    return render(
        request,
        "pages/learning/request_thanks.html",
        {"crumbs": _catalogue_crumbs(request, ("", _("Request received")))},
    )
