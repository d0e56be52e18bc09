from django import template

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
