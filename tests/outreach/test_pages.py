import datetime as dt
import re

import html5lib
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from taggit.models import Tag
from wagtail import hooks

from learning.models import TrainingIndexPage, TrainingPage
from outreach import demo, selectors
from outreach.models import AnimationPage, CommunicationPlanPage, InfoSheetPage, TargetGroupPage
from website.cards import Card, card_page, collect_cards, interleave_kinds
from website.hooks import CARD_SOURCES, CardSource
from website.models import HomePage, TargetGroup

from .conftest import add_infosheets

pytestmark = pytest.mark.django_db


def _queries(client, url):
    client.get(url)  # warm caches (site root paths, content types)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_every_target_group_has_a_landing_page_with_offers(client, outreach_site):
    assert TargetGroupPage.objects.live().count() == TargetGroup.objects.count() == 8
    for group in TargetGroup.objects.all():
        response = client.get(f"/voor/{group.slug}/")
        assert response.status_code == 200
        html = response.content.decode()
        assert html.count("<h1") == 1
        assert 'href="/trainingen/aanvragen/in-company/"' in html
        assert 'href="/trainingen/aanvragen/pressure-cooker/"' in html
        html5lib.HTMLParser(strict=True).parse(response.content)


def test_landing_page_shows_only_its_group_with_pinned_first(client, outreach_site):
    html = client.get("/voor/asielketen/").content.decode()
    assert "informatieblad-asielketen/" in html
    assert "informatieblad-onderwijs/" not in html
    pinned = html.index('id="pinned-heading"')
    assert html.index("animatie-zorg-en-veiligheidshuis/") > pinned
    # the pinned item is not repeated in the list below
    assert html.count('href="/producten/animatie-zorg-en-veiligheidshuis/"') == 1


@pytest.mark.parametrize(
    "url",
    ["/producten/", "/voor/gemeenten/", "/thema/signalen/", "/producten/?doelgroep=gemeenten"],
)
def test_listings_keep_a_constant_query_count(client, outreach_site, url):
    group = TargetGroup.objects.get(slug="gemeenten")
    add_infosheets(2, group=group)
    small = _queries(client, url)
    add_infosheets(9, group=group, start=2)
    large = _queries(client, url)
    assert small == large


def test_product_overview_filters_in_the_url(client, outreach_site):
    html = client.get("/producten/?type=animation").content.decode()
    assert "animatie-polarisatie/" in html and "informatieblad-" not in html
    html = client.get("/producten/?type=infosheet&doelgroep=onderwijs").content.decode()
    assert "informatieblad-onderwijs/" in html and "informatieblad-gemeenten/" not in html
    assert '<option value="onderwijs" selected>' in html
    html = client.get("/producten/?thema=online-radicalisering").content.decode()
    assert "opname-webinar-online-radicalisering/" in html and "informatieblad-" not in html
    # unknown values are ignored, never a 500
    response = client.get("/producten/?type=%3Cx%3E&doelgroep=nope&thema=&pagina=99")
    assert response.status_code == 200


def test_cards_from_other_apps_appear_in_listings(client, outreach_site):
    def fake_learning(*, target_group=None, theme=None, kinds=None, now=None, limit=None):
        card = Card(
            kind="training",
            kind_label="Training",
            title="Basistraining radicalisering",
            url="/trainingen/basis/",
            date=now,
            upcoming=True,
        )
        return [] if kinds and "training" not in kinds else [card]

    def fake_source():
        return CardSource(kinds=[("training", "Training")], cards=fake_learning)

    with hooks.register_temporarily(CARD_SOURCES, fake_source):
        html = client.get("/voor/gemeenten/").content.decode()
        assert "Basistraining radicalisering" in html
        assert html.index("Basistraining") < html.index("informatieblad-gemeenten/")
        html = client.get("/producten/?type=training").content.decode()
        assert "Basistraining radicalisering" in html and "informatieblad-" not in html
        html = client.get("/producten/?type=infosheet").content.decode()
        assert "Basistraining radicalisering" not in html


def test_theme_page_lists_everything_with_that_theme(client, outreach_site):
    html = client.get("/thema/radicalisering/").content.decode()
    assert "opname-webinar-online-radicalisering/" in html
    assert "animatie-polarisatie/" not in html
    assert client.get("/thema/bestaat-niet/").status_code == 404


def test_info_sheet_is_html_with_pdf_download(client, outreach_site):
    html = client.get("/producten/informatieblad-gemeenten/").content.decode()
    assert "Radicaliseringsprocessen verlopen geleidelijk" in html
    assert 'href="/documents/' in html and '.pdf" download>Downloaden als pdf' in html
    assert "(PDF, 0 bytes)" not in html and re.search(r"\(PDF, [\d,.]+\xa0(KB|bytes)\)", html)


def test_self_hosted_video_has_captions_and_transcript(client, outreach_site):
    html = client.get("/producten/animatie-zorg-en-veiligheidshuis/").content.decode()
    assert '<track kind="captions"' in html and ".vtt" in html
    assert "Radicalisering herkennen begint bij goed kijken." in html
    assert "Beeld: een testbeeld" in html  # described transcript (WCAG 1.2.5)


def test_external_video_makes_no_third_party_request_before_consent(client, outreach_site):
    html = client.get("/producten/animatie-polarisatie/").content.decode()
    assert "<iframe" not in html
    assert 'src="https://www.youtube' not in html
    assert 'href="https://www.youtube.com/watch?v=aqz-KE-bpKQ"' in html  # no-JS fallback
    assert 'data-embed="https://www.youtube-nocookie.com/embed/aqz-KE-bpKQ' in html
    assert "outreach/video-consent.js" in html


def test_video_needs_captions_and_a_description(outreach_site):
    page = AnimationPage.objects.get(slug="animatie-zorg-en-veiligheidshuis")
    page.captions = None
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "captions" in error.value.message_dict
    page = AnimationPage.objects.get(slug="animatie-polarisatie")
    page.described_transcript = ""
    with pytest.raises(ValidationError) as error:
        page.clean()
    assert "described_transcript" in error.value.message_dict


def test_unpublished_or_future_products_are_not_listed(client, outreach_site):
    sheet = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    sheet.publication_date = sheet.publication_date + dt.timedelta(days=400)
    sheet.save_revision().publish()
    assert "informatieblad-gemeenten/" not in client.get("/producten/").content.decode()


def test_demo_seed_is_idempotent(outreach_site):
    before = InfoSheetPage.objects.count()
    demo.seed()
    assert InfoSheetPage.objects.count() == before == 8


def test_communication_plan_query_count_is_constant(client, outreach_site, role_user):

    client.force_login(role_user("Analist", "stuurgroep"))  # the plan is not public
    plan = CommunicationPlanPage.objects.get()
    url = plan.url
    small = _queries(client, url)
    sheets = list(InfoSheetPage.objects.all())
    sections = list(plan.sections.raw_data)
    for section in sections:
        section["value"]["products"] = section["value"]["products"] + [
            {
                "type": "item",
                "value": {
                    "title": sheet.title,
                    "purpose": "",
                    "channel": "",
                    "month": "4",
                    "status": "published",
                    "page": sheet.pk,
                },
            }
            for sheet in sheets
        ]
    plan.sections = sections
    plan.save_revision().publish()
    large = _queries(client, url)
    assert small == large
    rows = client.get(url).content.decode().count('scope="row"')
    assert rows == len(sections) * (3 + len(sheets))
    assert timezone.localdate().year == plan.year


def test_product_detail_pages_render_for_every_type(client, outreach_site):
    for slug in [
        "informatieblad-gemeenten",
        "animatie-zorg-en-veiligheidshuis",
        "animatie-polarisatie",
        "opname-webinar-online-radicalisering",
    ]:
        response = client.get(f"/producten/{slug}/")
        assert response.status_code == 200
        html5lib.HTMLParser(strict=True).parse(response.content)
        assert response.content.decode().count("<h1") == 1


def test_a_product_links_to_its_target_group_pages_and_themes(client, outreach_site):
    html = client.get("/producten/informatieblad-asielketen/").content.decode()
    assert '<a class="utrecht-link" href="/voor/asielketen/">' in html
    assert 'href="/thema/' in html


def test_a_theme_typed_in_another_case_is_the_same_theme(client, outreach_site):
    page = InfoSheetPage.objects.get(slug="informatieblad-gemeenten")
    page.tags.add("POLARISATIE")
    assert Tag.objects.filter(name__iexact="polarisatie").count() == 1
    assert "Polarisatie" in client.get("/thema/polarisatie/").content.decode()


def test_overview_shows_every_kind_from_page_one_and_themes_of_trainings(client, outreach_site):
    home = HomePage.objects.get()
    catalogue = home.add_child(instance=TrainingIndexPage(title="Trainingen", slug="trainingen"))
    for n in range(15):  # more upcoming trainings than fit on one page
        training = catalogue.add_child(
            instance=TrainingPage(
                title=f"Training {n}", slug=f"training-{n}", intro="x", duration_label="2 uur"
            )
        )
        training.tags.add("Gespreksvoering")
        training.save_revision().publish()
    html = client.get("/producten/").content.decode()
    assert 'rel="next"' in html  # there is a second page
    first_page = html[: html.index('rel="next"')]
    assert "/producten/informatieblad-" in first_page and "/trainingen/training-" in first_page
    assert '<option value="gespreksvoering"' in html  # a theme only trainings have


def _card_links(html, prefix="/producten/extra-informatieblad-"):
    return {part.split('"')[0] for part in html.split(f'href="{prefix}')[1:]}


@pytest.mark.parametrize(
    "url", ["/producten/?type=infosheet", "/voor/gemeenten/", "/thema/signalen/"]
)
def test_listings_show_a_page_of_cards_with_a_link_to_the_next(client, outreach_site, url):
    add_infosheets(30, group=TargetGroup.objects.get(slug="gemeenten"))
    first = client.get(url).content.decode()
    shown = _card_links(first)
    assert 0 < len(shown) <= 12
    # More without JavaScript: a plain link to the next page (the filters kept).
    assert 'rel="next"' in first
    assert "pagina=2" in first
    joiner = "&" if "?" in url else "?"
    second = _card_links(client.get(f"{url}{joiner}pagina=2").content.decode())
    assert second and not (second & shown)


def test_the_overview_builds_only_the_cards_it_shows(client, outreach_site, monkeypatch):
    add_infosheets(30, group=TargetGroup.objects.get(slug="gemeenten"))
    built = []
    original = selectors._cards

    def spy(pages):
        cards = original(pages)
        built.append(len(cards))
        return cards

    monkeypatch.setattr(selectors, "_cards", spy)
    response = client.get("/producten/")
    assert response.status_code == 200
    assert 0 < sum(built) <= 12


def test_the_overview_sorts_in_the_database_as_the_cards_would(outreach_site):
    add_infosheets(14, group=TargetGroup.objects.get(slug="gemeenten"))
    everything = collect_cards()
    paged = [c.page_id for n in (1, 2, 3) for c in card_page(page_number=n).object_list]
    assert paged == [c.page_id for c in everything][: len(paged)]
    # interleaved: one of each kind in turn, each kind in its own order
    mixed = [c for n in (1, 2, 3) for c in card_page(page_number=n, interleave=True).object_list]
    by_kind = {}
    for card in interleave_kinds(everything):
        by_kind.setdefault(card.kind, []).append(card.page_id)
    for kind, ids in by_kind.items():
        of_kind = [c.page_id for c in mixed if c.kind == kind]
        assert of_kind == ids[: len(of_kind)]
    assert {c.kind for c in mixed[: len(by_kind)]} == set(by_kind)


@pytest.mark.parametrize("url", ["/producten/", "/voor/gemeenten/", "/thema/signalen/"])
def test_a_rendered_listing_builds_its_cards_once_and_shows_a_change_at_once(
    client, outreach_site, settings, monkeypatch, url
):
    """With the card cache on, a listing rendered again (an editor, a visitor with a
    session) builds no card it built before; a publish shows at once."""
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    group = TargetGroup.objects.get(slug="gemeenten")
    sheet = add_infosheets(1, group=group)[0]
    built = []
    original = selectors._cards

    def spy(pages):
        cards = original(pages)
        built.append(len(cards))
        return cards

    monkeypatch.setattr(selectors, "_cards", spy)
    first = client.get(url).content.decode()
    assert sum(built) > 0 and "Extra informatieblad 0" in first
    built.clear()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).content.decode() == first
    assert sum(built) == 0
    assert not any("outreach_productpage" in q["sql"] for q in ctx.captured_queries)

    sheet.title = "Vernieuwd informatieblad"
    sheet.save_revision().publish()
    html = client.get(url).content.decode()
    assert "Vernieuwd informatieblad" in html and "Extra informatieblad 0" not in html


def test_a_listing_asked_about_a_given_moment_is_never_cached(outreach_site, settings):
    settings.CARD_CACHE_SECONDS = 300
    group = TargetGroup.objects.get(slug="gemeenten")
    future = timezone.now() + dt.timedelta(days=400)
    add_infosheets(1, group=group)
    now_ids = {c.page_id for c in card_page(per_page=100).object_list}
    later = InfoSheetPage.objects.get(slug="extra-informatieblad-0")
    later.publication_date = future.date()
    later.save_revision().publish()
    assert later.pk not in {c.page_id for c in card_page(per_page=100).object_list}
    assert later.pk in {c.page_id for c in card_page(now=future, per_page=100).object_list}
    assert later.pk in now_ids


@pytest.mark.parametrize("url", ["/producten/", "/voor/gemeenten/", "/thema/signalen/"])
def test_listings_keep_a_constant_query_count_with_the_card_cache(
    client, outreach_site, settings, url
):
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    group = TargetGroup.objects.get(slug="gemeenten")
    add_infosheets(2, group=group)
    small = _queries(client, url)
    add_infosheets(9, group=group, start=2)
    large = _queries(client, url)
    assert small == large


def test_themes_in_use_lists_each_theme_once_whatever_is_tagged(outreach_site):
    group = TargetGroup.objects.get(slug="gemeenten")
    before = [t.slug for t in selectors.themes_in_use()]
    assert len(before) == len(set(before)) and "signalen" in before
    add_infosheets(5, group=group, theme="nieuw-thema")
    after = [t.slug for t in selectors.themes_in_use()]
    assert after.count("nieuw-thema") == 1 and after.count("signalen") == 1
    assert "ongebruikt" not in after
    Tag.objects.create(name="ongebruikt", slug="ongebruikt")
    assert "ongebruikt" not in [t.slug for t in selectors.themes_in_use()]


def test_the_overview_offers_a_new_theme_at_once_with_the_card_cache(
    client, outreach_site, settings
):
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    assert 'value="gloednieuw"' not in client.get("/producten/").content.decode()
    add_infosheets(1, group=TargetGroup.objects.get(slug="gemeenten"), theme="gloednieuw")
    assert 'value="gloednieuw"' in client.get("/producten/").content.decode()


def test_a_rendered_product_page_comes_from_the_fragment_cache_until_a_change(
    client, outreach_site, settings
):
    settings.CARD_CACHE_SECONDS = 300
    client.cookies["sessionid"] = "no-whole-page-cache"
    sheet = InfoSheetPage.objects.get(slug="informatieblad-onderwijs")
    first = client.get(sheet.url).content.decode()
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(sheet.url).content.decode() == first
    assert not any("outreach_producttag" in q["sql"] for q in ctx.captured_queries)
    sheet.summary = "Een bijgewerkte samenvatting"
    sheet.tags.add("gloednieuw")
    sheet.save_revision().publish()
    html = client.get(sheet.url).content.decode()
    assert "Een bijgewerkte samenvatting" in html and "/thema/gloednieuw/" in html
