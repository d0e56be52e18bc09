"""Test factories for trainings, sessions, registrations and people. Used by tests only."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone
from django.utils.text import slugify
from factory.django import DjangoModelFactory

from learning.models import (
    AMSTERDAM,
    EventType,
    Format,
    Kind,
    NetworkEventPage,
    Organisation,
    Participant,
    Registration,
    RegistrationStatus,
    Session,
    TrainingIndexPage,
    TrainingPage,
    Workshop,
)
from learning.services import Person
from website.factories import PublishedPageFactory, TargetGroupFactory, set_relation
from website.models import Municipality, TargetGroup


class TrainingIndexPageFactory(PublishedPageFactory):
    title = "Trainingen"
    slug = "trainingen"
    intro = "Alle trainingen"

    class Meta:
        model = TrainingIndexPage


class TrainingPageFactory(PublishedPageFactory):
    """``TrainingPageFactory(title=..., target_groups=[...], tags=[...])`` under the first
    catalogue (or ``parent=``); the same slug under the same parent gives the same page."""

    parent = factory.LazyFunction(lambda: TrainingIndexPage.objects.first())
    title = "Radicalisering herkennen"
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    intro = "Signalen herkennen en duiden."
    kind = Kind.TRAINING
    format = Format.ON_SITE
    duration_label = "3 uur"
    target_groups = set_relation("target_groups")
    tags = set_relation("tags")

    class Meta:
        model = TrainingPage
        django_get_or_create = ("parent", "slug")


class EventIndexPageFactory(PublishedPageFactory):
    """The event listing (/bijeenkomsten/): a catalogue showing only network events."""

    title = "Bijeenkomsten"
    slug = "bijeenkomsten"
    intro = "Themadagen, werksessies en verbindingsbijeenkomsten voor het netwerk."
    only_kind = Kind.NETWORK_EVENT

    class Meta:
        model = TrainingIndexPage
        django_get_or_create = ("parent", "slug")


class NetworkEventPageFactory(PublishedPageFactory):
    """``NetworkEventPageFactory(parent=events, title=..., event_type=...)``."""

    parent = factory.LazyFunction(
        lambda: TrainingIndexPage.objects.filter(only_kind=Kind.NETWORK_EVENT).first()
    )
    title = "Themadag CTER"
    slug = factory.LazyAttribute(lambda page: slugify(page.title))
    intro = "Een dag voor het netwerk van professionals."
    event_type = EventType.THEME_DAY
    format = Format.ON_SITE
    duration_label = "Hele dag"
    target_groups = set_relation("target_groups")
    tags = set_relation("tags")

    class Meta:
        model = NetworkEventPage
        django_get_or_create = ("parent", "slug")


class WorkshopFactory(DjangoModelFactory):
    page = factory.SubFactory(NetworkEventPageFactory)
    round = 1
    title = factory.Sequence(lambda n: f"Workshop {n}")
    capacity = 5

    class Meta:
        model = Workshop


def _start(session) -> dt.datetime:
    return timezone.localtime(timezone.now(), AMSTERDAM) + dt.timedelta(days=session.days)


class SessionFactory(DjangoModelFactory):
    """A morning session ``days`` from now (negative: in the past)."""

    class Params:
        days = 10

    page = factory.SubFactory(TrainingPageFactory)
    date = factory.LazyAttribute(lambda s: _start(s).date())
    start_time = dt.time(9, 30)
    end_time = dt.time(12, 30)
    capacity = 10
    online = False
    location = factory.LazyAttribute(lambda s: "" if s.online else "Zijlweg 245, Haarlem")
    join_url = factory.LazyAttribute(
        lambda s: "https://meet.example.nl/geheim-123" if s.online else ""
    )

    class Meta:
        model = Session


class OrganisationFactory(DjangoModelFactory):
    name = "Gemeente Haarlem"

    class Meta:
        model = Organisation
        django_get_or_create = ("name",)


class ParticipantFactory(DjangoModelFactory):
    first_name = factory.Sequence(lambda n: f"Persoon{n}")
    last_name = "Jansen"
    email = factory.LazyAttribute(lambda p: f"{p.first_name.lower()}@example.nl")
    function = "Wijkcoördinator"

    class Meta:
        model = Participant


class RegistrationFactory(DjangoModelFactory):
    """A registration with its participant, made a week before the session by default
    (the services decide places; this sets facts directly, e.g. for reports)."""

    session = factory.SubFactory(SessionFactory)
    status = RegistrationStatus.CONFIRMED
    target_group = factory.LazyFunction(lambda: TargetGroup.objects.first() or TargetGroupFactory())
    organisation = factory.SubFactory(OrganisationFactory)
    created_at = factory.LazyAttribute(lambda r: r.session.starts_at - dt.timedelta(days=7))
    status_changed_at = factory.SelfAttribute("created_at")
    participant = factory.RelatedFactory(ParticipantFactory, factory_related_name="registration")

    class Meta:
        model = Registration
        skip_postgeneration_save = True


class PersonFactory(factory.Factory):
    """What someone fills in on the registration form (``services.Person``)."""

    class Params:
        n = 0

    first_name = factory.LazyAttribute(lambda p: f"Persoon{p.n}")
    last_name = "Jansen"
    email = factory.LazyAttribute(lambda p: f"persoon{p.n}@example.nl")
    function = "Wijkcoördinator"
    organisation = "Gemeente Haarlem"
    target_group_id = factory.LazyFunction(lambda: TargetGroup.objects.first().pk)
    municipality = factory.LazyFunction(lambda: Municipality.objects.first())

    class Meta:
        model = Person
