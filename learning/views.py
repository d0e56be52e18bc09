"""Thin views: forms in, services do the work, selectors read."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from learning import ics, selectors, services
from learning.forms import (
    EventRegistrationForm,
    InCompanyRequestForm,
    PressureCookerRequestForm,
    RegistrationForm,
    SignInRequestForm,
    SurveyForm,
    TrackRegistrationForm,
)
from learning.models import (
    Kind,
    NetworkEventPage,
    Registration,
    RegistrationStatus,
    RequestKind,
    Session,
    SessionStatus,
    TrainingIndexPage,
)
from website import locking, personal_data, ratelimit, routing, visibility
from website.converters import parse_id
from website.models import PersonalDataAction, TargetGroup


def _catalogue_crumbs(request, *extra):
    index = TrainingIndexPage.objects.live().filter(only_kind="").first()
    crumbs = []
    if index:
        crumbs.append((index.get_url(request), index.title))
    return crumbs + list(extra)


def register(request, session_id: int):
    now = timezone.now()
    session = selectors.session_for_registration(session_id, request=request)
    if session is None or session.page.unlisted:
        raise Http404  # a training not listed publicly: only through its private link
    return _register(request, session, now=now)


def register_private(request, token: str):
    """In company: the private link of a session of a training not listed publicly."""
    now = timezone.now()
    session = selectors.session_for_registration(private_token=token, request=request)
    if session is None:
        raise Http404
    return _private(_register(request, session, now=now, private_url=request.path))


def _register(request, session, *, now, private_url: str = ""):
    if not session.page.live:
        raise Http404
    routing.prime_site(request)  # the page's URL from the cached site, not a query
    page = session.page
    back = private_url or page.get_url(request)
    if not visibility.visible_to(page, request):
        # The training page asks for the password or the login (Wagtail's page privacy).
        return redirect(page.get_url(request))
    rounds = (
        selectors.workshop_rounds(page_id=page.pk, session_id=session.pk)
        if page.kind == Kind.NETWORK_EVENT
        else []
    )
    if rounds:
        form = EventRegistrationForm(request.POST or None, rounds=rounds)
    else:
        form = RegistrationForm(request.POST or None)
    error = ""
    status = 200
    limited = ratelimit.check_post(request, "registration", str(session.pk))
    if not limited:
        status = ratelimit.refuse(form, limited)
    elif request.method == "POST" and form.is_bot():
        return redirect(back)
    elif request.method == "POST" and form.is_valid():
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
            if rounds:
                result = services.register_for_event(
                    session_id=session.pk,
                    person=person,
                    workshops=form.chosen_workshops(),
                    now=now,
                )
            else:
                result = services.register(
                    session_id=session.pk, person=person, now=now, page=session.page
                )
        except services.RegistrationBusy as exc:
            # Nothing was stored: the form stays filled in, to send again in a moment.
            form.add_error(None, exc.message)
            status = 503
        except services.RegistrationError as exc:
            if rounds:
                # A workshop filled up meanwhile: the form stays, with the message.
                form.add_error(None, exc.message)
            else:
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
                return redirect(back)
            return redirect("learning:registration", token=result.registration.token)
    elif request.method == "GET":
        try:
            services.check_open(session, now=now)
        except services.RegistrationError as exc:
            error = str(exc.message)
    selectors.count_places(session, now)  # places left, as the form is shown
    response = render(
        request,
        "pages/learning/register.html",
        {
            "form": form,
            "session": session,
            "training": page,
            "error": error,
            "organisations": selectors.organisation_suggestions(),
            "crumbs": _catalogue_crumbs(
                request,
                *([] if page.unlisted else [(page.get_url(request), page.title)]),
                ("", _("Register")),
            ),
        },
        status=status,
    )
    if status == 503:
        response["Retry-After"] = str(locking.RETRY_AFTER)
    return ratelimit.retry_after(response, limited)


def _person(form) -> services.Person:
    municipality, scope = form.municipality_values()
    return services.Person(
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


def register_track(request, page_id: int):
    """One form for every open meeting of a connection track in the chosen region."""
    now = timezone.now()
    page = NetworkEventPage.objects.live().filter(pk=page_id, unlisted=False).first()
    if page is None or not page.is_track:
        raise Http404
    routing.prime_site(request)
    if not visibility.visible_to(page, request):
        return redirect(page.get_url(request))
    regions = selectors.track_regions_open(page=page, now=now)
    choices = [(r.region.pk, r.label) for r in regions]
    initial = {}
    wanted = parse_id(request.GET.get("regio", ""))
    if wanted and any(pk == wanted for pk, _label in choices):
        initial["region"] = wanted
    form = TrackRegistrationForm(request.POST or None, regions=choices, initial=initial)
    status = 200
    limited = ratelimit.check_post(request, "registration", f"track {page.pk}")
    if not limited:
        status = ratelimit.refuse(form, limited)
    elif request.method == "POST" and form.is_bot():
        return redirect(page.get_url(request))
    elif request.method == "POST" and form.is_valid():
        try:
            result = services.register_for_track(
                page_id=page.pk,
                region_id=form.cleaned_data["region"],
                person=_person(form),
                now=now,
            )
        except services.RegistrationBusy as exc:
            form.add_error(None, exc.message)
            status = 503
        except services.RegistrationError as exc:
            form.add_error(None, exc.message)
        else:
            if not result.created:
                messages.info(
                    request,
                    _(
                        "You were already registered for these meetings. We have sent your "
                        "personal links to your e-mail address again."
                    ),
                )
                return redirect(page.get_url(request))
            request.session[TRACK_DONE] = [r.pk for r in result.registrations]
            return _private(redirect("learning:track_registered", page_id=page.pk))
    response = render(
        request,
        "pages/learning/register_track.html",
        {
            "form": form,
            "page": page,
            "regions": regions,
            "organisations": selectors.organisation_suggestions(),
            "crumbs": [
                (page.get_parent().url, page.get_parent().title),
                (page.get_url(request), page.title),
                ("", _("Register for the track")),
            ],
        },
        status=status,
    )
    return ratelimit.retry_after(response, limited)


TRACK_DONE = "learning-track-registered"


def track_registered(request, page_id: int):
    """After a track registration: the outcome per meeting (from this visitor's own
    session only; nothing to see for anyone else)."""
    ids = request.session.get(TRACK_DONE) or []
    page = NetworkEventPage.objects.live().filter(pk=page_id, unlisted=False).first()
    if page is None or not ids:
        raise Http404
    registrations = selectors.track_outcome(page_id=page.pk, registration_ids=ids)
    if not registrations:
        raise Http404
    response = render(
        request,
        "pages/learning/track_registered.html",
        {
            "page": page,
            "registrations": registrations,
            "crumbs": [(page.get_url(request), page.title), ("", _("Your registration"))],
        },
    )
    return _private(response)


def _registration(token: str) -> Registration:
    return get_object_or_404(
        Registration.objects.select_related("session__page", "session__region", "participant"),
        token=token,
    )


JUST_CANCELLED = "just-cancelled"  # a one-time message's tag (no token kept anywhere)


def _anonymised(reg: Registration) -> bool:
    participant = getattr(reg, "participant", None)
    return participant is None or participant.anonymised_at is not None


def _removed(request):
    """A personal link whose details were wiped on schedule: it opens nothing any more."""
    return _message(
        request,
        title=_("Your details have been removed"),
        text=_(
            "We keep the details of a registration for a limited time after the session. "
            "Your details have been removed, so this link no longer opens your registration."
        ),
        status=410,
        crumbs=_catalogue_crumbs(request, ("", _("Your registration"))),
    )


def registration(request, token: str):
    reg = selectors.registration_by_token(token)
    if reg is None:
        raise Http404
    if _anonymised(reg):
        return _removed(request)
    # The cancellation just made replaces the status alert: one message, shown once.
    stored = list(messages.get_messages(request))
    just_cancelled = next(
        (m for m in stored if JUST_CANCELLED in m.extra_tags.split() and not reg.is_active), None
    )
    session = reg.session
    confirmed = reg.status == "confirmed"
    now = timezone.now()
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
            "can_cancel": reg.is_active and session.ends_at > now,
            "just_cancelled": just_cancelled
            and {"waiting": "waiting" in just_cancelled.extra_tags.split()},
            "messages": [m for m in stored if m is not just_cancelled],
            "can_certify": reg.attended,
            # Network events: the workshops chosen (no query for a training).
            "workshops": list(reg.workshop_choices.select_related("workshop"))
            if session.page.kind == Kind.NETWORK_EVENT
            else [],
            "can_evaluate": reg.attended and session.ends_at <= now and not reg.has_evaluation,
            "crumbs": _catalogue_crumbs(request, ("", _("Your registration"))),
        },
    )
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def registration_cancel(request, token: str):
    """GET asks "are you sure?" (a link in an e-mail or a prefetch must not cancel);
    the POST cancels and sends the confirmation e-mail (services)."""
    reg = _registration(token)
    if _anonymised(reg):
        return _removed(request)
    session = reg.session
    if not reg.is_active or session.ends_at <= timezone.now():
        return _private(redirect("learning:registration", token=token))
    if request.method == "POST":
        was_waiting = reg.status == RegistrationStatus.WAITING
        services.cancel_registration(registration_id=reg.pk, now=timezone.now())
        tags = f"{JUST_CANCELLED} waiting" if was_waiting else JUST_CANCELLED
        messages.success(request, _("Your registration has been cancelled."), extra_tags=tags)
        return _private(redirect("learning:registration", token=token))
    return _private(
        render(
            request,
            "pages/learning/registration_cancel.html",
            {
                "registration": reg,
                "session": session,
                "training": session.page,
                "dayparts": session.dayparts(),
                "crumbs": _catalogue_crumbs(
                    request,
                    (reverse("learning:registration", args=[token]), _("Your registration")),
                    ("", _("Cancel")),
                ),
            },
        )
    )


def registration_ics(request, token: str):
    reg = _registration(token)
    if _anonymised(reg):
        return _removed(request)
    body = ics.registration_ics(
        registration=reg,
        personal_url=services.personal_url(reg),
        cancel=not reg.is_active,
    )
    return _private(_ics_response(body, "aanmelding.ics", attachment=True))


def _ics_response(body: bytes, filename: str, *, attachment: bool) -> HttpResponse:
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


def session_ics(request, session_id: int):
    session = get_object_or_404(
        Session.objects.select_related("page"),
        pk=session_id,
        page__live=True,
        page__unlisted=False,
    )
    if not visibility.visible_to(session.page, request):
        raise Http404
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
    status = 200
    limited = ratelimit.Decision(True)
    if request.method == "POST":
        limited = ratelimit.check_request(request, "request")
    if not limited:
        status = ratelimit.refuse(form, limited)
    elif request.method == "POST" and form.is_bot():
        return redirect("learning:request_thanks")
    elif request.method == "POST" and form.is_valid():
        services.submit_request(kind=kind, data=form.cleaned_data_for_model(), now=timezone.now())
        return redirect("learning:request_thanks")
    response = render(
        request,
        "pages/learning/request_form.html",
        {
            "form": form,
            "title": title,
            "intro": intro,
            "crumbs": _catalogue_crumbs(request, ("", title)),
        },
        status=status,
    )
    return ratelimit.retry_after(response, limited)


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


# ----- after the session (issue 4): survey, certificate, "Mijn trainingen" ------------------


def _private(response):
    response["X-Robots-Tag"] = "noindex"
    response["Cache-Control"] = "private, no-store"
    return response


def _message(request, *, title, text, status, crumbs=None, link=None):
    return _private(
        render(
            request,
            "pages/learning/message.html",
            {"title": title, "text": text, "link": link, "crumbs": crumbs or [("", title)]},
            status=status,
        )
    )


def survey(request, token: str):
    reg = selectors.registration_by_token(token)
    if reg is None:
        raise Http404
    if _anonymised(reg):
        return _removed(request)
    now = timezone.now()
    title = _("Survey: %(title)s") % {"title": reg.session.page.title}
    crumbs = [(reverse("learning:registration", args=[token]), _("Your registration")), ("", title)]
    if reg.has_evaluation:
        return _message(
            request,
            title=_("Thank you for your answers"),
            text=_(
                "We have received your answers to this survey. The link works only once, "
                "so you cannot change them."
            ),
            status=200 if request.GET.get("bedankt") else 410,
            crumbs=crumbs,
            link=(reverse("learning:registration", args=[token]), _("To your registration")),
        )
    if not reg.attended or reg.session.ends_at > now:
        return _message(
            request,
            title=title,
            text=_("This survey opens after the session for the participants who attended."),
            status=404,
            crumbs=crumbs,
        )
    form = SurveyForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.submit_evaluation(registration_id=reg.pk, now=now, **form.cleaned_data)
        except services.RegistrationError as exc:
            error = str(exc.message)
        else:
            return redirect(reverse("learning:survey", args=[token]) + "?bedankt=1")
    return _private(
        render(
            request,
            "pages/learning/survey.html",
            {
                "form": form,
                "error": error,
                "registration": reg,
                "training": reg.session.page,
                "title": title,
                "crumbs": crumbs,
            },
        )
    )


def certificate(request, token: str):
    reg = selectors.registration_by_token(token)
    if reg is None:
        raise Http404
    if _anonymised(reg):
        return _removed(request)
    crumbs = [
        (reverse("learning:registration", args=[token]), _("Your registration")),
        ("", _("Certificate of participation")),
    ]
    if not reg.attended or not reg.participant.last_name:
        return _message(
            request,
            title=_("Certificate of participation"),
            text=_(
                "A certificate is available only for participants whom the trainer marked "
                "present. Were you there but do you see this message? Please contact us."
            ),
            status=404,
            crumbs=crumbs,
            link=(reverse("learning:registration", args=[token]), _("To your registration")),
        )
    session = reg.session
    return _private(
        render(
            request,
            "pages/learning/certificate.html",
            {
                "registration": reg,
                "participant": reg.participant,
                "training": session.page,
                "dayparts": session.dayparts(),
                "programme": settings.PROGRAMME_NAME,
                "crumbs": crumbs,
            },
        )
    )


MY_EMAIL = "learning_my_email"
MY_UNTIL = "learning_my_until"


def _my_crumbs(*extra):
    return [(reverse("learning:my_trainings"), _("My trainings")), *extra]


def my_trainings(request):
    """Step 1: ask for a sign-in link. The answer is the same for known and unknown
    addresses; requests are rate-limited per address and per client."""
    if _my_email(request):
        return redirect("learning:my_overview")
    form = SignInRequestForm(request.POST or None)
    status = 200
    limited = ratelimit.Decision(True)
    if request.method == "POST" and form.is_bot():
        return redirect("learning:my_sent")
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        client = ratelimit.client_key(request)
        # Per client first: a refused client does not use up the address's allowance.
        limited = ratelimit.check(
            "sign-in", client=client, email_client=f"{email} {client}", email=email
        )
        if limited:
            services.request_sign_in(email=email, now=timezone.now())
            return redirect("learning:my_sent")
        status = ratelimit.refuse(
            form,
            limited,
            field="email",
            message=_(
                "You have asked for a sign-in link too often. Please check your inbox and "
                "spam folder, or try again in an hour."
            ),
        )
    response = render(
        request,
        "pages/learning/my_trainings.html",
        {"form": form, "crumbs": _my_crumbs()},
        status=status,
    )
    return ratelimit.retry_after(_private(response), limited)


def my_sent(request):
    return _message(
        request,
        title=_("Check your e-mail"),
        text=_(
            "If we know this e-mail address, we have sent a sign-in link to it. It arrives "
            "within a few minutes, is valid for 24 hours and works once. No e-mail? Check "
            "your spam folder, or use the address you registered with."
        ),
        status=200,
        crumbs=_my_crumbs(("", _("Check your e-mail"))),
    )


def my_sign_in(request, token: str):
    """Step 2. GET only shows a button: mail scanners that prefetch links must not use up
    the single-use link. The POST consumes it and keeps the address in the session."""
    now = timezone.now()
    if request.method == "POST":
        email = services.consume_sign_in(token=token, now=now)
        if email:
            request.session.cycle_key()
            request.session[MY_EMAIL] = email
            request.session[MY_UNTIL] = (now + MY_SESSION_LENGTH).timestamp()
            return redirect("learning:my_overview")
    elif services.sign_in_token_valid(token=token, now=now):
        return _private(
            render(
                request,
                "pages/learning/my_sign_in.html",
                {"crumbs": _my_crumbs(("", _("Sign in")))},
            )
        )
    return _message(
        request,
        title=_("This sign-in link no longer works"),
        text=_(
            "A sign-in link is valid for 24 hours and works once. Ask for a new link with "
            "your e-mail address."
        ),
        status=410,
        crumbs=_my_crumbs(("", _("Sign in"))),
        link=(reverse("learning:my_trainings"), _("Ask for a new link")),
    )


MY_SESSION_LENGTH = dt.timedelta(hours=1)


def _my_email(request) -> str:
    email = request.session.get(MY_EMAIL, "")
    if email and request.session.get(MY_UNTIL, 0) > timezone.now().timestamp():
        return email
    if email:
        request.session.pop(MY_EMAIL, None)
        request.session.pop(MY_UNTIL, None)
    return ""


def my_overview(request):
    email = _my_email(request)
    if not email:
        messages.info(request, _("Your session has ended. Ask for a new sign-in link."))
        return redirect("learning:my_trainings")
    data = selectors.registrations_for_email(email=email, now=timezone.now())
    return _private(
        render(
            request,
            "pages/learning/my_overview.html",
            {**data, "email": email, "crumbs": _my_crumbs(("", _("Overview")))},
        )
    )


def my_export(request, fmt: str):
    """The person's own copy of everything the site stores under their address (every app,
    through ``website.personal_data``), as JSON or CSV with Dutch field names."""
    email = _my_email(request)
    if not email:
        messages.info(request, _("Your session has ended. Ask for a new sign-in link."))
        return redirect("learning:my_trainings")
    if fmt not in ("json", "csv"):
        raise Http404
    now = timezone.now()
    found = personal_data.find(email=email)
    personal_data.record_request(
        PersonalDataAction.SELF_EXPORT,
        records=personal_data.counts(found),
        now=now,
        format=fmt.upper(),
    )
    if fmt == "json":
        body = personal_data.as_json(email=email, found=found, now=now)
        ctype = "application/json; charset=utf-8"
    else:
        body, ctype = personal_data.as_csv(found=found), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="mijn-gegevens.{fmt}"'
    return _private(response)


@require_POST
def my_sign_out(request):
    request.session.pop(MY_EMAIL, None)
    request.session.pop(MY_UNTIL, None)
    messages.success(request, _("You have signed out."))
    return redirect("learning:my_trainings")
