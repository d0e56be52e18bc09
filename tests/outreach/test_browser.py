import re

import pytest
from django.utils import timezone

from outreach.models import InfoSheetPage, ProductIndexPage, ReachCount
from tests.conftest import assert_accessible, publish_new_page
from website.roles import run_role_migrations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_target_group_page_to_filtered_overview_to_info_sheet_download(page, outreach_site):
    page.goto("/voor/asielketen/")
    assert page.locator("h1").inner_text() == "Voor professionals in de asielketen"
    assert page.get_by_role("link", name="Vraag een in-companytraining aan").is_visible()
    assert_accessible(page)

    page.goto("/producten/")
    assert_accessible(page)
    page.get_by_label("Type").select_option("infosheet")
    page.get_by_label("Doelgroep").select_option("asielketen")
    page.get_by_role("button", name="Resultaten tonen").click()
    page.wait_for_url("**/producten/?type=infosheet&doelgroep=asielketen&thema=")
    assert page.locator(".cter-card").count() == 1
    assert_accessible(page)

    page.locator(".cter-card__link").click()
    page.wait_for_url("**/producten/informatieblad-asielketen/")
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Downloaden als pdf").click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_video_player_with_captions_is_accessible(page, outreach_site):
    page.goto("/producten/animatie-zorg-en-veiligheidshuis/")
    video = page.locator("video")
    assert video.get_attribute("controls") is not None
    page.wait_for_function(
        "document.querySelector('video').textTracks.length > 0"
        " && document.querySelector('video').readyState >= 1",
        timeout=10_000,
    )
    cues = page.evaluate(
        """async () => {
            const track = document.querySelector('video').textTracks[0];
            track.mode = 'showing';
            for (let i = 0; i < 50 && !(track.cues && track.cues.length); i++) {
                await new Promise(r => setTimeout(r, 100));
            }
            return Array.from(track.cues || []).map(c => c.text);
        }"""
    )
    assert cues[0] == "Radicalisering herkennen begint bij goed kijken."
    assert_accessible(page)
    page.goto("/producten/opname-webinar-online-radicalisering/")
    assert_accessible(page)


def test_external_video_loads_only_after_a_click(page, outreach_site):
    third_party = []
    page.on("request", lambda r: "youtube" in r.url and third_party.append(r.url))
    page.route("**/*youtube*/**", lambda route: route.abort())
    page.goto("/producten/animatie-polarisatie/")
    assert_accessible(page)
    assert page.locator("iframe").count() == 0
    assert third_party == []
    page.get_by_role("button", name="Video afspelen (YouTube)").click()
    frame = page.locator("iframe.cter-consent__frame")
    assert frame.get_attribute("src").startswith("https://www.youtube-nocookie.com/embed/")
    assert frame.get_attribute("title") == "Animatie: polarisatie in de klas"


def sign_in(page, role_user):
    """The steering group (role Analist) logs in on the public login page."""
    role_user("Analist", "stuurgroep")
    page.goto("/inloggen/")
    page.fill("#id_username", "stuurgroep")
    page.fill("#id_password", "Een-lang-en-sterk-wachtwoord-1")
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_theme_plan_and_group_overview_are_accessible(page, outreach_site, role_user):
    sign_in(page, role_user)  # the plan is for signed-in coordinators and the steering group
    for path in ["/thema/signalen/", "/voor/", f"/communicatieplan-{timezone.localdate().year}/"]:
        page.goto(path)
        assert page.locator("h1").count() == 1
        assert_accessible(page)
    # the headless browser counts as a bot: no reach recorded from test automation
    assert not ReachCount.objects.filter(kind="view").exists()


def test_communication_plan_prints_as_a_clean_document(page, outreach_site, role_user):
    sign_in(page, role_user)
    page.goto(f"/communicatieplan-{timezone.localdate().year}/")
    assert page.locator(".cter-nav").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".cter-nav").is_visible()
    assert not page.locator(".cter-footer").is_visible()
    assert page.locator(".cter-plan__table").first.is_visible()


def test_a_communications_officer_publishes_an_info_sheet_for_a_target_group(
    page, outreach_site, role_user
):
    """Issue 18 item 8 (a): a real communications officer (group Communicatie, no
    superuser) adds an info sheet in the editor, ticks a target group, publishes, and
    finds it on that group's landing page; axe on every page on the way."""
    run_role_migrations()  # page rights on the new root (a flush before removed the old one)
    role_user("Communicatie", "communicatie")
    page.goto("/admin/login/")
    page.fill("#id_username", "communicatie")
    page.fill("#id_password", "Een-lang-en-sterk-wachtwoord-1")
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/")
    assert_accessible(page)

    products = ProductIndexPage.objects.get()
    page.goto(f"/admin/pages/{products.pk}/")
    assert_accessible(page)
    page.goto(f"/admin/pages/{products.pk}/add_subpage/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(r"^Informatieblad")).click()
    page.wait_for_url("**/admin/pages/add/outreach/infosheetpage/**")
    assert_accessible(page)

    page.locator("#id_title").fill("Informatieblad jongeren online")
    page.get_by_role("textbox", name="Samenvatting*").fill(
        "Wat u ziet als jongeren online radicaliseren."
    )
    page.get_by_label("Asiel- en vluchtelingenketen (o.a. VluchtelingenWerk, COA, IND)").check()
    publish_new_page(page)
    # Published; the subscriptions screen asks whether to announce it.
    page.wait_for_url("**/admin/op-de-hoogte/*/")
    published = page.locator(".messages").inner_text()
    assert "Informatieblad jongeren online" in published and "is gepubliceerd" in published
    assert_accessible(page)
    with page.expect_navigation():
        page.get_by_role("button", name="Niet aankondigen").click()
    assert_accessible(page)

    sheet = InfoSheetPage.objects.get(title="Informatieblad jongeren online")
    assert sheet.live and list(sheet.target_groups.values_list("slug", flat=True)) == ["asielketen"]
    page.goto("/voor/asielketen/")
    page.get_by_role("link", name="Informatieblad jongeren online").first.click()
    page.wait_for_url(f"**{sheet.url}")
    assert page.locator("h1").inner_text() == "Informatieblad jongeren online"
    assert_accessible(page)
    page.goto("/voor/asielketen/")
    assert_accessible(page)
    assert page.goto("/voor/gemeenten/").ok  # another group's page does not list it
    assert page.get_by_role("link", name="Informatieblad jongeren online").count() == 0
