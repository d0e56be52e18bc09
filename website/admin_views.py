"""The coordinator's screen for data-subject rights: find everything stored about one e-mail
address, export it (JSON, CSV) or erase it. The address travels in POST bodies only (never
in a URL, so not in logs or browser history); every step is in the audit trail."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from website import personal_data
from website.models import PersonalDataAction

PERMISSION = "website.manage_personal_data"


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=gettext_lazy("E-mail address"),
        max_length=254,
        help_text=gettext_lazy("The address the person registered or asked with."),
    )


def _check(request) -> None:
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _private(response):
    response["Cache-Control"] = "private, no-store"
    return response


@never_cache
def search(request):
    """GET: the form. POST: the results for one address, with export and erase buttons."""
    _check(request)
    form = EmailForm(request.POST if request.method == "POST" else None)
    found = None
    if request.method == "POST" and form.is_valid():
        now = timezone.now()
        email = form.cleaned_data["email"]
        found = personal_data.find(email=email)
        action = request.POST.get("action", "")
        if action in ("json", "csv"):
            records = personal_data.counts(found)
            request_row = personal_data.record_request(
                PersonalDataAction.EXPORT, records=records, now=now, format=action.upper()
            )
            return _download(found, email=email, fmt=action, now=now, name=request_row.pk)
        personal_data.record_request(
            PersonalDataAction.LOOKUP, records=personal_data.counts(found), now=now
        )
    return _private(
        render(
            request,
            "website/admin/personal_data.html",
            {
                "header_title": _("Personal data"),
                "form": form,
                "found": found,
                "total": sum(len(part.records) for part in found) if found else 0,
            },
        )
    )


def _download(found, *, email: str, fmt: str, now, name) -> HttpResponse:
    if fmt == "json":
        body = personal_data.as_json(email=email, found=found, now=now)
        ctype = "application/json; charset=utf-8"
    else:
        body, ctype = personal_data.as_csv(found=found), "text/csv; charset=utf-8"
    response = HttpResponse(body, content_type=ctype)
    response["Content-Disposition"] = f'attachment; filename="persoonsgegevens-{name}.{fmt}"'
    return _private(response)


@never_cache
def erase(request):
    """POST from the results: confirm (what will go, what stays, or why not yet).
    POST with ``confirm``: erase, then back to the empty search form."""
    _check(request)
    if request.method != "POST":
        return redirect("personal_data")
    form = EmailForm(request.POST)
    if not form.is_valid():
        return redirect("personal_data")
    email = form.cleaned_data["email"]
    now = timezone.now()
    if request.POST.get("confirm") == "1":
        try:
            erased = personal_data.erase(email=email, now=now)
        except personal_data.PersonalDataError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Erased: %(records)s records. The facts for reports (numbers, scores) stay.")
                % {"records": sum(erased.values())},
            )
            return redirect("personal_data")
    found = personal_data.find(email=email)
    return _private(
        render(
            request,
            "website/admin/personal_data_erase.html",
            {
                "header_title": _("Erase personal data"),
                "form": form,
                "email": email,
                "found": found,
                "records": personal_data.counts(found),
                "blockers": personal_data.blockers(email=email, now=now),
            },
        )
    )
