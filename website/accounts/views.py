"""Two-factor screens in the admin (the user's own account area and the Beheerder's
overview), the public login page and the lockout page."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp.plugins.otp_totp.models import TOTPDevice

from website import audit
from website.accounts import twofactor
from website.accounts.forms import EnrolForm, LoginForm, PasswordConfirmForm, VerifyForm

USERS_PERMISSION = "auth.change_user"


def _next_url(request, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def _admin_home() -> str:
    return reverse("wagtailadmin_home")


@never_cache
def manage(request):
    """The user's own two-factor settings (account area)."""
    user = request.user
    return render(
        request,
        "website/admin/two_factor.html",
        {
            "header_title": _("Two-factor authentication"),
            "enrolled": twofactor.is_enrolled(user),
            "required": twofactor.required_for(user),
            "codes_left": twofactor.recovery_codes_left(user),
            "remove_form": PasswordConfirmForm(request=request),
            "codes_form": PasswordConfirmForm(request=request, prefix="codes"),
        },
    )


@never_cache
def enrol(request):
    """Scan the QR code (or type the key), enter a code from the app with the password:
    two-factor authentication is on, and the recovery codes are shown once."""
    user = request.user
    if twofactor.is_enrolled(user):
        return redirect("two_factor")
    device = twofactor.start_enrolment(user=user)
    form = EnrolForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        try:
            device, codes = twofactor.confirm_enrolment(user=user, code=form.cleaned_data["code"])
        except twofactor.TwoFactorError as exc:
            form.add_error("code", exc.message)
        else:
            otp_login(request, device)
            return render(
                request,
                "website/admin/two_factor_codes.html",
                {
                    "header_title": _("Your recovery codes"),
                    "codes": codes,
                    "next": _next_url(request, _admin_home()),
                    "just_enrolled": True,
                },
            )
    return render(
        request,
        "website/admin/two_factor_enrol.html",
        {
            "header_title": _("Set up two-factor authentication"),
            "form": form,
            "qr_svg": twofactor.qr_svg(device),
            "secret": twofactor.secret_text(device),
            "required": twofactor.required_for(user),
            "next": _next_url(request, ""),
        },
    )


@never_cache
def verify(request):
    """The second step after the password: a code from the app or a recovery code."""
    user = request.user
    target = _next_url(request, _admin_home())
    if user.is_verified() or not twofactor.is_enrolled(user):
        return redirect(target)
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = twofactor.verify(user=user, code=form.cleaned_data["code"])
        if device is None:
            form.add_error(
                "code",
                _(
                    "This code is not right or was already used. Wait for the next code "
                    "from your app and try again."
                ),
            )
        else:
            otp_login(request, device)
            if device.name == twofactor.RECOVERY_DEVICE_NAME:
                messages.warning(
                    request,
                    _(
                        "You signed in with a recovery code; %(count)d left. Make new ones "
                        "under Account, Two-factor authentication."
                    )
                    % {"count": twofactor.recovery_codes_left(user)},
                )
            return redirect(target)
    return render(
        request,
        "website/admin/two_factor_verify.html",
        {"header_title": _("Enter your code"), "form": form, "next": target},
    )


@require_POST
@never_cache
def recovery_codes(request):
    user = request.user
    if not twofactor.is_enrolled(user):
        return redirect("two_factor")
    form = PasswordConfirmForm(request.POST, request=request, prefix="codes")
    if not form.is_valid():
        messages.error(request, _("New recovery codes need your password."))
        return redirect("two_factor")
    return render(
        request,
        "website/admin/two_factor_codes.html",
        {
            "header_title": _("Your recovery codes"),
            "codes": twofactor.new_recovery_codes(user=user),
            "next": reverse("two_factor"),
        },
    )


@require_POST
def remove(request):
    user = request.user
    if twofactor.required_for(user):
        messages.error(request, _("Your role requires two-factor authentication."))
        return redirect("two_factor")
    form = PasswordConfirmForm(request.POST, request=request)
    if not form.is_valid():
        messages.error(request, _("Switching two-factor authentication off needs your password."))
        return redirect("two_factor")
    twofactor.remove(user=user)
    audit.record(user, audit.TWO_FACTOR_REMOVE)
    messages.success(request, _("Two-factor authentication is off for your account."))
    return redirect("two_factor")


def staff_overview(request):
    """For the Beheerder: who has set up two-factor authentication, who must."""
    if not request.user.has_perm(USERS_PERMISSION):
        raise PermissionDenied
    User = get_user_model()
    enrolled = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    required_groups = list(getattr(settings, "TWO_FACTOR_REQUIRED_GROUPS", []))
    required = User.objects.filter(pk=OuterRef("pk"), groups__name__in=required_groups)
    staff = (
        Q(is_superuser=True)
        | Q(groups__permissions__codename="access_admin")
        | Q(user_permissions__codename="access_admin")
    )
    rows = (
        User.objects.filter(pk__in=User.objects.filter(staff, is_active=True).values("pk"))
        .annotate(enrolled=Exists(enrolled), in_required_group=Exists(required))
        .order_by("last_name", "first_name", "username")
    )
    return render(
        request,
        "website/admin/two_factor_users.html",
        {
            "header_title": _("Two-factor authentication of staff"),
            "rows": rows,
            "superusers_required": settings.TWO_FACTOR_REQUIRED_FOR_SUPERUSERS,
        },
    )


@require_POST
def reset_user(request, user_id: int):
    """For the Beheerder: a colleague lost both phone and recovery codes. They set it up
    again at their next login (or may leave it off when their role does not require it)."""
    if not request.user.has_perm(USERS_PERMISSION):
        raise PermissionDenied
    target = get_object_or_404(get_user_model(), pk=user_id)
    if target.is_superuser and not request.user.is_superuser:
        raise PermissionDenied
    twofactor.remove(user=target)
    audit.record(target, audit.TWO_FACTOR_RESET)
    messages.success(
        request,
        _("Two-factor authentication of %(name)s was reset.")
        % {"name": target.get_full_name() or target.get_username()},
    )
    return redirect("two_factor_users")


# ----- public login --------------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    """``/inloggen/``: for partners (pages restricted to their group) and anyone else with
    an account. Throttled by django-axes like the admin login."""

    form_class = LoginForm
    template_name = "pages/website/login.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["crumbs"] = [(reverse("login"), _("Log in"))]
        return context


class LogoutView(auth_views.LogoutView):
    """POST only (Django's LogoutView): a link cannot log anyone out."""

    next_page = "/"


def locked_out(request, credentials, *args, **kwargs):
    """django-axes' answer to a locked-out login (HTTP 429), in Dutch."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(
        request,
        "pages/website/locked_out.html",
        {"minutes": minutes, "crumbs": [(reverse("login"), _("Log in"))]},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
