import datetime as dt

import pytest
from django.utils import timezone
from wagtail.images import get_image_model

from outreach import demo
from outreach.factories import InfoSheetPageFactory

BROWSER_UA = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36"


@pytest.fixture
def outreach_site(site_home):
    demo.seed()
    return site_home


def add_infosheets(n, *, group, theme="signalen", start=0):
    """Add ``n`` published info sheets (with a card image) for ``group``."""
    image = get_image_model().objects.first()
    return [
        InfoSheetPageFactory(
            title=f"Extra informatieblad {i}",
            slug=f"extra-informatieblad-{i}",
            publication_date=timezone.localdate() - dt.timedelta(days=i % 30),
            card_image=image,
            target_groups=[group],
            tags=[theme],
        )
        for i in range(start, start + n)
    ]
