from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.fields import StreamField
from wagtail.models import Site

from website.blocks import LinkBlock
from website.routing import cached_setting


@register_setting(icon="site")
class SiteSettings(BaseGenericSetting):
    """Navigation, footer, contact and statements, edited under Settings."""

    main_navigation = StreamField(
        [("link", LinkBlock())], verbose_name=_("main navigation"), blank=True
    )
    footer_text = models.TextField(_("footer text"), blank=True)
    footer_links = StreamField([("link", LinkBlock())], verbose_name=_("footer links"), blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    contact_address = models.TextField(_("contact address"), blank=True)
    privacy_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("privacy statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    accessibility_page = models.ForeignKey(
        "wagtailcore.Page",
        verbose_name=_("accessibility statement"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    coordinator_email = models.EmailField(
        _("coordinators' e-mail"),
        blank=True,
        help_text=_("Receives notices of new requests and registrations."),
    )

    panels = [
        FieldPanel("main_navigation"),
        MultiFieldPanel(
            [FieldPanel("footer_text"), FieldPanel("footer_links")], heading=_("Footer")
        ),
        MultiFieldPanel(
            [
                FieldPanel("contact_email"),
                FieldPanel("contact_phone"),
                FieldPanel("contact_address"),
            ],
            heading=_("Contact"),
        ),
        MultiFieldPanel(
            [FieldPanel("privacy_page"), FieldPanel("accessibility_page")],
            heading=_("Statements"),
        ),
        FieldPanel("coordinator_email"),
    ]

    select_related = ["privacy_page", "accessibility_page"]

    @classmethod
    def load(cls, request_or_site=None):
        """Per request from the shared cache under the content stamp (no query)."""
        if request_or_site is None or isinstance(request_or_site, Site):
            return super().load(request_or_site)
        attr_name = cls.get_cache_attr_name()
        if not hasattr(request_or_site, attr_name):
            obj = cached_setting(cls, request_or_site, cls._get_or_create)
            setattr(request_or_site, attr_name, obj)
        return getattr(request_or_site, attr_name)

    class Meta:
        verbose_name = _("site settings")
