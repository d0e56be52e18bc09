import datetime as dt

from django import template
from django.utils import timezone

from website.hooks import site_links as site_links_by_name
from website.routing import breadcrumb_trail as trail

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
