from django import template

from website.hooks import site_links as site_links_by_name
from website.routing import breadcrumb_trail as trail

register = template.Library()


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
