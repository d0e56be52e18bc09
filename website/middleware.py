"""Privacy and security headers: one place for every Content-Security-Policy; admin
filters kept in range.

No third-party script, font, frame or analytics: the policies say so to the browser. The
public site allows scripts and styles from our own origin only. The Wagtail admin gets its
own policy (see ADMIN_CSP for what needs 'unsafe-inline' and why).
"""

import re
from functools import wraps

from django.conf import settings

PUBLIC_CSP = "; ".join(
    [
        "default-src 'self'",
        "img-src 'self' data:",
        "media-src 'self'",
        "style-src 'self'",
        "script-src 'self'",
        "font-src 'self'",
        "frame-src https://www.youtube-nocookie.com",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ]
)
# The Wagtail admin (issue 14). Nothing from other origins: scripts, styles, images, fonts,
# frames and fetches come from the site itself (connect-src, img-src and form-action also keep
# an injected script from sending data to another host through those channels).
_ADMIN_DIRECTIVES = [
    "default-src 'self'",
    # image previews before upload, Wagtail's icons and focal-point tool
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    "font-src 'self' data:",
    "connect-src 'self'",
    # page previews open in an iframe of the admin itself; embedded videos in previews
    "frame-src 'self' https://www.youtube-nocookie.com",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
]
# Wagtail's own screens need 'unsafe-inline' (Wagtail 7.4, seen in the browser tests):
# - scripts: the page editor starts its InlinePanels, MultipleChooserPanels and date and time
#   pickers with small inline <script> blocks whose content differs per page (so no hash or
#   nonce can list them); listings and reports with date filters (pages, users, site
#   history, aging pages), generic settings and promoted search results do the same;
# - styles: the page editor (Draftail, StreamField, the minimap) sets style="" attributes.
# Everything else still holds: no other origin, no eval, no plugins.
ADMIN_CSP = "; ".join(
    [*_ADMIN_DIRECTIVES, "script-src 'self' 'unsafe-inline'", "style-src 'self' 'unsafe-inline'"]
)
# Our own admin screens (sessions and participants, exports, reports, two-factor, personal
# data) have no inline script or style: they get the strict policy (``strict_csp``).
ADMIN_STRICT_CSP = "; ".join([*_ADMIN_DIRECTIVES, "script-src 'self'", "style-src 'self'"])
# CSP frame-ancestors says what X-Frame-Options says (older browsers read only the latter).
FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
ADMIN_PREFIXES = ("/admin/",)


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path.startswith(ADMIN_PREFIXES):
            response.headers.setdefault("Content-Security-Policy", ADMIN_CSP)
        else:
            framing = self.frame_options(response)
            policy = PUBLIC_CSP
            if framing:  # a view exempt from X-Frame-Options is exempt here too
                ancestors = FRAME_ANCESTORS.get(framing, "'none'")
                policy += f"; frame-ancestors {ancestors}"
            response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response

    @staticmethod
    def frame_options(response) -> str:
        """Set X-Frame-Options here (as Django's middleware would) so the CSP can agree."""
        if getattr(response, "xframe_options_exempt", False):
            return ""
        if "X-Frame-Options" not in response:
            response["X-Frame-Options"] = getattr(settings, "X_FRAME_OPTIONS", "DENY").upper()
        return response["X-Frame-Options"].upper()


OVERLONG_NUMBER = re.compile(r"^\s*[+-]?\d{19,}\s*$")


class AdminFilterIdsMiddleware:
    """Wagtail's own admin filters (page owner, user group, ...) look up any number a
    query string holds; beyond 64 bits SQLite raises OverflowError (a 500). Such values
    cannot be ids: they are dropped, so the filter is ignored. Our own views bound ids
    themselves (``website.converters``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path.startswith(ADMIN_PREFIXES) and request.GET:
            values = request.GET.copy()
            overlong = False
            for key in list(values):
                kept = [v for v in values.getlist(key) if not OVERLONG_NUMBER.match(v)]
                if len(kept) != len(values.getlist(key)):
                    overlong = True
                    if kept:
                        values.setlist(key, kept)
                    else:
                        del values[key]
            if overlong:
                values._mutable = False
                request.GET = values
        return self.get_response(request)


def strict_csp(view):
    """For admin views without inline scripts or styles (wrap an app's admin URL patterns
    with ``wagtail.utils.urlpatterns.decorate_urlpatterns(patterns, strict_csp)``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = ADMIN_STRICT_CSP
        return response

    return wrapped
