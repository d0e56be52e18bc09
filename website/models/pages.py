from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from website.blocks import BodyBlock, HomeSectionBlock
from website.routing import CachedRouteMixin


class HomePage(CachedRouteMixin, Page):
    """The site's root page."""

    intro = models.TextField(_("introduction"), blank=True)
    hero_link_label = models.CharField(_("hero button label"), max_length=80, blank=True)
    hero_link_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("hero button page"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    body = StreamField(HomeSectionBlock(), verbose_name=_("sections"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("hero_link_label"),
        FieldPanel("hero_link_page"),
        FieldPanel("body"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]

    template = "pages/website/home_page.html"
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    search_rank = 0  # overview pages come after the content that matches (website.search)

    page_description = _("The home page of the site.")

    class Meta:
        verbose_name = _("home page")
        verbose_name_plural = _("home pages")


class StandardPage(Page):
    """A page of text: about CTER, privacy statement, accessibility statement."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("body")]
    search_fields = [
        *Page.search_fields,
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    template = "pages/website/standard_page.html"

    @property
    def search_summary(self) -> str:
        return self.intro

    page_description = _("A plain page with text, e.g. about us, privacy or contact.")

    class Meta:
        verbose_name = _("standard page")
        verbose_name_plural = _("standard pages")
