"""website.queries.Prepared on the reads of a registration: compiled once, giving what the ORM gives."""

import datetime as dt

import pytest
from django.db import connection
from django.db.models import Q
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learning.models import Registration, Session
from website.models import TargetGroup
from website.queries import Prepared

pytestmark = pytest.mark.django_db

by_id = Prepared(lambda pk: Session.objects.filter(pk=pk).order_by()[:1], (int,))
by_slug_values = Prepared(
    lambda slug: TargetGroup.objects.filter(slug=slug).values_list("name", "sort_order"), (str,)
)


def test_instances_equal_the_orms_with_dates_times_and_streams(
    on_each_database, make_training, make_session
):
    session = make_session(make_training(), deadline=timezone.now() + dt.timedelta(days=2))
    (found,) = by_id(session.pk)
    expected = Session.objects.get(pk=session.pk)
    for field in Session._meta.concrete_fields:
        assert getattr(found, field.attname) == getattr(expected, field.attname), field.name
    assert isinstance(found.date, dt.date) and isinstance(found.deadline, dt.datetime)
    assert found.dayparts() == expected.dayparts()  # the stream field, parsed
    assert not found._state.adding and found._state.db == "default"
    assert by_id(session.pk + 1000) == []


def test_values_and_the_second_call_runs_only_the_sql(reference_data):
    group = TargetGroup.objects.order_by("pk").first()
    assert by_slug_values(group.slug) == [(group.name, group.sort_order)]
    other = TargetGroup.objects.order_by("pk").last()
    with CaptureQueriesContext(connection) as ctx:
        assert by_slug_values(other.slug) == [(other.name, other.sort_order)]
        assert by_slug_values("no-such-group") == []
    assert len(ctx.captured_queries) == 2


def test_constants_of_the_query_stay_and_values_are_parameters(
    make_training, make_session, person_factory
):
    from learning import services  # noqa: PLC0415

    session = make_session(make_training(), capacity=1)
    now = timezone.now()
    for n in range(3):
        services.register(session_id=session.pk, person=person_factory(n), now=now)
    confirmed = Prepared(
        lambda pk: Registration.objects.filter(session_id=pk, status="confirmed").values_list(
            "status"
        ),
        (int,),
    )
    assert confirmed(session.pk) == [("confirmed",)]
    hostile = "x' OR '1'='1"
    assert by_slug_values(hostile) == []


def test_a_placeholder_the_orm_changes_a_join_or_another_shape_is_refused(reference_data):
    changed = Prepared(lambda name: TargetGroup.objects.filter(name__icontains=name), (str,))
    with pytest.raises(ValueError, match="changed on its way"):
        changed("zorg")
    both = Prepared(
        lambda name: TargetGroup.objects.filter(Q(name=name) | Q(slug__icontains=name)), (str,)
    )
    with pytest.raises(ValueError, match="changed on its way"):
        both("zorg")
    dicts = Prepared(lambda slug: TargetGroup.objects.filter(slug=slug).values("name"), (str,))
    with pytest.raises(ValueError, match="instances or values_list"):
        dicts("zorg")
    joined = Prepared(lambda pk: Session.objects.select_related("page").filter(pk=pk), (int,))
    with pytest.raises(ValueError, match="do not join"):
        joined(1)
