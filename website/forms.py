"""Form helpers shared by every public form: NL Design System classes and
accessible error wiring (aria-invalid, aria-describedby to the error text)."""

from django import forms
from django.utils.translation import gettext_lazy as _

WIDGET_CLASSES = {
    forms.CheckboxInput: "utrecht-checkbox utrecht-checkbox--html-input",
    forms.RadioSelect: "utrecht-radio-button",
    forms.Select: "utrecht-select utrecht-select--html-select",
    forms.Textarea: "utrecht-textarea utrecht-textarea--html-textarea",
}
DEFAULT_CLASS = "utrecht-textbox utrecht-textbox--html-input"


class AccessibleFormMixin:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            css = next(
                (c for cls, c in WIDGET_CLASSES.items() if isinstance(widget, cls)), DEFAULT_CLASS
            )
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()
            # Say which field is missing, not "This field is required." everywhere.
            if field.required and str(field.error_messages.get("required")) == str(
                forms.Field.default_error_messages["required"]
            ):
                field.error_messages["required"] = (
                    _("Make a choice for “%(label)s”.")
                    if isinstance(widget, forms.Select | forms.RadioSelect)
                    else _("Fill in “%(label)s”.")
                ) % {"label": field.label}

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
