from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail import blocks
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index
from wagtail.snippets.blocks import SnippetChooserBlock

from website import fragments
from website.blocks import BodyBlock, LinkBlock
from website.documents import check_use

from ..choices import PlanStatus, ProductKind

PRODUCT_TYPES = [
    "outreach.InfoSheetPage",
    "outreach.AnimationPage",
    "outreach.WebinarRecordingPage",
]


class ProductTag(TaggedItemBase):
    """Themes: the shared taggit.Tag table, so a theme is one slug across apps."""

    content_object = ParentalKey(
        "outreach.ProductPage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("product theme")
        verbose_name_plural = _("product themes")


class ProductPage(Page):
    """What the communication plan publishes: shared fields and one listing card."""

    kind = ""
    summary = models.TextField(_("summary"), help_text=_("Shown on the card and in search."))
    purpose = models.TextField(
        _("purpose"), blank=True, help_text=_("What this product should achieve for its groups.")
    )
    publication_date = models.DateField(_("publication date"), default=timezone.localdate)
    target_groups = ParentalManyToManyField(
        "website.TargetGroup", verbose_name=_("target groups"), related_name="products"
    )
    tags = ClusterTaggableManager(
        through=ProductTag, verbose_name=_("themes"), blank=True, related_name="products"
    )
    card_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("card image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    product_panels = [
        FieldPanel("summary"),
        MultiFieldPanel(
            [
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
                FieldPanel("purpose"),
                FieldPanel("publication_date"),
                FieldPanel("card_image"),
            ],
            heading=_("Communication plan"),
        ),
    ]
    content_panels = [*Page.content_panels, *product_panels]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("purpose"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    parent_page_types = ["outreach.ProductIndexPage"]
    subpage_types: list = []
    is_creatable = False

    page_description = _("A product of the communication plan.")

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")

    @property
    def search_label(self) -> str:
        return str(self._meta.verbose_name)

    @property
    def search_summary(self) -> str:
        return self.summary

    def get_context(self, request, *args, **kwargs):
        from ..selectors import product_detail  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        # Built only when the rendered article is not in the fragment cache.
        detail = SimpleLazyObject(lambda: product_detail(self))
        context["target_groups"] = SimpleLazyObject(lambda: detail["target_groups"])
        context["themes"] = SimpleLazyObject(lambda: detail["themes"])
        context.update(
            fragments.fragment_context(
                request, self.pk, seconds=getattr(settings, "CARD_CACHE_SECONDS", 300)
            )
        )
        return context


class InfoSheetPage(ProductPage):
    kind = ProductKind.INFOSHEET
    body = StreamField(BodyBlock(), verbose_name=_("content"), blank=True)
    pdf = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("PDF to download"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [*ProductPage.content_panels, FieldPanel("body"), FieldPanel("pdf")]
    search_fields = [
        *ProductPage.search_fields,
        index.SearchField("body"),
        index.AutocompleteField("body"),
    ]
    template = "pages/outreach/info_sheet_page.html"
    is_creatable = True

    page_description = _(
        "An info sheet for one or more target groups, with a document to download."
    )

    class Meta:
        verbose_name = _("info sheet")
        verbose_name_plural = _("info sheets")

    def clean(self):
        super().clean()
        if error := check_use(self.pdf, "pdf"):
            raise ValidationError({"pdf": error})


class VideoFields(models.Model):
    """A self-hosted video with captions, or an external video behind a click."""

    video = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video file (MP4 or WebM)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    captions = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("captions (WebVTT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Required for a self-hosted video."),
    )
    poster = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("poster image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    external_video_id = models.CharField(
        _("YouTube video id"),
        max_length=20,
        blank=True,
        help_text=_("Shown via youtube-nocookie.com, only after the visitor clicks."),
    )
    transcript = RichTextField(_("transcript"), blank=True)

    video_panels = [
        MultiFieldPanel(
            [
                FieldPanel("video"),
                FieldPanel("captions"),
                FieldPanel("poster"),
                FieldPanel("external_video_id"),
                FieldPanel("transcript"),
            ],
            heading=_("Video"),
        )
    ]

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    def clean(self):
        super().clean()
        errors = {}
        if error := check_use(self.video, "video"):
            errors["video"] = error
        if self.video_id and not self.captions_id:
            errors["captions"] = _("A video needs a WebVTT caption file before it is published.")
        if self.captions_id and not self.captions.file.name.lower().endswith(".vtt"):
            errors["captions"] = _("Upload captions as a WebVTT (.vtt) file.")
        if (
            self.external_video_id
            and not self.external_video_id.replace("-", "").replace("_", "").isalnum()
        ):
            errors["external_video_id"] = _("Enter only the video id, e.g. dQw4w9WgXcQ.")
        if errors:
            raise ValidationError(errors)

    @property
    def external_embed_url(self):
        if not self.external_video_id:
            return ""
        return f"https://www.youtube-nocookie.com/embed/{self.external_video_id}?autoplay=1"

    @property
    def external_watch_url(self):
        return f"https://www.youtube.com/watch?v={self.external_video_id}"


class AnimationPage(VideoFields, ProductPage):
    kind = ProductKind.ANIMATION
    audio_description = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("video with audio description"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    described_transcript = RichTextField(
        _("described transcript"),
        blank=True,
        help_text=_("Speech and what is shown (WCAG 1.2.5), if there is no audio description."),
    )

    content_panels = [
        *ProductPage.content_panels,
        *VideoFields.video_panels,
        FieldPanel("audio_description"),
        FieldPanel("described_transcript"),
    ]
    search_fields = [
        *ProductPage.search_fields,
        index.SearchField("transcript"),
        index.AutocompleteField("transcript"),
        index.SearchField("described_transcript"),
    ]
    template = "pages/outreach/video_page.html"
    is_creatable = True

    page_description = _(
        "A short animation video with a transcript, for one or more target groups."
    )

    class Meta:
        verbose_name = _("animation")
        verbose_name_plural = _("animations")

    def clean(self):
        super().clean()
        if not self.video_id and not self.external_video_id:
            raise ValidationError({"video": _("Add a video file or a YouTube video id.")})
        if error := check_use(self.audio_description, "video"):
            raise ValidationError({"audio_description": error})
        if not self.audio_description_id and not self.described_transcript:
            raise ValidationError(
                {
                    "described_transcript": _(
                        "Add an audio description or a described transcript (WCAG 1.2.5)."
                    )
                }
            )


class WebinarRecordingPage(VideoFields, ProductPage):
    kind = ProductKind.RECORDING
    slides = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("slides (PDF)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    webinar = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("webinar"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The webinar this recording comes from."),
    )

    content_panels = [
        *ProductPage.content_panels,
        *VideoFields.video_panels,
        FieldPanel("slides"),
        FieldPanel("webinar"),
    ]
    search_fields = [
        *ProductPage.search_fields,
        index.SearchField("transcript"),
        index.AutocompleteField("transcript"),
    ]
    template = "pages/outreach/video_page.html"
    is_creatable = True

    page_description = _("The recording of a webinar to watch back, with a transcript.")

    class Meta:
        verbose_name = _("webinar recording")
        verbose_name_plural = _("webinar recordings")

    def clean(self):
        super().clean()
        if not self.video_id and not self.external_video_id:
            raise ValidationError({"video": _("Add a video file or a YouTube video id.")})
        if error := check_use(self.slides, "pdf"):
            raise ValidationError({"slides": error})


def _listing_fragment(request, page) -> dict:
    """``fragment_key`` and ``cache_seconds`` of a listing's rendered content: the page,
    the query string (filters and page number; the pagination links repeat the rest) and
    the request's content stamp and time bucket (``website.fragments``; the cache tag
    hashes the key, so its length is fixed)."""
    return fragments.fragment_context(
        request,
        page.pk,
        request.GET.urlencode(),
        seconds=getattr(settings, "CARD_CACHE_SECONDS", 300),
    )


class ProductIndexPage(Page):
    """/producten/: everything, filterable by type, target group and theme."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = PRODUCT_TYPES
    max_count = 1
    template = "pages/outreach/product_index_page.html"
    search_rank = 0  # an overview: after the products that match (website.search)

    page_description = _(
        "The overview of all products, with filters by target group, theme and kind."
    )

    class Meta:
        verbose_name = _("product overview")
        verbose_name_plural = _("product overviews")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import product_overview  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        # Built only when the rendered listing is not in the fragment cache (keyed on the
        # filters and the page number, under the content stamp).
        context["overview"] = SimpleLazyObject(lambda: product_overview(request.GET))
        context.update(_listing_fragment(request, self))
        return context


class TargetGroupIndexPage(Page):
    """/voor/: the target groups, each with a page of its own."""

    intro = models.TextField(_("introduction"), blank=True)
    content_panels = [*Page.content_panels, FieldPanel("intro")]
    parent_page_types = ["website.HomePage"]
    subpage_types = ["outreach.TargetGroupPage"]
    max_count = 1
    template = "pages/outreach/target_group_index_page.html"
    search_rank = 0

    page_description = _('The overview of target groups ("Producten per doelgroep").')

    class Meta:
        verbose_name = _("target group overview")
        verbose_name_plural = _("target group overviews")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["groups"] = (
            TargetGroupPage.objects.child_of(self).live().public().select_related("target_group")
        )
        return context


class OfferBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"), required=False)
    link = LinkBlock(label=_("link"))

    class Meta:
        icon = "pick"
        label = _("offer")


class TargetGroupPage(Page):
    """/voor/<slug>/: everything tailored to one target group."""

    target_group = models.OneToOneField(
        "website.TargetGroup",
        verbose_name=_("target group"),
        on_delete=models.PROTECT,
        related_name="landing_page",
    )
    intro = RichTextField(_("introduction"), blank=True)
    pinned = StreamField(
        [("page", blocks.PageChooserBlock(label=_("page")))],
        verbose_name=_("pinned items"),
        blank=True,
        help_text=_("Shown first, in this order."),
    )
    offers = StreamField(
        [("offer", OfferBlock())],
        verbose_name=_("offers"),
        blank=True,
        help_text=_("E.g. training in company, pressure cooker."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("target_group"),
        FieldPanel("intro"),
        FieldPanel("pinned"),
        FieldPanel("offers"),
    ]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["outreach.TargetGroupIndexPage"]
    subpage_types: list = []
    template = "pages/outreach/target_group_page.html"

    @property
    def search_label(self) -> str:
        return str(_("For target group"))

    page_description = _("The landing page of one target group: everything published for it.")

    class Meta:
        verbose_name = _("target group page")
        verbose_name_plural = _("target group pages")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import landing  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        # Built only when the rendered page is not in the fragment cache.
        context["listing"] = SimpleLazyObject(
            lambda: landing(self, page_number=request.GET.get("pagina"))
        )
        context.update(_listing_fragment(request, self))
        return context


class PlannedProductBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("product"))
    purpose = blocks.TextBlock(label=_("purpose"), required=False)
    channel = blocks.CharBlock(label=_("channel"), required=False)
    month = blocks.ChoiceBlock(
        label=_("planned month"),
        required=False,
        choices=[(str(m), str(m)) for m in range(1, 13)],
    )
    status = blocks.ChoiceBlock(label=_("status"), choices=PlanStatus.choices, default="idea")
    page = blocks.PageChooserBlock(label=_("published product"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("planned product")


class PlanSectionBlock(blocks.StructBlock):
    target_group = SnippetChooserBlock("website.TargetGroup", label=_("target group"))
    goals = blocks.RichTextBlock(label=_("goals"), required=False)
    partners = blocks.TextBlock(label=_("partners to reach better"), required=False)
    products = blocks.ListBlock(PlannedProductBlock(), label=_("planned products"))

    class Meta:
        icon = "group"
        label = _("target group")


class CommunicationPlanPage(Page):
    """One page per year: per target group the goals, partners and planned products."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    intro = RichTextField(_("introduction"), blank=True)
    sections = StreamField(
        [("group", PlanSectionBlock())], verbose_name=_("target groups"), blank=True
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("year"),
        FieldPanel("intro"),
        FieldPanel("sections"),
    ]
    parent_page_types = ["website.HomePage", "website.StandardPage"]
    subpage_types: list = []
    template = "pages/outreach/communication_plan_page.html"
    page_cache = False  # shows live reach figures; read by a few coordinators

    search_rank = 0

    page_description = _("The communication plan: products per month and their reach.")

    class Meta:
        verbose_name = _("communication plan")
        verbose_name_plural = _("communication plans")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import plan_reach  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        context["reach"] = plan_reach(self)
        return context
