"""The cross-app hooks of website/hooks.py, as the apps fill them."""

import datetime as dt

import pytest
from django.utils import translation

from outreach import demo as outreach_demo
from outreach.models import InfoSheetPage, ReachCount
from website.hooks import card_kinds, reach_figures, reach_totals, seed_demo_content

pytestmark = pytest.mark.django_db


def test_every_app_offers_its_card_kinds_in_hook_order():
    with translation.override("nl"):
        kinds = [(value, str(label)) for value, label in card_kinds()]
    assert kinds == [
        ("infosheet", "Informatieblad"),
        ("animation", "Animatie"),
        ("recording", "Webinaropname"),
        ("training", "Training"),
        ("webinar", "Webinar"),
        ("network_event", "Netwerkbijeenkomst"),
        ("episode", "Podcastaflevering"),
    ]


def test_demo_content_is_seeded_by_every_app_website_first_outreach_after_the_others(
    reference_data,
):
    """Outreach shows what the others publish; subscriptions (45) then announces it and
    reporting (50) adds its figures."""
    done = seed_demo_content(scale=1, stdout=None)
    assert [name.split(".")[0] for name in done] == [
        "website",
        "learning",
        "learning",  # the programme's events and pages (learning.demo_programme)
        "podcasts",
        "insights",
        "outreach",
        "subscriptions",
        "reporting",
    ]
    assert InfoSheetPage.objects.exists()


def test_views_and_downloads_per_page_and_month(site_home):
    outreach_demo.seed()
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    march, april = dt.date(2031, 3, 31), dt.date(2031, 4, 1)
    for day, kind, object_id, count in (
        (march, "view", sheet.pk, 2),
        (april, "view", sheet.pk, 3),
        (april, "download", sheet.pdf_id, 4),
        (april, "view", sheet.pk + 1000, 9),  # another page: not asked for
    ):
        ReachCount.objects.create(day=day, kind=kind, object_id=object_id, count=count)
    assert reach_totals(page_ids=[sheet.pk]) == {sheet.pk: {"views": 5, "downloads": 4}}
    assert reach_totals(page_ids=[sheet.pk], since=april) == {
        sheet.pk: {"views": 3, "downloads": 4}
    }
    assert reach_totals(page_ids=[sheet.pk], until=march) == {sheet.pk: {"views": 2}}
    monthly = {
        (f.metric, f.month): f.value for f in reach_figures(page_ids=[sheet.pk], by_month=True)
    }
    assert monthly == {
        ("views", dt.date(2031, 3, 1)): 2,
        ("views", dt.date(2031, 4, 1)): 3,
        ("downloads", dt.date(2031, 4, 1)): 4,
    }
    assert reach_totals(page_ids=[]) == {}
