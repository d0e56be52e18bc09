"""Test factories for products and landing pages. Used by tests only."""

from __future__ import annotations

import factory
from django.utils import timezone
from django.utils.text import slugify

from outreach.models import (
    AnimationPage,
    InfoSheetPage,
    ProductIndexPage,
    TargetGroupIndexPage,
    TargetGroupPage,
    WebinarRecordingPage,
)
from website.factories import PublishedPageFactory, TargetGroupFactory, set_relation


class ProductIndexPageFactory(PublishedPageFactory):
    title = "Producten per doelgroep"
    slug = "producten"

    class Meta:
        model = ProductIndexPage


class ProductPageFactory(PublishedPageFactory):
    """Products go under the product overview (or ``parent=``); ``target_groups=[...]``
    and ``tags=["slug", ...]`` are set before the page is published."""

    parent = factory.LazyFunction(lambda: ProductIndexPage.objects.first())
    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    summary = "Extra"
    publication_date = factory.LazyFunction(timezone.localdate)
    target_groups = set_relation("target_groups")
    tags = set_relation("tags")

    class Meta:
        abstract = True


class InfoSheetPageFactory(ProductPageFactory):
    title = factory.Sequence(lambda n: f"Informatieblad {n}")

    class Meta:
        model = InfoSheetPage


class AnimationPageFactory(ProductPageFactory):
    title = factory.Sequence(lambda n: f"Animatie {n}")
    external_video_id = "dQw4w9WgXcQ"
    described_transcript = "<p>Beschrijving van wat te zien en te horen is.</p>"

    class Meta:
        model = AnimationPage


class WebinarRecordingPageFactory(ProductPageFactory):
    title = factory.Sequence(lambda n: f"Webinaropname {n}")
    external_video_id = "dQw4w9WgXcQ"

    class Meta:
        model = WebinarRecordingPage


class TargetGroupIndexPageFactory(PublishedPageFactory):
    title = "Voor wie"
    slug = "voor"

    class Meta:
        model = TargetGroupIndexPage


class TargetGroupPageFactory(PublishedPageFactory):
    """The landing page of a target group (under the target-group overview)."""

    parent = factory.LazyFunction(lambda: TargetGroupIndexPage.objects.first())
    target_group = factory.SubFactory(TargetGroupFactory)
    title = factory.LazyAttribute(lambda page: page.target_group.name)
    slug = factory.LazyAttribute(lambda page: page.target_group.slug)

    class Meta:
        model = TargetGroupPage
