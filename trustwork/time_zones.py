"""The time zone a person or a couple chooses: the form field and its select.

The model fields are django-timezone-field's `TimeZoneField` (a ZoneInfo in
Python, its name in the database). Forms offer the zones people recognise:
the "Area/City" names of the tz database, plus UTC.

The select lists about 600 zones. It is drawn by one template
(templates/widgets/time_zone_select.html) from a flat list of names, and the
HTML is kept in Django's cache under a key made of everything it is drawn
from (the field's name, the chosen zone, the attributes, the list of zones),
so a page draws it once for everyone who chose the same zone.
"""

import hashlib
import zoneinfo

from django import forms
from django.core.cache import cache
from timezone_field import TimeZoneFormField

CHOICES: list[tuple[str, str]] = [
    ("UTC", "UTC"),
    *(
        (name, name.replace("_", " "))
        for name in sorted(zoneinfo.available_timezones())
        if "/" in name and not name.startswith("Etc/")
    ),
]
# Which list of zones a kept select was drawn from: a new tz database makes new keys.
_CHOICES_DIGEST = hashlib.sha256(repr(CHOICES).encode()).hexdigest()[:16]
RENDERED_FOR = 24 * 3600  # seconds a drawn select is kept


class TimeZoneSelect(forms.Select):
    template_name = "widgets/time_zone_select.html"

    def get_context(self, name, value, attrs):
        # The template needs the zones and which one is chosen; Django's
        # optgroups would build an attribute dict for each of ~600 options.
        context = forms.Widget.get_context(self, name, value, attrs)
        context["widget"]["chosen"] = set(self.format_value(value))
        context["widget"]["zones"] = CHOICES
        return context

    def render(self, name, value, attrs=None, renderer=None):
        chosen = ",".join(self.format_value(value))
        final_attrs = sorted(self.build_attrs(self.attrs, attrs).items())
        key = "tz-select:" + hashlib.sha256(repr((_CHOICES_DIGEST, name, chosen, final_attrs)).encode()).hexdigest()
        html = cache.get(key)
        if html is None:
            html = super().render(name, value, attrs, renderer)
            cache.set(key, html, RENDERED_FOR)
        return html


class TimeZoneField(TimeZoneFormField):
    """A zone from CHOICES, cleaned to a ZoneInfo."""

    widget = TimeZoneSelect

    def __init__(self, **kwargs):
        kwargs.setdefault("choices", CHOICES)
        super().__init__(**kwargs)
