"""No stampede after a publish: concurrent requests on separate connections (as on
several app servers sharing one cache) render a page once."""

import pytest
from django.core.cache import cache
from django.test import Client

from tests.concurrency import run_together
from website.models import StandardPage

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 8


def _get_all_at_once(path):
    def job():
        response = Client().get(path)
        return response.status_code, response["X-Page-Cache"], response.content

    errors, results = run_together([job] * N)
    assert errors == []
    return results


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE_SECONDS = 300
    settings.PAGE_CACHE_WAIT_SECONDS = 60  # a loaded machine renders slowly
    cache.clear()


def test_after_a_publish_concurrent_requests_render_the_page_once(page_cache, site_home):
    page = StandardPage.objects.get(slug="privacy")
    Client().get(page.url)
    page.title = "Privacyverklaring (bijgewerkt)"
    page.save_revision().publish()  # the stamp moves: every copy is out of date

    results = _get_all_at_once(page.url)

    states = sorted(state for _status, state, _content in results)
    assert {status for status, _state, _content in results} == {200}
    assert states.count("miss") == 1, states  # one render
    assert set(states) <= {"miss", "stale", "hit"}
    # Whoever got the previous copy gets the new one once the render is stored.
    assert "(bijgewerkt)" in Client().get(page.url).content.decode()


def test_without_any_copy_concurrent_requests_wait_for_one_render(page_cache, site_home):
    results = _get_all_at_once("/")

    states = sorted(state for _status, state, _content in results)
    assert states.count("miss") == 1, states
    assert states.count("hit") == N - 1
    assert len({content for _status, _state, content in results}) == 1
