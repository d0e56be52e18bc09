import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core import mail
from django.utils import timezone
from taggit.models import Tag

from outreach.factories import InfoSheetPageFactory, ProductIndexPageFactory
from subscriptions import services
from subscriptions.models import Frequency, Mailing, Subscription
from website.models import TargetGroup

NOW = dt.datetime(2026, 5, 12, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def groups(reference_data):
    return list(TargetGroup.objects.order_by("sort_order", "pk"))


@pytest.fixture
def products(site_home):
    return ProductIndexPageFactory(parent=site_home)


@pytest.fixture
def publish(products):
    """Publish an info sheet for these target groups and themes; returns the page."""

    def make(title="Signalen herkennen", *, groups=(), themes=()):
        return InfoSheetPageFactory(
            title=title,
            summary=f"Wat {title.lower()} betekent voor uw werk.",
            publication_date=dt.date(2026, 1, 5),  # before every NOW the tests use
            target_groups=list(groups),
            tags=list(themes),
        )

    return make


@pytest.fixture
def subscriber(django_capture_on_commit_callbacks):
    """A confirmed subscription (confirmed through the real flow)."""

    def make(email, *, groups=(), themes=(), frequency=Frequency.DIRECT, now=NOW):
        theme_ids = [Tag.objects.get_or_create(name=t, slug=t)[0].pk for t in themes]
        with django_capture_on_commit_callbacks(execute=True):
            services.subscribe(
                email=email,
                frequency=frequency,
                target_group_ids=[g.pk for g in groups],
                theme_ids=theme_ids,
                now=now,
            )
        sub = Subscription.objects.get(email=email.lower())
        services.confirm(token=sub.token, now=now)
        mail.outbox.clear()
        sub.refresh_from_db()
        return sub

    return make


def mailing_for(page) -> Mailing:
    return Mailing.objects.get(kind="direct", page_id=page.pk)


@pytest.fixture
def editor(db):
    """A real non-superuser communications editor: admin access and the subscriptions
    permissions, as the group Communicatie has them."""
    group, _ = Group.objects.get_or_create(name="Communicatie")
    group.permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(
            content_type__app_label="subscriptions", codename__in=["change_mailing", "view_mailing"]
        ),
    )
    user = User.objects.create_user("redacteur", "redacteur@example.nl", "x")
    user.groups.add(group)
    return user


@pytest.fixture
def now():
    return timezone.now()
