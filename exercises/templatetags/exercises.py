from django import template

from trustwork.couples.models import Weekday

register = template.Library()


@register.filter
def weekday_name(value):
    try:
        return Weekday(int(value)).label
    except (TypeError, ValueError):
        return ""
