"""Test factories (factory-boy, wagtail-factories) for what website owns; apps build
their factories on ``PublishedPageFactory``. Used by tests only."""

from __future__ import annotations

import factory
import wagtail_factories
from factory.django import DjangoModelFactory

from website.models import Municipality, Region, TargetGroup


class PublishedPageFactory(wagtail_factories.PageFactory):
    """A page as an editor leaves it: added under ``parent`` and published (a revision,
    ``first_published_at``), after its relations (target groups, themes) are set."""

    class Meta:
        abstract = True
        skip_postgeneration_save = True

    @classmethod
    def _after_postgeneration(cls, instance, create, results=None):
        if create:
            instance.save_revision().publish()


def set_relation(name: str):
    """A post-generation declaration for a many-to-many relation of a page that a
    revision carries (``ParentalManyToManyField``, themes): ``target_groups=[group]``."""

    def setter(obj, create, extracted, **kwargs):
        if extracted is not None:
            getattr(obj, name).set(extracted)

    setter.__name__ = name
    return factory.PostGeneration(setter)


class RegionFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Regio {n}")
    slug = factory.Sequence(lambda n: f"regio-{n}")

    class Meta:
        model = Region
        django_get_or_create = ("slug",)


class MunicipalityFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Gemeente {n}")
    slug = factory.Sequence(lambda n: f"gemeente-{n}")
    region = factory.SubFactory(RegionFactory)

    class Meta:
        model = Municipality
        django_get_or_create = ("slug",)


class TargetGroupFactory(DjangoModelFactory):
    name = factory.Sequence(lambda n: f"Doelgroep {n}")
    slug = factory.Sequence(lambda n: f"doelgroep-{n}")

    class Meta:
        model = TargetGroup
        django_get_or_create = ("slug",)
