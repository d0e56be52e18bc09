"""Editor forms of the podcast pages."""

from __future__ import annotations

from wagtail.admin.forms import WagtailAdminPageForm

from . import selectors


class EpisodePageForm(WagtailAdminPageForm):
    """A new episode suggests the next number of its podcast (the editor may change it)."""

    def __init__(self, *args, parent_page=None, **kwargs):
        super().__init__(*args, parent_page=parent_page, **kwargs)
        new = self.instance.pk is None and parent_page is not None
        if new and "episode_number" in self.fields and not self.initial.get("episode_number"):
            self.initial["episode_number"] = selectors.next_episode_number(show_id=parent_page.pk)
