"""Two-factor authentication before any admin page.

After the password, a member of staff who has set up two-factor authentication enters a
code first; one whose role requires it and who has not set it up yet is sent to set it up.
Only the login, logout, password reset and these two steps are open before that. The public
site is not affected.
"""

from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import reverse

from website.accounts import twofactor

OPEN_VIEWS = frozenset(
    {
        "wagtailadmin_login",
        "wagtailadmin_logout",
        "wagtailadmin_sprite",
        "wagtailadmin_javascript_catalog",
        "wagtailadmin_password_reset",
        "wagtailadmin_password_reset_done",
        "wagtailadmin_password_reset_confirm",
        "wagtailadmin_password_reset_complete",
        "two_factor_verify",
        "two_factor_enrol",
    }
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        if match is None or not _is_admin(request):
            return None
        if match.url_name in OPEN_VIEWS:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if twofactor.is_enrolled(user):
            return _redirect("two_factor_verify", request)
        if twofactor.required_for(user):
            return _redirect("two_factor_enrol", request)
        return None


def _is_admin(request) -> bool:
    return request.path_info.startswith(reverse("wagtailadmin_home"))


def _redirect(name: str, request) -> HttpResponseRedirect:
    target = request.get_full_path() if request.method == "GET" else reverse("wagtailadmin_home")
    return HttpResponseRedirect(f"{reverse(name)}?{urlencode({'next': target})}")
