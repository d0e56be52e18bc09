import pytest

from podcasts.models import DownloadCount
from tests.conftest import assert_accessible, watch_csp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_overview_show_and_episode_pages_are_accessible_and_play(page, podcast_site):
    page.goto("/podcasts/")
    assert page.locator("h1").inner_text() == "Podcasts"
    assert_accessible(page)
    page.get_by_role("link", name="Samen Veilig, de podcast").first.click()
    page.wait_for_url("**/podcasts/samen-veilig/")
    assert page.locator('link[rel="alternate"][type="application/rss+xml"]').count() == 1
    assert_accessible(page)
    page.get_by_role("link", name="Een melding in het Zorg- en Veiligheidshuis").click()
    page.wait_for_url("**/een-melding-in-het-zorg-en-veiligheidshuis/")
    assert_accessible(page)
    audio = page.locator("audio")
    assert audio.get_attribute("controls") is not None
    # keyboard: the player is reachable with Tab
    page.locator("h1").click()
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.tagName") == "AUDIO":
            break
    assert page.evaluate("document.activeElement.tagName") == "AUDIO"
    # the browser loads the audio through the enclosure redirect and its range support
    duration = page.evaluate(
        """async () => {
            const audio = document.querySelector('audio');
            audio.preload = 'metadata';
            audio.load();
            for (let i = 0; i < 100 && !(audio.duration > 0); i++) {
                await new Promise(r => setTimeout(r, 100));
            }
            return audio.duration;
        }"""
    )
    assert 74 < duration < 77
    assert (
        page.get_by_role("heading", name="Transcript").count()
        + page.get_by_role("heading", name="Transcriptie").count()
        == 1
    )
    # headless browsers count as bots: nothing counted from test automation
    assert not DownloadCount.objects.exists()


def test_episode_pages_without_javascript_are_accessible(
    _playwright_browser, live_server, podcast_site
):
    context = _playwright_browser.new_context(
        base_url=live_server.url, locale="nl-NL", java_script_enabled=False
    )
    tab = context.new_page()
    try:
        tab.goto("/podcasts/samen-veilig/polarisatie-in-de-wijk/")
        assert tab.locator("audio[controls]").count() == 1
        assert "kleine incidenten" in tab.content()
    finally:
        context.close()
    tab = _playwright_browser.new_context(base_url=live_server.url).new_page()
    blocked = watch_csp(tab)
    tab.goto("/podcasts/samen-veilig/taal-in-de-klas/")
    assert_accessible(tab)
    tab.context.close()
    assert not blocked
