"""Podcast pages: the overview (/podcasts/), a show and its episodes.

Pages stay thin: fields, panels, checks of what the editor uploads, and a
``get_context`` that calls a selector. The feed is a sub-route of the show page.
"""

from __future__ import annotations

import uuid

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
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from website import fragments

from .. import apple, choosers
from ..audio import AUDIO_TYPES, TRANSCRIPT_TYPES

ARTWORK_MIN = 1400
ARTWORK_MAX = 3000
SHOW_NOTES_FEATURES = ["bold", "italic", "ol", "ul", "link"]


# What podcasts.selectors.episode_detail gives an episode page.
EPISODE_DETAIL = (
    "show",
    "feed_url",
    "subscribe_links",
    "audio_url",
    "duration",
    "duration_words",
    "transcript_paragraphs",
    "chapters",
    "target_groups",
    "themes",
)


def fragment_context(request, page) -> dict:
    """The key and lifetime of a page's cached fragments (``{% cache %}``): the content
    stamp and a five-minute bucket (an episode whose publication time arrives shows
    within it), the page and the query string (the page number)."""
    return fragments.fragment_context(
        request,
        page.pk,
        request.GET.urlencode(),
        seconds=getattr(settings, "PODCASTS_CACHE_SECONDS", 300),
    )


class ShowType(models.TextChoices):
    EPISODIC = "episodic", _("Episodic (newest first)")
    SERIAL = "serial", _("Serial (oldest first)")


class EpisodeType(models.TextChoices):
    FULL = "full", _("Full episode")
    TRAILER = "trailer", _("Trailer")
    BONUS = "bonus", _("Bonus")


class PodcastIndexPage(Page):
    """All shows, at /podcasts/."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    template = "pages/podcasts/podcast_index_page.html"
    parent_page_types = ["website.HomePage"]
    subpage_types = ["podcasts.PodcastShowPage"]
    max_count = 1
    search_rank = 0  # an overview: after the episodes that match (website.search)

    page_description = _("The overview of all podcasts.")

    class Meta:
        verbose_name = _("podcast overview")
        verbose_name_plural = _("podcast overviews")

    def get_context(self, request, *args, **kwargs):
        from ..selectors import show_list  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        # Built only when the rendered fragment is not in the cache (see fragment_context).
        context["shows"] = SimpleLazyObject(
            lambda: show_list(parent=self, page_number=request.GET.get("pagina"))
        )
        context.update(fragment_context(request, self))
        return context


class PodcastShowPage(RoutablePageMixin, Page):
    """A podcast: what the feed says about the show, and where to subscribe."""

    description = models.TextField(
        _("description"), max_length=4000, help_text=_("Shown in podcast apps (plain text).")
    )
    artwork = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("artwork"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Square JPEG or PNG, at least 1400 x 1400 pixels (3000 x 3000 is best)."),
    )
    language = models.CharField(_("language"), max_length=10, default="nl")
    category = models.CharField(
        _("Apple Podcasts category"),
        max_length=80,
        choices=apple.choices(),
        default="Government",
    )
    explicit = models.BooleanField(_("explicit content"), default=False)
    show_type = models.CharField(
        _("show type"), max_length=10, choices=ShowType.choices, default=ShowType.EPISODIC
    )
    author = models.CharField(_("author"), max_length=200)
    owner_name = models.CharField(_("owner name"), max_length=200)
    owner_email = models.EmailField(
        _("owner e-mail"), help_text=_("Podcast directories send verification e-mails here.")
    )
    copyright = models.CharField(_("copyright"), max_length=200, blank=True)
    feed_locked = models.BooleanField(
        _("locked against moving"),
        default=True,
        help_text=_("Tells other hosting platforms not to import this feed (podcast:locked)."),
    )
    podcast_guid = models.UUIDField(_("podcast GUID"), null=True, blank=True, editable=False)
    apple_podcasts_url = models.URLField(_("Apple Podcasts link"), blank=True)
    spotify_url = models.URLField(_("Spotify link"), blank=True)
    pocket_casts_url = models.URLField(_("Pocket Casts link"), blank=True)
    youtube_music_url = models.URLField(_("YouTube Music link"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldPanel("description"),
        FieldPanel("artwork"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("category"), FieldPanel("language")]),
                FieldRowPanel([FieldPanel("show_type"), FieldPanel("explicit")]),
                FieldPanel("author"),
                FieldRowPanel([FieldPanel("owner_name"), FieldPanel("owner_email")]),
                FieldPanel("copyright"),
                FieldPanel("feed_locked"),
            ],
            heading=_("Feed"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("apple_podcasts_url"),
                FieldPanel("spotify_url"),
                FieldPanel("pocket_casts_url"),
                FieldPanel("youtube_music_url"),
            ],
            heading=_("Links to the show in podcast apps"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("description"),
        index.AutocompleteField("description"),
    ]
    template = "pages/podcasts/podcast_show_page.html"
    parent_page_types = ["podcasts.PodcastIndexPage"]
    subpage_types = ["podcasts.PodcastEpisodePage"]
    exclude_fields_in_copy = ["podcast_guid"]

    page_description = _("A podcast (show) with its episodes and its RSS feed for podcast apps.")

    class Meta:
        verbose_name = _("podcast (show)")
        verbose_name_plural = _("podcasts (shows)")

    def clean(self):
        super().clean()
        image = self.artwork if self.artwork_id else None
        if image is not None:
            if image.width != image.height:
                raise ValidationError({"artwork": _("The artwork must be square.")})
            if image.width < ARTWORK_MIN:
                raise ValidationError(
                    {
                        "artwork": _(
                            "The artwork is %(size)s pixels wide; podcast apps need at least "
                            "1400 x 1400 pixels."
                        )
                        % {"size": image.width}
                    }
                )
            if (image.file.name or "").rsplit(".", 1)[-1].lower() not in {
                "jpg",
                "jpeg",
                "png",
            }:
                raise ValidationError({"artwork": _("Upload the artwork as a JPEG or PNG file.")})

    def with_content_json(self, content):
        """A revision never changes the GUID the show got when it was first published
        (revisions made before that carry none)."""
        obj = super().with_content_json(content)
        obj.podcast_guid = self.podcast_guid or obj.podcast_guid
        return obj

    @property
    def search_label(self) -> str:
        return str(_("Podcast"))

    @property
    def search_summary(self) -> str:
        return self.description

    @property
    def feed_rendition_spec(self) -> str:
        side = min(max(self.artwork.width, ARTWORK_MIN), ARTWORK_MAX) if self.artwork_id else 0
        return f"fill-{side}x{side}"

    @property
    def feed_artwork_spec(self) -> str:
        """Square, 1400-3000 px, JPEG or PNG as Apple requires: one spec for the prefetch
        and the lookup, so a built rendition is found instead of rendered again."""
        if not self.artwork_id:
            return self.feed_rendition_spec
        kind = "png" if self.artwork.file.name.lower().endswith(".png") else "jpeg"
        return f"{self.feed_rendition_spec}|format-{kind}"

    def get_context(self, request, *args, **kwargs):
        from .. import services  # noqa: PLC0415 (cycle: services import models)
        from ..selectors import (  # noqa: PLC0415 (cycle: selectors import models)
            show_detail,
            subscribe_links,
        )

        context = super().get_context(request, *args, **kwargs)
        # The show's content (artwork, subscribe links, the episode list) is a fragment:
        # built only when it is not in the cache. The feed's address is in the head too.
        context["episodes"] = SimpleLazyObject(
            lambda: show_detail(self, request=request)["episodes"]
        )
        context["feed_url"] = services.feed_url(self)
        context["subscribe_links"] = SimpleLazyObject(lambda: subscribe_links(self))
        context.update(fragment_context(request, self))
        return context

    @path("feed/", name="feed")
    def feed(self, request):
        from ..views import feed_response  # noqa: PLC0415 (cycle: views import models)

        return feed_response(request, show=self)


class EpisodeTag(TaggedItemBase):
    """Themes: the shared taggit.Tag table, so a theme is one slug across apps."""

    content_object = ParentalKey(
        "podcasts.PodcastEpisodePage", on_delete=models.CASCADE, related_name="tagged_items"
    )

    class Meta:
        verbose_name = _("episode theme")
        verbose_name_plural = _("episode themes")


class PodcastEpisodePage(Page):
    """One episode. The audio facts are read from the file; never typed in."""

    summary = models.TextField(
        _("summary"), max_length=4000, help_text=_("Shown on cards, in search and in apps.")
    )
    show_notes = RichTextField(_("show notes"), blank=True, features=SHOW_NOTES_FEATURES)
    audio = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("audio file (MP3 or M4A)"),
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    publication_date = models.DateTimeField(
        _("publication date"),
        default=timezone.now,
        help_text=_("The episode appears in the feed from this moment."),
    )
    season = models.PositiveSmallIntegerField(_("season"), null=True, blank=True)
    episode_number = models.PositiveIntegerField(_("episode number"), null=True, blank=True)
    episode_type = models.CharField(
        _("episode type"), max_length=10, choices=EpisodeType.choices, default=EpisodeType.FULL
    )
    transcript = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("transcript (WebVTT or SRT)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    chapters = models.ForeignKey(
        "wagtaildocs.Document",
        verbose_name=_("chapters (JSON)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Optional: a Podcasting 2.0 JSON chapters file."),
    )
    guests = models.TextField(_("guests"), blank=True, help_text=_("One guest per line."))
    target_groups = ParentalManyToManyField(
        "website.TargetGroup", verbose_name=_("target groups"), blank=True, related_name="+"
    )
    tags = ClusterTaggableManager(through=EpisodeTag, blank=True, verbose_name=_("themes"))

    # Read from the files by ``clean()``, never typed in.
    enclosure_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    audio_source = models.CharField(max_length=300, blank=True, editable=False)
    audio_type = models.CharField(max_length=4, blank=True, editable=False)
    audio_size = models.PositiveBigIntegerField(default=0, editable=False)
    audio_duration = models.PositiveIntegerField(default=0, editable=False)
    download_threshold = models.PositiveBigIntegerField(default=0, editable=False)
    transcript_type = models.CharField(max_length=4, blank=True, editable=False)
    transcript_text = models.TextField(blank=True, editable=False)
    chapter_list = models.JSONField(default=list, blank=True, editable=False)

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("audio", widget=choosers.audio.widget_class),
        FieldPanel("show_notes"),
        FieldPanel("transcript", widget=choosers.transcript.widget_class),
        MultiFieldPanel(
            [
                FieldPanel("publication_date"),
                FieldRowPanel(
                    [
                        FieldPanel("season"),
                        FieldPanel("episode_number"),
                        FieldPanel("episode_type"),
                    ]
                ),
                FieldPanel("chapters", widget=choosers.chapters.widget_class),
                FieldPanel("guests"),
            ],
            heading=_("Episode"),
        ),
        MultiFieldPanel(
            [
                FieldPanel("target_groups", widget=forms.CheckboxSelectMultiple),
                FieldPanel("tags"),
            ],
            heading=_("Target groups and themes"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.AutocompleteField("summary"),
        index.SearchField("show_notes"),
        index.SearchField("transcript_text"),
        index.AutocompleteField("transcript_text"),
        index.SearchField("guests"),
        index.RelatedFields("tags", [index.SearchField("name")]),
    ]
    template = "pages/podcasts/podcast_episode_page.html"
    parent_page_types = ["podcasts.PodcastShowPage"]
    subpage_types: list = []
    exclude_fields_in_copy = ["enclosure_uuid"]

    page_description = _("One episode of a podcast: audio, transcript and show notes.")

    class Meta:
        verbose_name = _("podcast episode")
        verbose_name_plural = _("podcast episodes")

    @property
    def search_label(self) -> str:
        return str(_("Podcast episode"))

    @property
    def search_summary(self) -> str:
        return self.summary

    @property
    def audio_mime_type(self) -> str:
        return AUDIO_TYPES.get(self.audio_type, "audio/mpeg")

    @property
    def transcript_mime_type(self) -> str:
        return TRANSCRIPT_TYPES.get(self.transcript_type, "text/vtt")

    @property
    def guest_list(self) -> list[str]:
        return [line.strip() for line in self.guests.splitlines() if line.strip()]

    def clean(self):
        super().clean()
        from ..services import read_episode_files  # noqa: PLC0415 (cycle: services import models)

        errors = read_episode_files(self)
        if errors:
            raise ValidationError(errors)

    def get_context(self, request, *args, **kwargs):
        from ..selectors import episode_detail  # noqa: PLC0415 (cycle: selectors import models)

        context = super().get_context(request, *args, **kwargs)
        # Built only when the rendered article is not in the fragment cache.
        detail = SimpleLazyObject(lambda: episode_detail(self, request=request))
        for name in EPISODE_DETAIL:
            context[name] = SimpleLazyObject(lambda name=name: detail[name])
        context.update(fragment_context(request, self))
        return context
