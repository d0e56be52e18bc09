"""Form helpers shared by every public form: NL Design System classes and
accessible error wiring (aria-invalid, aria-describedby to the error text)."""

import threading

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from website.converters import parse_id
from website.text import has_invisible_characters

WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}
DEFAULT_CLASS = "utrecht-textbox utrecht-textbox--html-input"


@deconstructible
class PlainTextValidator:
    """Refuses control characters and bidirectional overrides (see ``website.text``);
    multi-line fields may hold tabs and line breaks."""

    message = _(
        "This text contains invisible control characters, for example from copied text. "
        "Type it again without them."
    )
    code = "control_characters"

    def __init__(self, *, multiline: bool = False):
        self.multiline = multiline

    def __call__(self, value):
        if value and has_invisible_characters(str(value), multiline=self.multiline):
            raise ValidationError(self.message, code=self.code)

    def __eq__(self, other):
        return isinstance(other, PlainTextValidator) and other.multiline == self.multiline


def guard_text_fields(fields) -> None:
    """Every free-text field of a public form (``fields``: name -> field) refuses
    invisible characters (one message instead of Django's separate one for NUL)."""
    for field in fields.values():
        if not isinstance(field, forms.CharField) or isinstance(field, forms.EmailField):
            continue
        multiline = isinstance(field.widget, forms.Textarea)
        field.validators = [
            v for v in field.validators if not isinstance(v, ProhibitNullCharactersValidator)
        ]
        if not any(isinstance(v, PlainTextValidator) for v in field.validators):
            field.validators.append(PlainTextValidator(multiline=multiline))


def _required(template, label) -> str:
    return str(template) % {"label": label}


_required_lazy = lazy(_required, str)  # in the language of the request that shows it
_PREPARING = threading.Lock()


def _prepare(fields) -> None:
    """Classes, text guards and "which field is missing" messages on declared fields:
    once per form class (the fields are copied for every form instance after this)."""
    guard_text_fields(fields)
    for field in fields.values():
        widget = field.widget
        css = next(
            (c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), DEFAULT_CLASS
        )
        classes = widget.attrs.get("class", "").split()
        missing = [c for c in css.split() if c not in classes]
        if missing:  # a field a parent class declared is shared with it: add once
            widget.attrs["class"] = " ".join(classes + missing)
        # Say which field is missing, not "This field is required." everywhere.
        if field.required and str(field.error_messages.get("required")) == str(
            forms.Field.default_error_messages["required"]
        ):
            field.error_messages["required"] = _required_lazy(
                _("Make a choice for “%(label)s”.")
                if isinstance(widget, forms.Select | forms.RadioSelect)
                else _("Fill in “%(label)s”."),
                field.label,
            )


class AccessibleFormMixin:
    """Every public form uses this: accessible errors and plain text only."""

    def __init__(self, *args, **kwargs):
        cls = type(self)
        if not cls.__dict__.get("_accessible_ready"):
            with _PREPARING:  # two threads building the first form of a class
                if not cls.__dict__.get("_accessible_ready"):
                    _prepare(cls.base_fields)
                    cls._accessible_ready = True
        super().__init__(*args, **kwargs)

    def full_clean(self):
        super().full_clean()
        for name, errors in self.errors.items():
            if name not in self.fields or not errors:
                continue
            bound = self[name]
            described = [f"{bound.auto_id}_error"]
            if self.fields[name].help_text:
                described.append(f"{bound.auto_id}_helptext")
            attrs = self.fields[name].widget.attrs
            attrs["aria-invalid"] = "true"
            attrs["aria-describedby"] = " ".join(described)


class HoneypotMixin(forms.Form):
    """A field people never see; bots fill it in. Checked by services/views."""

    website = forms.CharField(
        required=False,
        max_length=200,
        label="Laat dit veld leeg",
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def is_bot(self) -> bool:
        return bool(self.data.get(self.add_prefix("website")))


class IdModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField for GET filters: a forged value (thousands of digits, a sign)
    is an invalid choice, never a database lookup that overflows."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)
