"""Privacy and security headers for the public site, and admin filters kept in range.

No third-party script, font, frame or analytics: the Content-Security-Policy
says so to the browser. The admin keeps Wagtail's own needs.
"""

import re

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
# CSP frame-ancestors says what X-Frame-Options says (older browsers read only the latter).
FRAME_ANCESTORS = {"DENY": "'none'", "SAMEORIGIN": "'self'"}
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
ADMIN_PREFIXES = ("/admin/", "/django-admin/")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(ADMIN_PREFIXES):
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
