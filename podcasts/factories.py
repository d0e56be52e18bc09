"""Test factories for podcast shows and episodes. Used by tests only."""

from __future__ import annotations

import factory
from django.utils import timezone
from django.utils.text import slugify

from podcasts.models import PodcastEpisodePage, PodcastIndexPage, PodcastShowPage
from website.factories import PublishedPageFactory, set_relation


class PodcastIndexPageFactory(PublishedPageFactory):
    title = "Podcasts"
    slug = "podcasts"

    class Meta:
        model = PodcastIndexPage


class PodcastShowPageFactory(PublishedPageFactory):
    """A show under the podcast overview (or ``parent=``); give it ``artwork=``."""

    parent = factory.LazyFunction(lambda: PodcastIndexPage.objects.first())
    title = factory.Sequence(lambda n: f"Podcast {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    description = "Gesprekken met professionals."
    author = "Samen Veilig CTER"
    owner_name = "Samen Veilig CTER"
    owner_email = "podcast@example.nl"

    class Meta:
        model = PodcastShowPage


class PodcastEpisodePageFactory(PublishedPageFactory):
    """An episode under ``parent`` (a show). Its audio, transcript and chapter facts are
    read from the files when the revision is saved, as in the editor."""

    title = factory.Sequence(lambda n: f"Aflevering {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    summary = "Extra"
    show_notes = "<p>Aflevering</p>"
    publication_date = factory.LazyFunction(timezone.now)
    target_groups = set_relation("target_groups")
    tags = set_relation("tags")

    class Meta:
        model = PodcastEpisodePage
