from django import template

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
