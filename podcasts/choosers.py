"""Document choosers that offer only the files an episode field takes: the audio chooser
lists MP3 and M4A documents, the transcript chooser WebVTT and SRT, the chapters chooser
JSON. Wagtail's own document chooser, with its permissions, collections, search and
upload tab, narrowed by the file's extension; the episode's ``clean()`` still checks
what is uploaded."""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from wagtail.admin.telepath import register as register_telepath_adapter
from wagtail.documents.views.chooser import (
    DocumentChooseResultsView,
    DocumentChooserViewSet,
    DocumentChooseView,
)

from .audio import AUDIO_TYPES, TRANSCRIPT_TYPES


def with_extensions(documents, extensions):
    """The documents whose file name ends in one of ``extensions`` (any case). Through
    ``id`` (a subquery), since the search backend filters only on its indexed fields."""
    by_name = reduce(or_, (Q(file__iendswith=f".{ext}") for ext in extensions))
    return documents.filter(id__in=documents.model.objects.filter(by_name).values("id"))


class _ByExtension:
    extensions: tuple[str, ...] = ()

    def get_object_list(self):
        return with_extensions(super().get_object_list(), self.extensions)


class ChooseView(_ByExtension, DocumentChooseView):
    pass


class ChooseResultsView(_ByExtension, DocumentChooseResultsView):
    pass


class FileTypeChooserViewSet(DocumentChooserViewSet):
    choose_view_class = ChooseView
    choose_results_view_class = ChooseResultsView
    extensions: tuple[str, ...] = ()

    def __init__(self, name, *, extensions, **kwargs):
        self.extensions = tuple(extensions)
        super().__init__(name, model="wagtaildocs.Document", **kwargs)

    def get_common_view_kwargs(self, **kwargs):
        return super().get_common_view_kwargs(extensions=self.extensions, **kwargs)

    def on_register(self):
        # The widget's script adapter only: no form-field override for every document field.
        register_telepath_adapter(self.widget_telepath_adapter_class(), self.widget_class)


audio = FileTypeChooserViewSet(
    "podcast_audio_chooser",
    url_prefix="podcasts/kies-audio",
    extensions=AUDIO_TYPES,
    choose_one_text=_("Choose an audio file"),
    choose_another_text=_("Choose another audio file"),
)
transcript = FileTypeChooserViewSet(
    "podcast_transcript_chooser",
    url_prefix="podcasts/kies-transcript",
    extensions=TRANSCRIPT_TYPES,
    choose_one_text=_("Choose a transcript"),
    choose_another_text=_("Choose another transcript"),
)
chapters = FileTypeChooserViewSet(
    "podcast_chapters_chooser",
    url_prefix="podcasts/kies-hoofdstukken",
    extensions=("json",),
    choose_one_text=_("Choose a chapters file"),
    choose_another_text=_("Choose another chapters file"),
)
