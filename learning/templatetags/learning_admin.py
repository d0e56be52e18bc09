from django import template
from django.utils import timezone
from django.utils.translation import gettext

from learning.models import SessionStatus

register = template.Library()


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def one_decimal(value):
    return "\u2013" if value is None else f"{value:.1f}".replace(".", ",")


@register.filter
def percent(value):
    return "\u2013" if value is None else f"{value}%"


@register.filter
def session_status(session):
    """Status as coordinators read it: a planned session whose end has passed is
    "Past" (computed, not stored); cancelled stays cancelled."""
    if session.status == SessionStatus.PLANNED and session.ends_at <= timezone.now():
        return gettext("Past")
    return session.get_status_display()
