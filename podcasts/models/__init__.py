from .pages import (
    EpisodeTag,
    EpisodeType,
    PodcastEpisodePage,
    PodcastIndexPage,
    PodcastShowPage,
    ShowType,
)
from .stats import DownloadCount, ListenerProgress

__all__ = [
    "DownloadCount",
    "EpisodeTag",
    "EpisodeType",
    "ListenerProgress",
    "PodcastEpisodePage",
    "PodcastIndexPage",
    "PodcastShowPage",
    "ShowType",
]
