"""The public forms: subscribe and change preferences. Checkbox lists for target groups
and themes, a radio group for how often; a forged or absurd value is an invalid choice
with a Dutch message, never a database error."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from subscriptions.models import Frequency
from website.forms import AccessibleFormMixin, HoneypotMixin
from website.models import TargetGroup

ID = re.compile(r"^[1-9][0-9]{0,8}$")
MAX_CHOICES = 100


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Only plain, reasonably small ids reach the database."""

    def clean(self, value):
        values = [] if value in self.empty_values else value
        if not isinstance(values, list | tuple) or len(values) > MAX_CHOICES:
            raise forms.ValidationError(self.error_messages["invalid_list"], code="invalid_list")
        for item in values:
            if not ID.match(str(item)):
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"],
                    code="invalid_choice",
                    params={"value": str(item)[:20]},
                )
        return super().clean(value)


class PreferencesForm(AccessibleFormMixin, forms.Form):
    target_groups = IdMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("News made for these target groups."),
    )
    themes = IdMultipleChoiceField(
        label=_("Themes"),
        queryset=Tag.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("News about these themes, for whichever target group."),
    )
    frequency = forms.ChoiceField(
        label=_("How often"),
        choices=Frequency.choices,
        widget=forms.RadioSelect,
        initial=Frequency.DIRECT,
    )

    def __init__(self, *args, groups=(), themes=(), **kwargs):
        super().__init__(*args, **kwargs)
        # Choices come from the caller (already fetched: no query per render).
        self.fields["target_groups"].queryset = TargetGroup.objects.filter(
            pk__in=[g.pk for g in groups]
        )
        self.fields["target_groups"].choices = [(g.pk, g.name) for g in groups]
        self.fields["themes"].queryset = Tag.objects.filter(pk__in=[t.pk for t in themes])
        self.fields["themes"].choices = [(t.pk, t.name) for t in themes]
        for name in ("target_groups", "themes"):
            self.fields[name].error_messages["invalid_choice"] = _(
                "Choose from the list; “%(value)s” is not one of the options."
            )
            self.fields[name].error_messages["invalid_list"] = _("Choose from the list.")
        self.fields["frequency"].error_messages["invalid_choice"] = _(
            "Choose how often you want to hear from us."
        )

    def clean(self):
        data = super().clean()
        if (
            "target_groups" in data
            and "themes" in data
            and not data["target_groups"]
            and not data["themes"]
        ):
            self.add_error("target_groups", _("Choose at least one target group or theme."))
        return data


class SubscribeForm(HoneypotMixin, PreferencesForm):
    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        help_text=_("We send a link to this address to confirm it is yours."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )

    field_order = ["email", "target_groups", "themes", "frequency", "website"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = _(
            "Fill in a valid e-mail address, like name@example.nl."
        )
