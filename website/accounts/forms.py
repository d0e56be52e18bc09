from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class CodeField(forms.CharField):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Code"))
        kwargs.setdefault("max_length", 20)
        super().__init__(**kwargs)
        self.widget.attrs.update(
            {"autocomplete": "one-time-code", "autocapitalize": "off", "spellcheck": "false"}
        )


class VerifyForm(forms.Form):
    code = CodeField(
        help_text=_("The 6-digit code from your authenticator app, or one of your recovery codes.")
    )


class PasswordConfirmForm(forms.Form):
    """Asks for the password again before a change to the account's security. Checked
    through ``authenticate``, so wrong guesses count towards the login throttling."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args, request, **kwargs):
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self):
        password = self.cleaned_data["password"]
        user = self.request.user
        checked = authenticate(
            self.request, **{user.USERNAME_FIELD: user.get_username(), "password": password}
        )
        if checked is None or checked.pk != user.pk:
            raise forms.ValidationError(_("This password is not right."))
        return password


class EnrolForm(PasswordConfirmForm):
    code = CodeField(help_text=_("The 6-digit code your authenticator app shows now."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].help_text = _("To confirm that it is you setting this up.")


class LoginForm(AuthenticationForm):
    """The public login (partners, and staff who open a page for signed-in users)."""

    error_messages = {
        "invalid_login": _(
            "This combination of username and password is not known. Both are case-sensitive."
        ),
        "inactive": _("This account is not active."),
    }
