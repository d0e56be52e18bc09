import pytest
from django.utils import timezone

from podcasts import services
from podcasts.models import DownloadCount, ListenerProgress
from tests.concurrency import run_together

from .conftest import episode

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_concurrent_range_requests_of_one_listener_count_once(podcast_site):
    page = episode("een-melding-in-het-zorg-en-veiligheidshuis")
    day = timezone.localdate()
    listener = services.listener_digest(ip="10.2.2.2", user_agent="AntennaPod/3", day=day)
    chunk = 5000
    # 24 parallel chunks: together (and not alone) they cover header + one minute
    ranges = [(i * chunk, (i + 1) * chunk - 1) for i in range(24)]

    def job(start, end):
        return lambda: services.record_range(
            episode_id=page.pk,
            show_id=podcast_site.pk,
            threshold=page.download_threshold,
            listener=listener,
            app="AntennaPod",
            start=start,
            end=end,
            day=day,
        )

    errors, results = run_together([job(s, e) for s, e in ranges])
    assert errors == []
    assert results.count(True) == 1
    assert DownloadCount.objects.get().count == 1
    row = ListenerProgress.objects.get()
    assert row.counted


def test_concurrent_listeners_all_count(podcast_site):
    page = episode("trailer")
    day = timezone.localdate()

    def job(i):
        listener = services.listener_digest(ip=f"10.3.0.{i}", user_agent="Spotify/8", day=day)
        return lambda: services.record_range(
            episode_id=page.pk,
            show_id=podcast_site.pk,
            threshold=page.download_threshold,
            listener=listener,
            app="Spotify",
            start=0,
            end=page.audio_size - 1,
            day=day,
        )

    errors, results = run_together([job(i) for i in range(30)])
    assert errors == []
    assert results.count(True) == 30
    assert DownloadCount.objects.get(episode=page).count == 30
