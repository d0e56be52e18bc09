from __future__ import annotations

import datetime as dt

from django import forms
from django.core.validators import MaxValueValidator
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm

from learning.attendance_csv import MAX_BYTES
from learning.models import (
    EventType,
    Format,
    Kind,
    Level,
    MunicipalityScope,
    RequestScope,
    TrainingRequest,
)
from learning.selectors import schedule_changed, sessions_with_registrants
from website import reference
from website.forms import AccessibleFormMixin, HoneypotMixin
from website.models import Municipality, Region, TargetGroup

ANY = [("", _("All"))]
NOTIFY_SEND = "send"
NOTIFY_SKIP = "skip"
NOTIFY_CHOICES = [
    (NOTIFY_SEND, _("Send the updated invitation to everyone registered")),
    (NOTIFY_SKIP, _("Save without a message to the participants")),
]
OTHER_MUNICIPALITY = "other"
OUTSIDE = "outside"


class CatalogueFilterForm(AccessibleFormMixin, forms.Form):
    level = forms.ChoiceField(label=_("Level"), required=False, choices=ANY + Level.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + Kind.choices)
    format = forms.ChoiceField(label=_("Format"), required=False, choices=ANY + Format.choices)
    target_group = forms.ChoiceField(label=_("Target group"), required=False)
    theme = forms.ChoiceField(label=_("Theme"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    month = forms.ChoiceField(label=_("Month"), required=False)
    free = forms.BooleanField(label=_("Only with places left"), required=False)

    def __init__(self, *args, choices: dict, only_kind: str = "", now=None, **kwargs):
        """``choices``: {field name: [(value, label), ...]} for the target group, theme
        and region filters, from the caller (``selectors.filter_choices()``)."""
        super().__init__(*args, **kwargs)
        if only_kind:
            del self.fields["kind"]
        if only_kind == Kind.NETWORK_EVENT:
            del self.fields["level"]  # events have no level
        for name, options in choices.items():
            self.fields[name].choices = ANY + list(options)
        now = timezone.localtime(now or timezone.now())
        months = []
        year, month = now.year, now.month
        for _i in range(12):
            label = date_format(dt.date(year, month, 1), "F Y")
            months.append((f"{year}-{month:02d}", label))
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        self.fields["month"].choices = ANY + months

    def cleaned_filters(self) -> dict:
        if not self.is_bound or not self.is_valid():
            return {}
        data = {k: v for k, v in self.cleaned_data.items() if v}
        if "month" in data:
            year, month = data["month"].split("-")
            data["month"] = (int(year), int(month))
        return data


class RegistrationForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    first_name = forms.CharField(
        label=_("First name"),
        error_messages={"required": _("Fill in your first name.")},
        max_length=100,
        widget=forms.TextInput({"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Last name"),
        error_messages={"required": _("Fill in your last name.")},
        max_length=100,
        widget=forms.TextInput({"autocomplete": "family-name"}),
    )
    email = forms.EmailField(
        label=_("E-mail address"),
        error_messages={
            "required": _("Fill in your e-mail address."),
            "invalid": _("Fill in an e-mail address like name@example.nl."),
        },
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    organisation = forms.CharField(
        label=_("Organisation"),
        error_messages={"required": _("Fill in your organisation.")},
        max_length=200,
        widget=forms.TextInput(
            {"list": "organisation-suggestions", "autocomplete": "organization"}
        ),
    )
    function = forms.CharField(
        label=_("Function"),
        error_messages={"required": _("Fill in your function.")},
        max_length=150,
        widget=forms.TextInput({"autocomplete": "organization-title"}),
    )
    municipality = forms.ChoiceField(
        label=_("Municipality where you work"),
        error_messages={"required": _("Choose the municipality where you work.")},
    )
    # The target groups from the cached reference data (``__init__``), not a queryset:
    # no query to show or check the choice; ``cleaned_data`` holds the TargetGroup.
    target_group = forms.ChoiceField(
        label=_("Target group"),
        error_messages={
            "required": _("Choose your target group."),
            "invalid_choice": _("Choose your target group."),
        },
    )
    needs = forms.CharField(
        label=_("Accessibility or dietary needs"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 3}),
    )
    consent = forms.BooleanField(
        label=_("I agree to the privacy statement"),
        error_messages={"required": _("Please agree to the privacy statement to register.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.municipalities = {str(m.pk): m for m in reference.municipalities()}
        self.fields["municipality"].choices = [
            ("", _("Choose your municipality")),
            *[(pk, m.name) for pk, m in self.municipalities.items()],
            (OTHER_MUNICIPALITY, MunicipalityScope.OTHER.label),
            (OUTSIDE, MunicipalityScope.OUTSIDE.label),
        ]
        self.target_groups = {str(g.pk): g for g in reference.target_groups()}
        self.fields["target_group"].choices = [
            ("", _("Choose your target group")),
            *[(pk, g.name) for pk, g in self.target_groups.items()],
        ]

    def clean_target_group(self) -> TargetGroup:
        return self.target_groups[self.cleaned_data["target_group"]]

    def municipality_values(self) -> tuple:
        value = self.cleaned_data["municipality"]
        if value in (OTHER_MUNICIPALITY, OUTSIDE):
            return None, value
        return self.municipalities[value], ""


class RequestFormBase(AccessibleFormMixin, HoneypotMixin, forms.ModelForm):
    municipality = forms.ModelChoiceField(
        label=_("Municipality"),
        queryset=Municipality.objects.all(),
        required=False,
        empty_label=_("Choose a municipality"),
    )

    def cleaned_data_for_model(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


MAX_GROUP_SIZE = 1000


class InCompanyRequestForm(RequestFormBase):
    class Meta:
        model = TrainingRequest
        fields = [
            "organisation",
            "municipality",
            "contact_name",
            "contact_email",
            "contact_phone",
            "wanted",
            "preferred_period",
            "group_size",
            "remarks",
        ]
        labels = {"wanted": _("Wanted training")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].required = True
        self.fields["group_size"].min_value = 1
        self.fields["group_size"].validators.append(MaxValueValidator(MAX_GROUP_SIZE))


class PressureCookerRequestForm(RequestFormBase):
    """A pressure cooker for the whole unit, one district (region) or one municipality."""

    scope = forms.ChoiceField(
        label=_("The pressure cooker is for"),
        choices=RequestScope.choices,
        initial=RequestScope.MUNICIPALITY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what the pressure cooker is for."),
            "invalid_choice": _("Choose what the pressure cooker is for."),
        },
    )
    region = forms.ModelChoiceField(
        label=_("District (region)"),
        queryset=Region.objects.all(),
        required=False,
        empty_label=_("Choose a district"),
        help_text=_("Only when the pressure cooker is for a district."),
        error_messages={"invalid_choice": _("Choose one of the districts.")},
    )

    class Meta:
        model = TrainingRequest
        fields = [
            "scope",
            "region",
            "municipality",
            "contact_name",
            "contact_email",
            "contact_phone",
            "wanted",
            "preferred_period",
            "remarks",
        ]
        labels = {"wanted": _("Topic (for example local unrest or polarisation)")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].help_text = _(
            "Only when the pressure cooker is for one municipality."
        )
        self.fields["municipality"].error_messages["invalid_choice"] = _(
            "Choose one of the municipalities."
        )

    def clean(self):
        data = super().clean()
        scope = data.get("scope")
        if scope == RequestScope.REGION and not data.get("region"):
            self.add_error("region", _("Choose the district the pressure cooker is for."))
        if scope == RequestScope.MUNICIPALITY and not data.get("municipality"):
            self.add_error("municipality", _("Choose the municipality the pressure cooker is for."))
        # Keep only what the chosen scope asks for.
        if scope != RequestScope.REGION:
            data["region"] = None
        if scope != RequestScope.MUNICIPALITY:
            data["municipality"] = None
        return data


# ----- after the session (issue 4) ---------------------------------------------------------

SCORES = [(str(n), str(n)) for n in range(1, 6)]


class SurveyForm(AccessibleFormMixin, forms.Form):
    overall = forms.TypedChoiceField(
        label=_("How do you rate the training overall?"),
        help_text=_("1 = poor, 5 = excellent"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    usefulness = forms.TypedChoiceField(
        label=_("How useful is it for your daily practice?"),
        help_text=_("1 = not useful, 5 = very useful"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a score from 1 to 5.")},
    )
    recommend = forms.TypedChoiceField(
        label=_("Would you recommend this training to a colleague?"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose yes or no.")},
    )
    improvement = forms.CharField(
        label=_("What could be better?"),
        required=False,
        max_length=2000,
        help_text=_("At most 2000 characters. Please do not name other participants."),
        widget=forms.Textarea({"rows": 5}),
    )


class SignInRequestForm(AccessibleFormMixin, HoneypotMixin, forms.Form):
    email = forms.EmailField(
        label=_("E-mail address"),
        help_text=_("The address you registered with."),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )


class AttendanceImportForm(forms.Form):
    file = forms.FileField(
        label=_("Attendance export (CSV)"),
        help_text=_(
            "The attendance list of the webinar tool, saved as CSV. Semicolons or commas, "
            "with a column for the e-mail address; other columns are ignored."
        ),
        error_messages={
            "required": _("Choose a CSV file."),
            "empty": _("The file is empty."),
            "invalid": _("Choose a CSV file."),
        },
    )
    absent_if_missing = forms.BooleanField(
        label=_("Mark confirmed registrations that are not in the file as absent"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]

        if upload.size > MAX_BYTES:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return upload


class TrainingPageForm(WagtailAdminPageForm):
    """The training editor: when a published change moves a session people are registered
    for (date, time, place or join link), the editor chooses whether they get the updated
    invitation (the change notification with a higher calendar SEQUENCE) before saving.
    The choice is sent by `learning.wagtail_hooks` after publishing."""

    notify_changed_sessions = forms.ChoiceField(
        label=_("Changed sessions with registrations"),
        choices=NOTIFY_CHOICES,
        widget=forms.RadioSelect,
        required=False,
        help_text=_(
            "Only needed when you change the date, time or place of a session people are "
            "registered for."
        ),
    )

    def clean(self):
        cleaned = super().clean()
        self.refuse_workshops_on_a_track(cleaned)
        if "action-publish" not in self.data or not self.instance.pk:
            return cleaned  # a draft changes nothing people have in their calendar
        changed = self.changed_sessions_with_registrants()
        if changed and not cleaned.get("notify_changed_sessions"):
            names = "; ".join(
                ngettext(
                    "%(session)s (%(count)d registration)",
                    "%(session)s (%(count)d registrations)",
                    row["active"],
                )
                % {
                    "session": date_format(timezone.localtime(row["starts_at"]), "j F Y H:i"),
                    "count": row["active"],
                }
                for row in changed
            )
            self.add_error(
                "notify_changed_sessions",
                _(
                    "You changed the date, time or place of a session people are registered "
                    "for: %(sessions)s. Choose whether they get the updated invitation."
                )
                % {"sessions": names},
            )
        return cleaned

    def refuse_workshops_on_a_track(self, cleaned):
        """A connection track registers people for all its meetings at once, without a
        choice of workshops: a track with workshop rounds would take places nobody chose."""
        formset = self.formsets.get("workshops")
        if formset is None or cleaned.get("event_type") != EventType.CONNECTION_TRACK:
            return
        if not formset.is_valid():
            return  # (the formset's own errors show)
        kept = [
            form
            for form in formset.forms
            if form.has_changed() or form.instance.pk
            if not (getattr(form, "cleaned_data", None) or {}).get("DELETE")
        ]
        if kept:
            self.add_error(
                "event_type",
                _(
                    "A connection track has no workshop rounds: people register for all its "
                    "meetings at once. Remove the workshops or choose another kind of event."
                ),
            )

    def changed_sessions_with_registrants(self) -> list[dict]:
        formset = self.formsets.get("sessions")
        if formset is None or not formset.is_valid():
            return []  # (the formset's own errors show; its forms are cleaned only here)
        stored = sessions_with_registrants(page_id=self.instance.pk)
        changed = []
        for form in formset.forms:
            pk = form.instance.pk
            data = getattr(form, "cleaned_data", None)
            if pk not in stored or not data or data.get("DELETE"):
                continue
            if schedule_changed(stored[pk], data):
                changed.append(stored[pk])
        return changed


class EventRegistrationForm(RegistrationForm):
    """Registration for a meeting of a network event: the person's details plus one
    workshop per round (``rounds``: [(round, [workshop, ...]), ...] from the caller)."""

    def __init__(self, *args, rounds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.round_fields = []
        for number, workshops in rounds:
            name = f"round_{number}"
            self.fields[name] = forms.TypedChoiceField(
                label=_("Workshop in round %(round)d") % {"round": number},
                choices=[(w.pk, _workshop_label(w)) for w in workshops],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Choose one workshop for round %(round)d.") % {"round": number},
                    "invalid_choice": _("Choose one of the workshops listed for round %(round)d.")
                    % {"round": number},
                },
            )
            self.round_fields.append((number, name))
        # The workshop choices directly after the personal details, before consent.
        order = [n for n in self.fields if n not in ("needs", "consent", "website")]
        self.order_fields([*order, "needs", "consent", "website"])

    def chosen_workshops(self) -> dict[int, int]:
        return {number: self.cleaned_data[name] for number, name in self.round_fields}


def _workshop_label(workshop) -> str:
    details = ", ".join(x for x in (workshop.host, workshop.room) if x)
    label = f"{workshop.title} ({details})" if details else workshop.title
    if workshop.places_left <= 0:
        return str(_("%(label)s: full") % {"label": label})
    return label


class TrackRegistrationForm(RegistrationForm):
    """Registration for every open meeting of a connection track in one region
    (``regions``: [(region id, label), ...] from the caller)."""

    region = forms.TypedChoiceField(
        label=_("Region"),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose the region whose meetings you want to attend."),
            "invalid_choice": _("Choose one of the regions listed."),
        },
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = list(regions)
        order = ["region", *[n for n in self.fields if n != "region"]]
        self.order_fields(order)
