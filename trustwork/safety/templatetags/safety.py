from django import template
from django.conf import settings

register = template.Library()

# A busy, ordinary site: arriving there tells an onlooker nothing.
DEFAULT_QUICK_EXIT_URL = "https://www.bbc.co.uk/weather"


@register.simple_tag
def quick_exit_url():
    return getattr(settings, "QUICK_EXIT_URL", DEFAULT_QUICK_EXIT_URL)
