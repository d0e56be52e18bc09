from importlib import import_module

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.utils import timezone

from insights import demo, services
from insights.models import RegionalPictureIndexPage
from website.demo import upsert_child
from website.models import Municipality, Region


@pytest.fixture
def insight_groups(db):
    """The groups of the data migration (recreated after flushes of browser tests)."""

    import_module("insights.migrations.0002_roles").create(apps, None)


@pytest.fixture
def make_user(db, insight_groups):
    """A real, non-superuser account in the named groups."""

    def make(username, *groups, is_staff=False):
        user = User.objects.create_user(
            username, f"{username}@example.nl", "geheim-wachtwoord-123", is_staff=is_staff
        )
        for name in groups:
            user.groups.add(Group.objects.get_or_create(name=name)[0])
        return user

    return make


@pytest.fixture
def houses(reference_data):

    return {region.slug: region for region in Region.objects.all()}


@pytest.fixture
def make_period(db):

    def make(year=2025, number=1, kind="quarter"):
        return services.create_period(kind=kind, year=year, number=number)

    return make


@pytest.fixture
def enter(houses):
    """Save figures for a house: enter(period, "kennemerland", signals=..., cases=..., ...)."""

    def save(
        period,
        house,
        *,
        signals=20,
        cases=12,
        age=None,
        ideology=None,
        municipality=None,
        grouping=None,
        replace=True,
    ):
        ids = {m.name: m.pk for m in Municipality.objects.filter(region=houses[house])}
        data = services.FiguresInput(
            signals=signals,
            cases=cases,
            age=age or {},
            ideology=ideology or {},
            municipality={ids[name]: n for name, n in (municipality or {}).items()},
            grouping=grouping or {},
        )
        return services.save_house_figures(
            period_id=period.pk,
            house_id=houses[house].pk,
            data=data,
            replace=replace,
            now=timezone.now(),
        )

    return save


@pytest.fixture
def index_page(site_home):

    return upsert_child(
        site_home, RegionalPictureIndexPage, "regionaal-beeld", title="Regionaal beeld"
    )


@pytest.fixture
def make_page(index_page, insight_groups):

    def make(period, *, public=False, title=None):
        return services.create_period_page(
            index=index_page,
            period=period,
            title=title or f"Regionaal beeld {period.label}",
            public=public,
        )

    return make


@pytest.fixture
def demo_pictures(site_home, insight_groups):

    return demo.seed()
