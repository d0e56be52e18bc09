"""The rest of the dashboard panel: upcoming sessions with their fill rate, open waiting
lists and open requests with their age."""

import datetime as dt

import pytest
from django.utils import timezone

from learning.models import RequestKind, RequestStatus, TrainingRequest
from reporting import selectors
from reporting.wagtail_hooks import DashboardPanel

pytestmark = pytest.mark.django_db


def request(kind, status, days, now, **fields):
    made = TrainingRequest.objects.create(
        kind=kind,
        status=status,
        contact_name="Contact",
        contact_email="contact@example.nl",
        wanted="Basistraining",
        preferred_period="Najaar",
        **fields,
    )
    TrainingRequest.objects.filter(pk=made.pk).update(created_at=now - dt.timedelta(days=days))
    return made


def test_upcoming_sessions_waiting_lists_and_open_requests(world):
    now = timezone.now()
    page = world.training("Basis")
    full = world.session(page, now + dt.timedelta(days=3), capacity=2)
    for n in range(3):  # two places, one on the waiting list
        world.register(full, f"vol{n}@example.nl")
    half = world.session(page, now + dt.timedelta(days=5), capacity=4)
    world.register(half, "half@example.nl")
    world.session(page, now - dt.timedelta(days=5))  # over: not upcoming
    request(RequestKind.IN_COMPANY, RequestStatus.NEW, 12, now, organisation="GGD Zaanstreek")
    request(
        RequestKind.PRESSURE_COOKER,
        RequestStatus.IN_PROGRESS,
        40,
        now,
        municipality=world.municipalities["Zaanstad"],
    )
    request(RequestKind.IN_COMPANY, RequestStatus.SCHEDULED, 3, now, organisation="Klaar")

    found = selectors.dashboard(now=now)
    assert [(a.confirmed, a.capacity, a.fill_rate) for a in found["upcoming"]] == [
        (2, 2, 100),
        (1, 4, 25),
    ]
    assert [(a.waiting, a.url) for a in found["waiting"]] == [
        (1, f"/admin/trainingen/sessies/{full.pk}/")
    ]
    assert [(r.request.label, r.days) for r in found["requests"]] == [
        ("Zaanstad", 40),
        ("GGD Zaanstreek", 12),
    ]

    html = DashboardPanel().render_html({})
    assert "100%" in html and "25%" in html
    assert "40 dagen" in html and "12 dagen" in html
    assert "Klaar" not in html  # scheduled: no longer open
    assert "Pressure cooker" in html or "Pressurecooker" in html
