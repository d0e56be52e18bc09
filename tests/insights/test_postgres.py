"""Two analysts at once, on PostgreSQL: one entry per house per period holds, and the
published snapshot matches the figures that won (the period row is the lock)."""

import pytest
from django.utils import timezone

from insights import services
from insights.models import HouseFigures, Period
from insights.publication import Measure, Published
from tests.concurrency import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_analysts_enter_the_same_house_at_once(make_period, houses):
    period = make_period()
    house = houses["kennemerland"]

    def enter(signals):
        return lambda: services.save_house_figures(
            period_id=period.pk,
            house_id=house.pk,
            data=services.FiguresInput(signals=signals, cases=9),
            replace=False,
            now=timezone.now(),
        )

    errors, results = run_together([enter(20), enter(30)])
    assert len(results) == 1 and len(errors) == 1
    assert isinstance(errors[0], services.FiguresError)
    assert "al ingevoerd" in str(errors[0])
    figures = HouseFigures.objects.get()
    published = Published(Period.objects.get().published_figures)
    assert published.get(Measure.SIGNALS, "kennemerland").value == figures.signals


def test_three_houses_at_once_all_count_in_the_snapshot(make_period, houses):
    period = make_period()
    jobs = [
        lambda h=h: services.save_house_figures(
            period_id=period.pk,
            house_id=h.pk,
            data=services.FiguresInput(signals=10, cases=8),
            replace=False,
            now=timezone.now(),
        )
        for h in houses.values()
    ]
    errors, _ = run_together(jobs)
    assert errors == []
    published = Published(Period.objects.get().published_figures)
    assert published.get(Measure.SIGNALS, "*").value == 30
    assert sorted(published.houses) == sorted(houses)
