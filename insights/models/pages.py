"""Publication under /regionaal-beeld/: an overview, and per period one page whose
routes show the whole region, each house, each local picture and a CSV of the figures.

A period page is visible to partners only unless an editor makes it public: Wagtail's
own page privacy, set to the Partner group (and the staff who work with the figures)
when the page is created. The pages only read the period's suppressed snapshot.
"""

from __future__ import annotations

from django.db import models
from django.http import Http404, HttpResponse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.models import BaseViewRestriction, Page
from wagtail.search import index

TEMPLATES = "pages/insights/"


class RegionalPictureIndexPage(Page):
    """/regionaal-beeld/: the periods this visitor may see, and the rule."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = TEMPLATES + "index_page.html"
    parent_page_types = ["website.HomePage"]
    subpage_types = ["insights.RegionalPicturePage"]
    max_count = 1

    page_description = _("The overview of regional pictures per period.")

    class Meta:
        verbose_name = _("regional picture overview")
        verbose_name_plural = _("regional picture overviews")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import visible_periods  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        context["periods"] = visible_periods(index=self, request=request)
        return context


class RegionalPicturePage(RoutablePageMixin, Page):
    """One period: the whole region at its own URL, a house at ``<house slug>/``, a
    local picture at ``gemeente/<municipality slug>/``, the figures at ``cijfers/`` (CSV)."""

    period = models.OneToOneField(
        "insights.Period",
        verbose_name=_("period"),
        on_delete=models.PROTECT,
        related_name="page",
        help_text=_("The figures of this period, as the analysts entered them."),
    )
    intro = models.TextField(
        _("introduction"),
        blank=True,
        help_text=_("What stands out this period (no figures about individuals)."),
    )

    content_panels = [*Page.content_panels, FieldPanel("period"), FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = TEMPLATES + "period_page.html"
    parent_page_types = ["insights.RegionalPictureIndexPage"]
    subpage_types: list[str] = []

    page_description = _("The regional picture of one period: figures and trends for the region.")

    class Meta:
        verbose_name = _("regional picture of a period")
        verbose_name_plural = _("regional pictures of periods")

    def get_default_privacy_setting(self, request):
        """New periods start visible to partners only (Wagtail's page privacy)."""
        from ..selectors import audience_groups  # noqa: PLC0415 (cycle: selectors import models)

        return {"type": BaseViewRestriction.GROUPS, "groups": audience_groups()}

    @path("")
    def region(self, request):
        from ..selectors import region_picture  # noqa: PLC0415 (cycle: selectors import models)

        return self.render(request, context_overrides=region_picture(page=self))

    @path("gemeente/<slug:municipality>/")
    def local_picture(self, request, municipality):
        from ..selectors import local_picture  # noqa: PLC0415 (cycle: selectors import models)

        context = local_picture(page=self, municipality=municipality)
        if context is None:
            raise Http404
        return self.render(
            request, template=TEMPLATES + "local_picture.html", context_overrides=context
        )

    @path("cijfers/", name="export")
    def export(self, request):
        from ..exports import published_csv  # noqa: PLC0415 (cycle: exports import models)

        response = HttpResponse(published_csv(page=self), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="regionaal-beeld-{self.slug}.csv"'
        return response

    @path("<slug:house>/")
    def house(self, request, house):
        from ..selectors import house_picture  # noqa: PLC0415 (cycle: selectors import models)

        context = house_picture(page=self, house=house)
        if context is None:
            raise Http404
        return self.render(request, template=TEMPLATES + "house.html", context_overrides=context)
