import pytest
from django.core.management import call_command
from wagtail.models import Page

from website.models import Municipality

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def test_reference_data_and_dutch_full_text_search_on_postgresql(client, site_home):
    assert Municipality.objects.count() == 32
    # The "dutch" search configuration stems: "verklaringen" finds "verklaring".
    page = Page.objects.get(slug="privacy").specific
    page.intro = "Hoe wij omgaan met persoonsgegevens: onze verklaring."
    page.save_revision().publish()

    call_command("update_index", verbosity=0)
    response = client.get("/zoeken/", {"q": "verklaringen"})
    assert response.status_code == 200
    assert "Privacyverklaring" in response.content.decode()
