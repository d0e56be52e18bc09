"""A large counting history for benchmarks (``manage.py seed_volume``): daily views of
every page and downloads of every product document over the last years, plus as many
views of further (imaginary) pages as it takes to reach the number of rows asked for.
bulk_create in batches; existing counts are left alone."""

from __future__ import annotations

import datetime as dt
import random

from django.utils import timezone
from wagtail.models import Page

from .models import ReachCount
from .models.reach import ReachKind
from .selectors import product_documents

BATCH = 10_000
FILLER = 10_000_000  # object ids of the imaginary pages


def seed(*, registrations: int, counts: int, years: int, now: dt.datetime, stdout=None) -> int:
    today = timezone.localdate(now)
    first = dt.date(today.year - years + 1, 1, 1)
    if counts <= 0 or ReachCount.objects.filter(day__lte=first).exists():
        return 0  # already seeded (real counting never reaches that far back)
    days = [first + dt.timedelta(days=n) for n in range((today - first).days + 1)]
    documents = sorted({pk for ids in product_documents().values() for pk in ids})
    objects = [
        (ReachKind.VIEW, pk) for pk in Page.objects.filter(depth__gt=1).values_list("pk", flat=True)
    ]
    objects += [(ReachKind.DOWNLOAD, pk) for pk in documents]
    needed = -(-counts // len(days))  # objects for ``counts`` rows, rounded up
    objects += [(ReachKind.VIEW, FILLER + n) for n in range(max(needed - len(objects), 0))]
    rng = random.Random(17)
    made, batch = 0, []
    for kind, object_id in objects:
        # The site's own pages and documents are read more than the imaginary ones.
        popularity = rng.randint(1, 8) if object_id >= FILLER else rng.randint(10, 40)
        for day in days:
            if made + len(batch) >= counts:
                break
            weekend = day.weekday() >= 5
            batch.append(
                ReachCount(
                    kind=kind,
                    object_id=object_id,
                    day=day,
                    count=max(1, rng.randint(0, popularity) // (3 if weekend else 1)),
                )
            )
            if len(batch) >= BATCH:
                ReachCount.objects.bulk_create(batch, ignore_conflicts=True)
                made += len(batch)
                batch = []
    if batch:
        ReachCount.objects.bulk_create(batch, ignore_conflicts=True)
        made += len(batch)
    if stdout:
        stdout.write(f"outreach: {made} daily view and download counts over {len(days)} days")
    return made
