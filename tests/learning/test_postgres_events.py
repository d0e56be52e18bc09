"""Workshop rounds and whole-track registration under real concurrent connections."""

import pytest
from django.utils import timezone

from learning import services
from learning.factories import (
    EventIndexPageFactory,
    NetworkEventPageFactory,
    SessionFactory,
    WorkshopFactory,
)
from learning.models import EventType, Registration, WorkshopChoice
from tests.concurrency import run_together
from website.models import Region

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_workshop_of_m_places_never_takes_more_than_m(site_home, person_factory):
    events = EventIndexPageFactory(parent=site_home)
    page = NetworkEventPageFactory(parent=events, title="Themadag mei")
    session = SessionFactory(page=page, capacity=100)
    popular = WorkshopFactory(page=page, round=1, title="Online radicalisering", capacity=5)
    WorkshopFactory(page=page, round=1, title="Polarisatie op school", capacity=50)
    people = [person_factory(i) for i in range(16)]
    errors, results = run_together(
        [
            lambda p=p: services.register_for_event(
                session_id=session.pk, person=p, workshops={1: popular.pk}, now=timezone.now()
            )
            for p in people
        ]
    )

    assert len(results) == 5
    assert len(errors) == 11
    assert all(isinstance(e, services.RegistrationError) for e in errors), errors
    assert WorkshopChoice.objects.filter(workshop=popular).count() == 5
    # A refused registrant left nothing behind: no registration without its workshop.
    assert Registration.objects.filter(session=session).count() == 5


def test_concurrent_whole_track_registrations_keep_each_meetings_capacity(
    site_home, person_factory
):
    events = EventIndexPageFactory(parent=site_home)
    track = NetworkEventPageFactory(
        parent=events, title="Verbindingstraject", event_type=EventType.CONNECTION_TRACK
    )
    region = Region.objects.first()
    meetings = [SessionFactory(page=track, region=region, days=d, capacity=3) for d in (20, 50, 80)]
    people = [person_factory(i) for i in range(8)]
    errors, _results = run_together(
        [
            lambda p=p: services.register_for_track(
                page_id=track.pk, region_id=region.pk, person=p, now=timezone.now()
            )
            for p in people
        ]
    )

    assert errors == []  # locked in one order: no deadlock
    for meeting in meetings:
        statuses = list(
            Registration.objects.filter(session=meeting).values_list("status", flat=True)
        )
        assert statuses.count("confirmed") == 3 and statuses.count("waiting") == 5
