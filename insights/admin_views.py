"""Admin screens for the figures (Regionaal beeld > Cijfers): analysts enter, edit and
import; coordinators read. Thin: forms parse, services decide, selectors read."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from website.models import Municipality, Region

from . import selectors, services
from .forms import FiguresForm, ImportForm, NewFiguresForm, PeriodForm
from .models import HouseFigures, Period, RegionalPicturePage
from .publication import Published
from .sheets import SheetError, read_sheet
from .suppression import Mark

VIEW = "insights.view_housefigures"
ADD = "insights.add_housefigures"
CHANGE = "insights.change_housefigures"
DELETE = "insights.delete_housefigures"
ADD_PERIOD = "insights.add_period"


def _require(request, *permissions):
    if not any(request.user.has_perm(p) for p in permissions):
        raise PermissionDenied


def index(request):
    _require(request, VIEW, ADD, CHANGE)
    return render(
        request,
        "insights/admin/index.html",
        {
            "rows": selectors.period_overview(),
            "header_title": _("Regional picture: figures"),
            "can_add": request.user.has_perm(ADD),
            "can_change": request.user.has_perm(CHANGE),
            "can_add_period": request.user.has_perm(ADD_PERIOD),
        },
    )


def period_create(request):
    _require(request, ADD_PERIOD)
    form = PeriodForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            period = services.create_period(**form.cleaned_data)
        except services.FiguresError as exc:
            for field, errors in exc.errors.items():
                for error in errors:
                    form.add_error(field, error)
        else:
            messages.success(request, _("Period %(period)s created.") % {"period": period.label})
            return redirect("insights_admin:index")
    return render(
        request,
        "insights/admin/form.html",
        {"form": form, "header_title": _("New period"), "submit": _("Create period")},
    )


def figures_new(request):
    """Choose period and house; one entry per house per period."""
    _require(request, ADD)
    form = NewFiguresForm(request.POST or None, initial=request.GET.dict())
    if request.method == "POST" and form.is_valid():
        return redirect(
            "insights_admin:figures",
            period_id=form.cleaned_data["period"].pk,
            house=form.cleaned_data["house"].slug,
        )
    return render(
        request,
        "insights/admin/form.html",
        {"form": form, "header_title": _("Enter figures"), "submit": _("Next")},
    )


def figures_edit(request, period_id: int, house: str):
    period = get_object_or_404(Period, pk=period_id)
    region = get_object_or_404(Region, slug=house)
    figures = (
        HouseFigures.objects.filter(period=period, house=region)
        .prefetch_related("municipality_counts", "groupings")
        .first()
    )
    _require(request, CHANGE if figures else ADD)
    municipalities = Municipality.objects.filter(region=region).order_by("name")
    initial, rows = FiguresForm.initial_for(figures)
    form = FiguresForm(
        request.POST or None,
        initial=initial,
        house=region,
        municipalities=municipalities,
        grouping_rows=rows,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.save_house_figures(
                period_id=period.pk,
                house_id=region.pk,
                data=form.to_input(),
                replace=figures is not None,
                now=timezone.now(),
            )
        except services.FiguresError as exc:
            for field, errors in exc.errors.items():
                if field in form.fields or field is None:
                    for error in errors:
                        form.add_error(field, error)
                else:
                    form.group_errors[field] = errors
                    form.add_error(None, _("Some figures do not add up; see the messages below."))
        else:
            messages.success(
                request,
                _("The figures of %(house)s for %(period)s have been saved.")
                % {"house": region.name, "period": period.label},
            )
            return redirect("insights_admin:period", period_id=period.pk)
    return render(
        request,
        "insights/admin/figures_form.html",
        {
            "form": form,
            "period": period,
            "house": region,
            "figures": figures,
            "header_title": _("Figures of %(house)s, %(period)s")
            % {"house": region.name, "period": period.label},
            "can_delete": figures is not None and request.user.has_perm(DELETE),
            "live": RegionalPicturePage.objects.filter(period=period, live=True).exists(),
        },
    )


@require_POST
def figures_delete(request, figures_id: int):
    _require(request, DELETE)
    figures = get_object_or_404(HouseFigures.objects.select_related("period"), pk=figures_id)
    period_id = figures.period_id
    services.delete_house_figures(figures_id=figures.pk, now=timezone.now())
    messages.success(request, _("The figures have been deleted."))
    return redirect("insights_admin:period", period_id=period_id)


def period_detail(request, period_id: int):
    _require(request, VIEW, ADD, CHANGE)
    period = get_object_or_404(Period.objects.select_related("page"), pk=period_id)
    published = Published(period.published_figures)
    page = getattr(period, "page", None)
    return render(
        request,
        "insights/admin/period.html",
        {
            "period": period,
            "houses": selectors.house_figures_detail(period=period),
            "missing": Region.objects.exclude(
                pk__in=period.house_figures.values("house_id")
            ).order_by("name"),
            "small": published.count(Mark.SMALL),
            "hidden": published.count(Mark.HIDDEN),
            "withheld": published.withheld,
            "page": page,
            "header_title": period.label,
            "can_add": request.user.has_perm(ADD),
            "can_change": request.user.has_perm(CHANGE),
            "index_url": reverse("insights_admin:index"),
        },
    )


def figures_import(request):
    _require(request, ADD)
    form = ImportForm(request.POST or None, request.FILES or None)
    result = None
    problems: list[str] = []
    if request.method == "POST" and form.is_valid():
        replace = form.cleaned_data["replace"]
        if replace and not request.user.has_perm(CHANGE):
            raise PermissionDenied
        upload = form.cleaned_data["file"]
        try:
            if upload.size > 2 * 1024 * 1024:
                raise SheetError(_("The file is larger than 2 MB."))
            rows = read_sheet(upload.read(), upload.name)
            result = services.import_figures(rows=rows, replace=replace, now=timezone.now())
        except SheetError as exc:
            form.add_error("file", exc.message)
        except services.FiguresError as exc:
            problems = exc.lines or [m for ms in exc.errors.values() for m in ms]
            form.add_error("file", _("Nothing has been imported; correct the lines below."))
    return render(
        request,
        "insights/admin/import.html",
        {
            "form": form,
            "result": result,
            "problems": problems,
            "header_title": _("Import figures"),
        },
    )
