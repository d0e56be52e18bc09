"""Template helpers for in-company sessions (admin)."""

from django import template

from learning.services.requests import private_url as _private_url

register = template.Library()


@register.filter
def private_link(session):
    """The session's private registration link, or None (no extra query when the view
    selected ``private_link``)."""
    try:
        return session.private_link
    except session._meta.model.private_link.RelatedObjectDoesNotExist:
        return None


@register.filter
def private_url(link):
    return _private_url(link) if link else ""
