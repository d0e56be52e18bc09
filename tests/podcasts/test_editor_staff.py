"""Issue 18 item 4 for the podcast editor: exact durations, the next episode number."""

import re

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from podcasts.models import PodcastEpisodePage
from podcasts.selectors import duration_words, next_episode_number

pytestmark = pytest.mark.django_db


def test_duration_reads_minutes_and_seconds():
    with translation.override("nl"):
        assert duration_words(76) == "1 min 16 s"
        assert duration_words(60) == "1 min"
        assert duration_words(9) == "9 s"
        assert duration_words(3725) == "1 uur 2 min 5 s"
        assert duration_words(0) == "0 s"


def test_a_new_episode_suggests_the_next_number(client, show):
    numbers = PodcastEpisodePage.objects.child_of(show).values_list("episode_number", flat=True)
    highest = max(n for n in numbers if n)
    assert next_episode_number(show_id=show.pk) == highest + 1
    client.force_login(User.objects.create_superuser("ed", "ed@example.nl", "x"))
    html = client.get(f"/admin/pages/add/podcasts/podcastepisodepage/{show.pk}/").content.decode()
    field = re.search(r'<input[^>]*name="episode_number"[^>]*>', html).group(0)
    assert f'value="{highest + 1}"' in field
