from wagtail.signals import page_published


def _fix_guid(sender, instance, **kwargs):
    from .services import fix_podcast_guid

    fix_podcast_guid(show=instance)


def connect():
    from .models import PodcastShowPage

    page_published.connect(_fix_guid, sender=PodcastShowPage, dispatch_uid="podcasts-guid")
