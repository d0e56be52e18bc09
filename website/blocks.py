from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageBlock


class LinkValue(blocks.StructValue):
    @property
    def href(self):
        page = self.get("page")
        return page.url if page else self.get("url")

    @property
    def text(self):
        page = self.get("page")
        return self.get("label") or (page.title if page else self.get("url"))


class LinkBlock(blocks.StructBlock):
    """A link to a page or a URL, with an optional label."""

    page = blocks.PageChooserBlock(label=_("page"), required=False)
    url = blocks.CharBlock(
        label=_("URL or path"), required=False, help_text=_("Used when no page is chosen.")
    )
    label = blocks.CharBlock(label=_("label"), required=False)

    class Meta:
        icon = "link"
        label = _("link")
        value_class = LinkValue

    def clean(self, value):
        value = super().clean(value)
        if not value.get("page") and not value.get("url"):
            raise StructBlockValidationError(
                block_errors={"url": ValidationError(_("Choose a page or enter a URL."))}
            )
        if not value.get("page") and not value.get("label"):
            raise StructBlockValidationError(
                block_errors={"label": ValidationError(_("A URL needs a label."))}
            )
        return value


class HeadingBlock(blocks.StructBlock):
    text = blocks.CharBlock(label=_("text"))
    level = blocks.ChoiceBlock(
        label=_("level"), choices=[("h2", _("Heading 2")), ("h3", _("Heading 3"))], default="h2"
    )

    class Meta:
        icon = "title"
        label = _("heading")
        template = "components/blocks/heading.html"


class CallToActionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"))
    text = blocks.TextBlock(label=_("text"), required=False)
    link = LinkBlock(label=_("link"))

    class Meta:
        icon = "pick"
        label = _("call to action")
        template = "components/blocks/call_to_action.html"


class QuoteBlock(blocks.StructBlock):
    quote = blocks.TextBlock(label=_("quote"))
    attribution = blocks.CharBlock(label=_("attribution"), required=False)

    class Meta:
        icon = "openquote"
        label = _("quote")
        template = "components/blocks/quote.html"


class AccordionItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"))
    answer = blocks.RichTextBlock(
        label=_("answer"), features=["bold", "italic", "link", "ul", "ol"]
    )


class AccordionBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    items = blocks.ListBlock(AccordionItemBlock(), label=_("items"))

    class Meta:
        icon = "list-ul"
        label = _("questions and answers")
        template = "components/blocks/accordion.html"


class LinkListBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False)
    links = blocks.ListBlock(LinkBlock(), label=_("links"))

    class Meta:
        icon = "list-ul"
        label = _("list of links")
        template = "components/blocks/link_list.html"


class DocumentBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("document"))
    title = blocks.CharBlock(label=_("title"), required=False)

    class Meta:
        icon = "doc-full"
        label = _("document")
        template = "components/blocks/document.html"


class BodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        label=_("paragraph"), template="components/blocks/paragraph.html"
    )
    image = ImageBlock(label=_("image"), template="components/blocks/image.html")
    quote = QuoteBlock()
    call_to_action = CallToActionBlock()
    accordion = AccordionBlock()
    link_list = LinkListBlock()
    document = DocumentBlock()

    class Meta:
        label = _("content")


class HomeSectionBlock(blocks.StreamBlock):
    """Sections of the home page."""

    text = blocks.StructBlock(
        [
            ("title", blocks.CharBlock(label=_("title"))),
            ("text", blocks.RichTextBlock(label=_("text"))),
        ],
        label=_("text section"),
        icon="doc-full",
        template="components/blocks/text_section.html",
    )
    highlights = blocks.StructBlock(
        [
            ("title", blocks.CharBlock(label=_("title"))),
            (
                "items",
                blocks.ListBlock(
                    blocks.StructBlock(
                        [
                            ("title", blocks.CharBlock(label=_("title"))),
                            ("text", blocks.TextBlock(label=_("text"))),
                            ("link", LinkBlock(label=_("link"))),
                        ]
                    ),
                    label=_("items"),
                ),
            ),
        ],
        label=_("highlights"),
        icon="grip",
        template="components/blocks/highlights.html",
    )
    call_to_action = CallToActionBlock()
    quote = QuoteBlock()

    class Meta:
        label = _("sections")
