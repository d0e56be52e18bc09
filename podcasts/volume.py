"""A large download history for benchmarks (``manage.py seed_volume``): a tenth of the
count rows asked for, as daily downloads per episode and app over the last years."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from wagtail.models import Page

from .models import DownloadCount, PodcastEpisodePage

BATCH = 10_000
APPS = (
    "Apple Podcasts",
    "Spotify",
    "Pocket Casts",
    "Overcast",
    "Podcast Addict",
    "AntennaPod",
    "Google Podcasts",
    "Browser",
)


def seed(*, registrations: int, counts: int, years: int, now: dt.datetime, stdout=None) -> int:
    wanted = counts // 10
    episodes = list(PodcastEpisodePage.objects.values_list("pk", "path"))
    if wanted <= 0 or not episodes:
        return 0
    today = timezone.localdate(now)
    first = dt.date(today.year - years + 1, 1, 1)
    if DownloadCount.objects.filter(day__lte=first).exists():
        return 0  # already seeded (real counting never reaches that far back)
    # An episode's show is its parent page in the tree.
    parents = dict(
        Page.objects.filter(path__in={path[: -Page.steplen] for _pk, path in episodes}).values_list(
            "path", "pk"
        )
    )
    days = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    rng = random.Random(19)
    made, batch = 0, []
    for day in days:
        for episode_id, path in episodes:
            for app in APPS:
                if made + len(batch) >= wanted:
                    break
                batch.append(
                    DownloadCount(
                        day=day,
                        show_id=parents[path[: -Page.steplen]],
                        episode_id=episode_id,
                        app=app,
                        count=rng.randint(1, 12),
                    )
                )
        if len(batch) >= BATCH:
            DownloadCount.objects.bulk_create(batch, ignore_conflicts=True)
            made += len(batch)
            batch = []
    if batch:
        DownloadCount.objects.bulk_create(batch, ignore_conflicts=True)
        made += len(batch)
    if stdout:
        stdout.write(f"podcasts: {made} daily download counts")
    return made
