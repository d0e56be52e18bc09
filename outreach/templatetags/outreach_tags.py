from django import template
from django.utils.dates import MONTHS

from outreach.choices import PlanStatus

register = template.Library()


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)


@register.filter
def month_name(value):
    try:
        return MONTHS[int(value)]
    except (KeyError, TypeError, ValueError):
        return ""


@register.filter
def plan_status(value):
    try:
        return PlanStatus(value).label
    except ValueError:
        return value
