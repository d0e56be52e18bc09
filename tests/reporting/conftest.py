"""Fixtures for the dashboard and reach report: another member of staff beside the
coordinator (tests/conftest.py) and a small world of trainings, sessions and
registrations made through the learning services."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from learning import services
from learning.models import (
    AMSTERDAM,
    Attendance,
    Kind,
    Level,
    Registration,
    Session,
    SessionStatus,
    TrainingIndexPage,
    TrainingPage,
)
from website.demo import upsert_child
from website.models import Municipality, Region, TargetGroup


@pytest.fixture
def editor_user(db, django_user_model):
    """Other staff: may use the admin and edit pages, but not see the reports."""
    user = django_user_model.objects.create_user("editor", "editor@example.nl", "x")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"),
        Permission.objects.get(content_type__app_label="learning", codename="change_registration"),
    )
    return user


class World:
    """Trainings and sessions at exact times, registrations through the register service
    (so every registration gets its person key), attendance as coordinators mark it."""

    def __init__(self, home):
        self.catalogue = upsert_child(
            home, TrainingIndexPage, "trainingen", title="Trainingen", intro="Alle trainingen"
        )
        self.groups = {g.slug: g for g in TargetGroup.objects.all()}
        self.municipalities = {m.name: m for m in Municipality.objects.select_related("region")}
        self.regions = {r.name: r for r in Region.objects.all()}

    def training(self, title="Basis", *, kind=Kind.TRAINING, level=Level.BASIC, groups=()):
        page = upsert_child(
            self.catalogue,
            TrainingPage,
            title.lower().replace(" ", "-"),
            title=title,
            intro="Signalen herkennen.",
            kind=kind,
            level=level,
            duration_label="3 uur",
        )
        if groups:
            page.target_groups.set([self.groups[slug] for slug in groups])
        return page

    def session(self, page, start: dt.datetime, *, hours=3, capacity=20, **kw) -> Session:
        return Session.objects.create(
            page=page,
            date=start.date(),
            start_time=start.time(),
            end_time=(start + dt.timedelta(hours=hours)).time(),
            capacity=capacity,
            **kw,
        )

    def register(
        self,
        session,
        email,
        *,
        group=None,
        municipality="Haarlem",
        organisation="Gemeente Haarlem",
        attendance=None,
    ) -> Registration:
        person = services.Person(
            first_name="Sam",
            last_name="Jansen",
            email=email,
            function="Beleidsadviseur",
            organisation=organisation,
            target_group_id=(self.groups[group] if group else next(iter(self.groups.values()))).pk,
            municipality=self.municipalities[municipality] if municipality else None,
            municipality_scope="" if municipality else "outside",
        )
        before = session.starts_at - dt.timedelta(days=14)
        registration = services.register(
            session_id=session.pk, person=person, now=before
        ).registration
        if attendance:
            Registration.objects.filter(pk=registration.pk).update(
                attendance=attendance, attendance_marked_at=session.ends_at
            )
        return registration

    def cancel(self, session):
        Session.objects.filter(pk=session.pk).update(status=SessionStatus.CANCELLED)


@pytest.fixture
def world(site_home):
    return World(site_home)


PRESENT, ABSENT = Attendance.PRESENT, Attendance.ABSENT


def at(year, month, day, hour=9, minute=30):
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)
