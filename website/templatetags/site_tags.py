import datetime as dt

from django import template
from django.utils import timezone

from website.hooks import site_links as site_links_by_name
from website.routing import breadcrumb_trail as trail
from website.routing import cached, content_stamp_for

register = template.Library()


@register.filter
def machine_time(value) -> str:
    """A ``<time datetime>`` value: ISO 8601 in local time, whole seconds (HTML allows at
    most three fraction digits; Django's ``date:'c'`` writes six)."""
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return ""


@register.filter
def is_current(href: str | None, path: str) -> bool:
    """True when ``path`` lies at or under the navigation link ``href``."""
    if not href or not href.startswith("/"):
        return False
    if href == "/":
        return path == "/"
    return path.startswith(href)


@register.simple_tag(takes_context=True)
def query_string(context, **changes):
    """The current query string with some parameters replaced or removed."""
    params = context["request"].GET.copy()
    for key, value in changes.items():
        if value in (None, ""):
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def breadcrumb_trail(context, page):
    """The page's ancestors as (url, title, depth), cached under the content stamp."""

    return trail(context["request"], page)


@register.simple_tag
def site_link(name: str):
    """A site-wide link by name (hook ``cter_site_links``), or None: ``{% site_link
    "subscribe" as link %}{% if link %}...{% endif %}``. No queries."""
    return site_links_by_name().get(name)


@register.simple_tag(name="site_links")
def all_site_links():
    """Every site-wide link, in hook order (the footer lists them)."""
    return list(site_links_by_name().values())


@register.simple_tag(takes_context=True)
def site_layout(context) -> dict:
    """The layout's links with their pages' URLs and titles resolved: the main
    navigation, the footer links and the two statements. From the shared cache under the
    content stamp (a change to the settings or to a linked page shows at once), once per
    request: the settings' link lists otherwise load their pages on every rendered page."""
    from website.models import SiteSettings  # noqa: PLC0415 (models import this library's app)

    request = context.get("request")
    found = getattr(request, "_cter_site_layout", None)
    if found is not None:
        return found

    def load():
        settings = SiteSettings.load(request_or_site=request)

        def links(stream):
            return [{"href": item.value.href, "text": str(item.value.text)} for item in stream]

        def url(page, default):
            return (page.get_url(request) if page else None) or default

        return {
            "main_navigation": links(settings.main_navigation),
            "footer_links": links(settings.footer_links),
            "privacy_url": url(settings.privacy_page, "/privacy/"),
            "accessibility_url": url(settings.accessibility_page, "/toegankelijkheid/"),
        }

    if request is None:
        return load()
    found = cached(f"site-layout:{content_stamp_for(request)}:{request.get_host().lower()}", load)
    request._cter_site_layout = found
    return found
