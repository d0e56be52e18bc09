from wagtail.signals import page_published

from .models import PodcastShowPage
from .services import fix_podcast_guid


def _fix_guid(sender, instance, **kwargs):
    fix_podcast_guid(show=instance)


def connect():
    page_published.connect(_fix_guid, sender=PodcastShowPage, dispatch_uid="podcasts-guid")
