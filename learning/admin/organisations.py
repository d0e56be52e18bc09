"""Coordinator screens for organisations: review duplicate suggestions, merge, mark as
different, edit name, sector and municipality. Plain views with the admin layout next to
the organisation list and history (``learning.admin_views``); the rules are in
``learning.services.organisations``."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import include, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from learning import selectors
from learning.models import Organisation
from learning.services import organisations
from website.models import Municipality, TargetGroup

# The coordinators' permission, as on the other organisation screens.
PERMISSION = "learning.change_organisation"  # editing, merging and telling organisations apart: the Coördinator (roles)


def _check(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied


def _id(value: int) -> int:
    """A primary key from the URL; beyond 64 bits it cannot exist (and would overflow
    SQLite's integers), so 404."""
    if not 0 < value < 2**63:
        raise Http404
    return value


def _live(organisation_id: int) -> Organisation:
    """An organisation still in use (a merged one answers 404)."""
    organisation_id = _id(organisation_id)
    return get_object_or_404(
        Organisation.objects.select_related("sector", "municipality"),
        pk=organisation_id,
        merged_into__isnull=True,
    )


# ----- duplicates --------------------------------------------------------------------------


def duplicates(request):
    _check(request)
    return render(
        request,
        "learning/admin/organisation_duplicates.html",
        {
            "suggestions": selectors.organisation_duplicates(),
            "header_title": _("Possible duplicate organisations"),
        },
    )


@require_POST
def distinct(request, organisation_id: int, other_id: int):
    _check(request)
    try:
        organisations.mark_distinct(
            first_id=_id(organisation_id), second_id=_id(other_id), now=timezone.now()
        )
    except organisations.OrganisationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The two organisations are no longer suggested as one."))
    return redirect("learning_organisations:duplicates")


# ----- merge -------------------------------------------------------------------------------------


class MergeChoiceForm(forms.Form):
    into = forms.ModelChoiceField(
        label=gettext_lazy("Merge into"),
        queryset=Organisation.objects.none(),
        empty_label=gettext_lazy("Choose an organisation"),
        error_messages={
            "required": gettext_lazy("Choose the organisation to merge into."),
            "invalid_choice": gettext_lazy("Choose the organisation to merge into."),
        },
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = (
            Organisation.objects.filter(merged_into__isnull=True)
            .exclude(pk=organisation.pk)
            .order_by("name")
        )


def merge(request, organisation_id: int):
    """GET without ``into``: choose the organisation to merge into. GET with ``into``:
    what will happen, asked first. POST: merge (``services.organisations``)."""
    _check(request)
    organisation = _live(organisation_id)
    form = MergeChoiceForm(
        request.POST or request.GET if "into" in (request.POST or request.GET) else None,
        organisation=organisation,
    )
    if form.is_bound and form.is_valid():
        target = form.cleaned_data["into"]
        if request.method == "POST":
            try:
                result = organisations.merge_organisations(
                    source_id=organisation.pk,
                    target_id=target.pk,
                    now=timezone.now(),
                    user=request.user,
                )
            except organisations.OrganisationError as exc:
                messages.error(request, str(exc.message))
                return redirect("learning_organisations:duplicates")
            messages.success(
                request,
                _("%(merged)s is merged into %(kept)s; %(count)s registrations moved.")
                % {
                    "merged": result.merged.name,
                    "kept": result.organisation.name,
                    "count": result.moved,
                },
            )
            return redirect("learning_reports:organisation", organisation_id=target.pk)
        counts = {
            row.pk: row for row in selectors.organisations_counts(ids=[organisation.pk, target.pk])
        }
        return render(
            request,
            "learning/admin/organisation_merge_confirm.html",
            {
                "organisation": counts.get(organisation.pk, organisation),
                "target": counts.get(target.pk, target),
                "header_title": _("Merge organisations"),
            },
        )
    return render(
        request,
        "learning/admin/organisation_merge.html",
        {
            "organisation": organisation,
            "form": form,
            "similar": selectors.similar_organisations(organisation=organisation),
            "header_title": _("Merge %(name)s with another organisation")
            % {"name": organisation.name},
        },
        status=400 if form.is_bound else 200,
    )


# ----- edit ----------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=organisations.NAME_MAX,
        error_messages={"required": gettext_lazy("Fill in the name of the organisation.")},
    )
    sector = forms.ModelChoiceField(
        label=gettext_lazy("Sector (target group)"),
        queryset=TargetGroup.objects.all(),
        required=False,
        empty_label=gettext_lazy("Unknown"),
    )
    municipality = forms.ModelChoiceField(
        label=gettext_lazy("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=gettext_lazy("Unknown or outside the region"),
    )


def edit(request, organisation_id: int):
    _check(request)
    organisation = _live(organisation_id)
    form = OrganisationForm(
        request.POST or None,
        initial={
            "name": organisation.name,
            "sector": organisation.sector,
            "municipality": organisation.municipality,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            organisations.update_organisation(organisation_id=organisation.pk, **form.cleaned_data)
        except organisations.OrganisationError as exc:
            form.add_error("name", str(exc.message))
        else:
            messages.success(request, _("The organisation has been saved."))
            return redirect("learning_reports:organisation", organisation_id=organisation.pk)
    return render(
        request,
        "learning/admin/organisation_edit.html",
        {
            "organisation": organisation,
            "form": form,
            "header_title": _("Edit %(name)s") % {"name": organisation.name},
        },
        status=400 if form.errors else 200,
    )


# ----- hooks -----------------------------------------------------------------------------------

urls = (
    [
        path("dubbel/", duplicates, name="duplicates"),
        path("<int:organisation_id>/bewerken/", edit, name="edit"),
        path("<int:organisation_id>/samenvoegen/", merge, name="merge"),
        path(
            "<int:organisation_id>/niet-dezelfde/<int:other_id>/",
            distinct,
            name="distinct",
        ),
    ],
    "learning_organisations",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("trainingen/organisaties/", include(urls))]


@hooks.register("register_log_actions")
def register_log_actions(actions):
    @actions.register_action(organisations.MERGE_ACTION)
    class MergeFormatter(LogFormatter):
        label = gettext_lazy("Merge organisations")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            try:
                return _("Merged %(merged)s into %(kept)s (%(count)s registrations moved)") % {
                    "merged": data["merged_name"],
                    "kept": data["kept_name"],
                    "count": data["registrations_moved"],
                }
            except KeyError:
                return _("Merged organisations")
