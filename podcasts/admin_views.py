"""Download figures for coordinators: per day and show, per episode, per app."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from website.converters import parse_id
from website.forms import IdModelChoiceField

from . import selectors
from .models import PodcastEpisodePage, PodcastShowPage

PERMISSION = "podcasts.view_downloadcount"
PERIODS = [
    ("7", gettext_lazy("Last 7 days")),
    ("30", gettext_lazy("Last 30 days")),
    ("90", gettext_lazy("Last 90 days")),
    ("365", gettext_lazy("Last year")),
]


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(label=gettext_lazy("Period"), choices=PERIODS, required=False)
    show = IdModelChoiceField(
        label=gettext_lazy("Podcast"),
        queryset=PodcastShowPage.objects.order_by("title"),
        required=False,
        empty_label=gettext_lazy("All podcasts"),
    )


def downloads(request):
    if not request.user.has_perm(PERMISSION):
        raise PermissionDenied
    form = ReportFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    days = int(cleaned.get("period") or 30)
    until = timezone.localdate()
    since = until - dt.timedelta(days=days - 1)
    show = cleaned.get("show")
    report = selectors.download_report(since=since, until=until, show_id=show.pk if show else None)
    episode = None
    episode_id = parse_id(request.GET.get("episode"))
    if episode_id is not None:
        episode = PodcastEpisodePage.objects.filter(pk=episode_id).only("title").first()
    episode_days = (
        selectors.episode_daily(episode_id=episode.pk, since=since, until=until) if episode else []
    )
    return render(
        request,
        "podcasts/admin/downloads.html",
        {
            "form": form,
            "report": report,
            "episode": episode,
            "episode_days": episode_days,
            "period": str(days),
            "since": since,
            "until": until,
            "header_title": _("Podcast downloads"),
        },
    )
