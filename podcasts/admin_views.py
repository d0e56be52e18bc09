"""Download figures for coordinators: per day and show, per episode, per app."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy
from wagtail.admin.views.reports import ReportView
from wagtail.permission_policies import ModelPermissionPolicy

from website.admin_exports import CoordinatorExportMixin
from website.converters import parse_id
from website.forms import IdModelChoiceField

from . import selectors
from .models import PodcastEpisodePage, PodcastShowPage

# Who may see the figures: one policy, so the roles' own permission is a one-line change.
downloads_policy = ModelPermissionPolicy("podcasts.DownloadCount")


def user_may_see_downloads(user) -> bool:
    return downloads_policy.user_has_permission(user, "view")


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


class DownloadsView(CoordinatorExportMixin, ReportView):
    """Wagtail's report view: the per-episode figures are the listing (and the export);
    per day, per app and one episode's days stand beside it."""

    permission_policy = downloads_policy
    permission_required = "view"  # -> podcasts.view_downloadcount
    page_title = gettext_lazy("Podcast downloads")
    header_icon = "media"
    template_name = "admin/report.html"
    results_template_name = "podcasts/admin/downloads.html"
    index_url_name = "podcasts_downloads"
    paginate_by = None
    list_export = ["title", "show", "total"]
    export_headings = {
        "title": gettext_lazy("Episode"),
        "show": gettext_lazy("Podcast"),
        "total": gettext_lazy("Downloads"),
    }

    @cached_property
    def header_more_buttons(self):
        return []  # the export buttons stand in the page

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.form = ReportFilterForm(request.GET or None)
        cleaned = self.form.cleaned_data if self.form.is_valid() else {}
        self.days = int(cleaned.get("period") or 30)
        self.until = timezone.localdate()
        self.since = self.until - dt.timedelta(days=self.days - 1)
        self.show = cleaned.get("show")

    @cached_property
    def report(self):
        return selectors.download_report(
            since=self.since, until=self.until, show_id=self.show.pk if self.show else None
        )

    def get_base_queryset(self):
        return self.report["episodes"]

    def get_index_results_url(self):
        return self.get_index_url()

    def get_export_name_parts(self):
        show = self.show.title if self.show else ""
        return ["podcast-downloads", show, self.since.isoformat(), self.until.isoformat()]

    def get_context_data(self, *args, **kwargs):
        context = super().get_context_data(*args, **kwargs)
        episode = None
        episode_id = parse_id(self.request.GET.get("episode"))
        if episode_id is not None:
            episode = PodcastEpisodePage.objects.filter(pk=episode_id).only("title").first()
        context.update(
            form=self.form,
            report=self.report,
            episode=episode,
            episode_days=selectors.episode_daily(
                episode_id=episode.pk, since=self.since, until=self.until
            )
            if episode
            else [],
            period=str(self.days),
            since=self.since,
            until=self.until,
            csv_export_url=self.csv_export_url,
            xlsx_export_url=self.xlsx_export_url,
        )
        return context
