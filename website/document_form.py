"""Wagtail's document form with a look at the content (``WAGTAILDOCS_DOCUMENT_FORM_BASE``).

A module of its own: Wagtail's form module queries permissions when imported, so it must
not be imported while models load (``website.documents`` is imported by page models)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.documents.forms import BaseDocumentForm

from website.documents import HEAD_BYTES, allowed_extensions, content_fits, extension


class DocumentForm(BaseDocumentForm):
    """Wagtail's document form (single and multiple upload, chooser) plus a look at the
    content: a renamed file is refused with a Dutch message next to the field."""

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or "file" not in self.changed_data:
            return upload
        ext = extension(upload.name)
        position = upload.tell() if hasattr(upload, "tell") else 0
        upload.seek(0)
        head = upload.read(HEAD_BYTES)
        upload.seek(position)
        if ext in allowed_extensions() and not content_fits(ext, head):
            raise forms.ValidationError(
                _("The content of this file does not match its extension (.%(ext)s).")
                % {"ext": ext},
                code="content_mismatch",
            )
        return upload
