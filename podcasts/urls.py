from django.urls import re_path

from . import views

app_name = "podcasts"
UUID = r"(?P<key>[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
urlpatterns = [
    # The enclosure URL in the feed (counted, then redirected). Never change it.
    re_path(rf"^podcasts/audio/{UUID}\.(?P<ext>mp3|m4a)$", views.enclosure, name="enclosure"),
    re_path(rf"^podcasts/bestand/{UUID}\.(?P<ext>mp3|m4a)$", views.audio, name="audio"),
]
