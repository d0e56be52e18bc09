"""Reads for podcast pages, the feed, cards and reports: a constant number of queries
however many episodes there are."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.core.paginator import Paginator
from django.db.models import Count, Max, OuterRef, Prefetch, Subquery, Sum
from django.db.models.functions import Length, Substr
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.images import get_image_model
from wagtail.models import Page

from website.cards import Card, with_topics
from website.hooks import ReachFigure, ReachMetric, figures_per_page
from website.queries import public_pages

from . import services
from .models import DownloadCount, PodcastEpisodePage, PodcastShowPage
from .services import absolute, base_url  # noqa: F401 (used here and by views as selectors.*)

STEP = Page.steplen
ARTWORK_THUMB = "fill-400x400"
EPISODES_PER_PAGE = 20


def enclosure_path(episode) -> str:
    return reverse(
        "podcasts:enclosure", kwargs={"key": episode.enclosure_uuid, "ext": episode.audio_type}
    )


def duration_label(seconds: int) -> str:
    minutes, secs = divmod(int(seconds or 0), 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"


def duration_words(seconds: int) -> str:
    minutes = max(round((seconds or 0) / 60), 1)
    return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}


def public_episodes():
    """Live episodes without a view restriction (their page and audio are public)."""

    return public_pages(PodcastEpisodePage.objects.live())


def published_episodes(*, now):
    """Live, public episodes whose publication time has come."""
    return public_episodes().filter(publication_date__lte=now)


def with_show_id(episodes):
    parent = Page.objects.filter(
        path=Substr(OuterRef("path"), 1, Length(OuterRef("path")) - STEP)
    ).values("pk")[:1]
    return episodes.annotate(show_id=Subquery(parent))


def _artwork_prefetch(spec):
    return Prefetch("artwork", queryset=get_image_model().objects.prefetch_renditions(spec))


# ----- pages ------------------------------------------------------------------------


def show_list(*, parent, now=None) -> list:
    """The shows under the overview, with their number of episodes and latest date."""

    now = now or timezone.now()
    shows = list(
        public_pages(PodcastShowPage.objects.child_of(parent).live())
        .prefetch_related(_artwork_prefetch(ARTWORK_THUMB))
        .order_by("title")
    )
    if not shows:
        return []
    depth = shows[0].depth
    stats = {
        row["show_path"]: row
        for row in published_episodes(now=now)
        .filter(depth=depth + 1, path__startswith=parent.path)
        .annotate(show_path=Substr("path", 1, depth * STEP))
        .values("show_path")
        .annotate(episodes=Count("pk"), latest=Max("publication_date"))
        .order_by()
    }
    for show in shows:
        row = stats.get(show.path, {})
        show.episode_count = row.get("episodes", 0)
        show.latest_episode = row.get("latest")
        show.feed_url = services.feed_url(show)
    return shows


def subscribe_links(show) -> list[tuple[str, str]]:
    """(label, url) of the apps the show is in, then the RSS feed itself."""
    feed = services.feed_url(show)
    links = [
        ("Apple Podcasts", show.apple_podcasts_url),
        ("Spotify", show.spotify_url),
        ("Pocket Casts", show.pocket_casts_url),
        ("YouTube Music", show.youtube_music_url),
        ("AntennaPod", f"https://antennapod.org/deeplink/subscribe?url={feed}"),
    ]
    return [(label, url) for label, url in links if url]


def show_detail(show, *, request=None, now=None) -> dict:
    now = now or timezone.now()
    episodes = (
        published_episodes(now=now)
        .child_of(show)
        .only(
            "title",
            "slug",
            "url_path",
            "path",
            "depth",
            "summary",
            "publication_date",
            "audio_duration",
            "season",
            "episode_number",
            "episode_type",
        )
        .order_by("-publication_date", "-pk")
    )
    page_number = request.GET.get("pagina") if request else None
    page_obj = Paginator(episodes, EPISODES_PER_PAGE).get_page(page_number)
    for episode in page_obj.object_list:
        episode.duration_words = duration_words(episode.audio_duration)
    return {
        "episodes": page_obj,
        "feed_url": services.feed_url(show),
        "subscribe_links": subscribe_links(show),
    }


def episode_detail(episode, *, request=None) -> dict:
    show = PodcastShowPage.objects.filter(path=episode.path[:-STEP]).first()
    return {
        "show": show,
        "feed_url": services.feed_url(show) if show else "",
        "subscribe_links": subscribe_links(show) if show else [],
        "audio_url": enclosure_path(episode) if episode.audio_type else "",
        "duration": duration_label(episode.audio_duration),
        "duration_words": duration_words(episode.audio_duration),
        "transcript_paragraphs": [p for p in episode.transcript_text.split("\n\n") if p],
        "chapters": [
            {"start": start, "label": duration_label(start), "title": title}
            for start, title in episode.chapter_list or []
        ],
        "target_groups": list(episode.target_groups.select_related("landing_page")),
        "themes": list(episode.tags.all()),
    }


# ----- feed -------------------------------------------------------------------------


@dataclass
class FeedData:
    show: PodcastShowPage
    episodes: list
    last_modified: dt.datetime
    valid_until: dt.datetime | None  # the next scheduled episode's publication time


def feed_data(show, *, now=None) -> FeedData:
    """The show and its published episodes, newest first, in a fixed number of queries."""
    now = now or timezone.now()
    show = (
        PodcastShowPage.objects.filter(pk=show.pk)
        .prefetch_related(_artwork_prefetch(show.feed_artwork_spec))
        .get()
    )

    live = public_pages(PodcastEpisodePage.objects.live().child_of(show))
    episodes = list(
        live.filter(publication_date__lte=now)
        .exclude(audio_type="")
        .select_related("transcript", "chapters")
        .order_by("-publication_date", "-pk")
    )
    valid_until = (
        live.filter(publication_date__gt=now)
        .order_by("publication_date")
        .values_list("publication_date", flat=True)
        .first()
    )
    stamps = [show.last_published_at or show.latest_revision_created_at or now]
    stamps += [e.last_published_at or e.publication_date for e in episodes]
    stamps += [e.publication_date for e in episodes]
    return FeedData(
        show=show,
        episodes=episodes,
        last_modified=max(s for s in stamps if s),
        valid_until=valid_until,
    )


# ----- cards (website.cards) ------------------------------------------------------


def cards(
    *, target_group=None, theme=None, kinds=None, now=None, limit=None, page_ids=None
) -> list[Card]:
    """Card source: published episodes, newest first."""
    if kinds is not None and "episode" not in set(kinds):
        return []
    now = now or timezone.now()
    episodes = published_episodes(now=now).defer_streamfields()
    if target_group is not None:
        slug = getattr(target_group, "slug", target_group)
        episodes = episodes.filter(target_groups__slug=slug)
    if theme:
        episodes = episodes.filter(tagged_items__tag__slug=theme)
    if page_ids is not None:
        episodes = episodes.filter(pk__in=list(page_ids))
    episodes = (
        with_show_id(episodes.distinct())
        .only("title", "url_path", "path", "depth", "summary", "publication_date", "audio_duration")
        .order_by("-publication_date", "-pk")
    )
    if limit:
        episodes = episodes[:limit]
    episodes = list(episodes)
    titles = dict(
        Page.objects.filter(pk__in={e.show_id for e in episodes}).values_list("pk", "title")
    )
    label = _("Podcast episode")
    return [
        Card(
            kind="episode",
            kind_label=label,
            title=episode.title,
            url=episode.get_url(),
            page_id=episode.pk,
            summary=episode.summary,
            date=episode.publication_date,
            date_label=_("Published %(date)s")
            % {
                "date": formats.date_format(
                    timezone.localtime(episode.publication_date).date(), "j F Y"
                )
            },
            meta=tuple(
                m
                for m in (titles.get(episode.show_id, ""), duration_words(episode.audio_duration))
                if m
            ),
        )
        for episode in episodes
    ]


def cards_about(*, page_ids, now=None) -> list[Card]:
    """The cards of these episodes with their target groups and themes (website.cards)."""
    return with_topics(cards(page_ids=page_ids, now=now), PodcastEpisodePage)


# ----- reports ----------------------------------------------------------------------


def download_report(*, since, until, show_id=None) -> dict:
    """Downloads per show and episode (total and per day) and per app, in four queries."""
    rows = DownloadCount.objects.filter(day__gte=since, day__lte=until)
    if show_id:
        rows = rows.filter(show_id=show_id)
    per_day = list(
        rows.values("day", "show_id").annotate(total=Sum("count")).order_by("-day", "show_id")
    )
    per_episode = list(
        rows.values("episode_id", "show_id").annotate(total=Sum("count")).order_by("-total")
    )
    per_app = list(rows.values("app").annotate(total=Sum("count")).order_by("-total", "app"))
    ids = {r["show_id"] for r in per_day} | {r["episode_id"] for r in per_episode}
    titles = dict(Page.objects.filter(pk__in=ids).values_list("pk", "title"))
    days = defaultdict(dict)
    for row in per_day:
        days[row["day"]][row["show_id"]] = row["total"]
    shows = sorted({r["show_id"] for r in per_day}, key=lambda pk: titles.get(pk, ""))
    return {
        "shows": [{"id": pk, "title": titles.get(pk, "?")} for pk in shows],
        "days": [
            {"day": day, "counts": [days[day].get(pk, 0) for pk in shows]}
            for day in sorted(days, reverse=True)
        ],
        "episodes": [
            {
                "id": r["episode_id"],
                "title": titles.get(r["episode_id"], "?"),
                "show": titles.get(r["show_id"], "?"),
                "total": r["total"],
            }
            for r in per_episode
        ],
        "apps": per_app,
        "total": sum(r["total"] for r in per_app),
    }


def episode_daily(*, episode_id, since, until) -> list[dict]:
    return list(
        DownloadCount.objects.filter(episode_id=episode_id, day__gte=since, day__lte=until)
        .values("day")
        .annotate(total=Sum("count"))
        .order_by("-day")
    )


def reach_figures(*, page_ids=None, since=None, until=None, by_month=False) -> list[ReachFigure]:
    """Reach source (website.hooks): plays of each episode, i.e. its downloads by the IAB
    rules. One query."""
    return figures_per_page(
        DownloadCount.objects.all(),
        page="episode_id",
        day="day",
        metric=ReachMetric.PLAYS,
        value=Sum("count"),
        page_ids=page_ids,
        since=since,
        until=until,
        by_month=by_month,
    )


def audiences(*, page_ids=None) -> list[tuple[int, int]]:
    """Audience source (website.hooks): (episode page id, target group id). One query."""
    rows = PodcastEpisodePage.target_groups.through.objects.all()
    if page_ids is not None:
        rows = rows.filter(podcastepisodepage_id__in=list(page_ids))
    return list(rows.values_list("podcastepisodepage_id", "targetgroup_id"))
