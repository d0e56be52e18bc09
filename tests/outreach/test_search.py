import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from outreach.models import InfoSheetPage, ProductIndexPage
from website.models import TargetGroup

from .conftest import add_infosheets

pytestmark = pytest.mark.django_db


def titles(client, **params):
    response = client.get("/zoeken/", params)
    assert response.status_code == 200
    return response.content.decode()


def test_search_finds_products_and_dutch_compounds(client, outreach_site):
    html = titles(client, q="Radicaliseringsprocessen")
    assert "/producten/informatieblad-gemeenten/" in html
    html = titles(client, q="geleidelijk")
    assert "/producten/informatieblad-onderwijs/" in html
    html = titles(client, q="terugkijken")
    assert "/producten/opname-webinar-online-radicalisering/" in html


def test_search_prefix_finds_compounds_in_product_text(client, outreach_site):
    html = titles(client, q="radicaliseringsproces")
    assert "/producten/informatieblad-zorg/" in html


def test_search_filters_by_type_and_target_group(client, outreach_site):
    html = titles(client, q="signalen", type="infosheet", doelgroep="onderwijs")
    assert "/producten/informatieblad-onderwijs/" in html
    assert "/producten/informatieblad-gemeenten/" not in html
    assert "/producten/animatie-" not in html
    assert '<option value="onderwijs" selected>' in html
    html = titles(client, q="animatie", type="animation")
    assert "/producten/animatie-polarisatie/" in html
    assert "/producten/informatieblad-" not in html
    # statements are not products: a type filter leaves them out
    result = 'href="/privacy/">Privacyverklaring</a></h3>'
    assert result not in titles(client, q="privacy", type="infosheet")
    # unknown filter values are ignored
    assert result in titles(client, q="privacy", type="<x>", doelgroep="nope")


def test_a_word_finds_the_compound_that_starts_with_it(client, outreach_site):
    page = InfoSheetPage(
        title="Procesbegeleiding",
        slug="procesbegeleiding",
        summary="Over radicaliseringsprocessen.",
    )
    ProductIndexPage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    assert "/producten/procesbegeleiding/" in titles(client, q="radicalisering", type="infosheet")


def test_search_results_show_their_type(client, outreach_site):
    html = titles(client, q="terugkijken")
    assert '<span class="cter-badge">Webinaropname</span>' in html


def test_search_query_count_is_constant(client, outreach_site):
    def count():
        params = {"q": "Extra", "doelgroep": "gemeenten"}
        client.get("/zoeken/", params)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get("/zoeken/", params)
        return len(ctx.captured_queries), response.content.decode().count("<h3")

    group = TargetGroup.objects.get(slug="gemeenten")
    add_infosheets(2, group=group)
    small, shown_small = count()
    add_infosheets(7, group=group, start=2)
    large, shown_large = count()
    assert (shown_small, shown_large) == (2, 9)
    assert small == large


def test_matching_products_come_before_overview_pages_with_a_summary_and_a_plain_label(
    client, outreach_site
):
    links, badges = [], []
    for page in (1, 2):
        html = titles(client, q="radicalisering", pagina=page)
        links += re.findall(
            r'<h3 class="utrecht-heading-3"><a class="utrecht-link" href="([^"]+)"', html
        )
        badges += re.findall(r'<span class="cter-badge">([^<]+)</span>', html)
    products = [
        i for i, url in enumerate(links) if url.startswith("/producten/") and url != "/producten/"
    ]
    assert products and links.index("/") > max(products)  # the home page matches, but last
    # what a visitor calls things, in Dutch; never a CMS type name
    assert {"Informatieblad", "Animatie", "Webinaropname", "Doelgroeppagina"} <= set(badges)
    assert not {"Homepage", "Startpagina", "Standaardpagina", "Productoverzicht"} & set(badges)
    # a product's summary is shown under its title
    assert "Signalen van radicalisering" in html


def test_a_search_repeated_with_the_card_cache_finds_a_new_page_at_once(
    client, outreach_site, settings
):
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    with CaptureQueriesContext(connection) as searched:
        first = titles(client, q="informatieblad")
    with CaptureQueriesContext(connection) as again:
        assert titles(client, q="informatieblad") == first
    # the full-text and prefix searches are not run again
    assert len(again.captured_queries) <= len(searched.captured_queries) - 2
    assert "/producten/extra-informatieblad-0/" not in first
    add_infosheets(1, group=TargetGroup.objects.get(slug="gemeenten"))
    assert "/producten/extra-informatieblad-0/" in titles(client, q="informatieblad")


def test_a_cached_search_result_shows_a_new_title_at_once(client, outreach_site, settings):
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    sheet = InfoSheetPage.objects.get(slug="informatieblad-onderwijs")
    assert sheet.title in titles(client, q="signalen")
    sheet.title = "Signalen in de klas herkend"
    sheet.save_revision().publish()
    html = titles(client, q="signalen")
    assert "Signalen in de klas herkend" in html
    assert 'href="/producten/informatieblad-onderwijs/"' in html
