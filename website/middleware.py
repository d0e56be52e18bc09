"""Privacy and security headers: one place for every Content-Security-Policy.

No third-party script, font, frame or analytics: the policies say so to the browser. The
public site allows scripts and styles from our own origin only. The Wagtail admin gets its
own policy (see ADMIN_CSP for what needs 'unsafe-inline' and why).
"""

from functools import wraps

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
        "frame-ancestors 'self'",
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
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), interest-cohort=()"
ADMIN_PREFIXES = ("/admin/",)


def content_security_policy(path: str) -> str:
    return ADMIN_CSP if path.startswith(ADMIN_PREFIXES) else PUBLIC_CSP


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault(
            "Content-Security-Policy", content_security_policy(request.path)
        )
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


def strict_csp(view):
    """For admin views without inline scripts or styles (wrap an app's admin URL patterns
    with ``wagtail.utils.urlpatterns.decorate_urlpatterns(patterns, strict_csp)``)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.headers["Content-Security-Policy"] = ADMIN_STRICT_CSP
        return response

    return wrapped
