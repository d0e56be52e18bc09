"""Wagtail's admin strings whose Dutch translation in Wagtail's own catalogue is English
(msgstr "File" for msgid "File"). The project's catalogue, locale/nl (first in
LOCALE_PATHS, so it wins), translates them; they are listed here so that
``make makemessages`` keeps them. tests/website/test_browser_editor_staff.py reads the
admin as communications staff see it and fails on English that is left."""

from django.utils.translation import gettext_noop

WAGTAIL_STRINGS = (
    gettext_noop("File"),  # the document listing's and the document chooser's column
)
