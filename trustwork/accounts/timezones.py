import zoneinfo
from functools import cache

from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import mark_safe


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    names = sorted(name for name in zoneinfo.available_timezones() if "/" in name and not name.startswith("Etc/"))
    return [("UTC", "UTC"), *((name, name.replace("_", " ")) for name in names)]


@cache
def _time_zone_names() -> frozenset[str]:
    return frozenset(name for name, _ in time_zone_choices())


def validate_time_zone(value: str) -> None:
    if value not in _time_zone_names():
        raise ValidationError("“%(value)s” is not a time zone we know.", params={"value": value})


@cache
def _options() -> dict[str, str]:
    """Each zone's <option>, escaped once per process."""
    return {name: format_html('<option value="{}">{}</option>', name, label) for name, label in time_zone_choices()}


class TimeZoneSelect(forms.Select):
    """The select of every time zone (about 600). Django's Select renders one
    template per option, which made each page with this field cost 90 ms or
    more; here the options are built once per process and only the chosen
    one is marked on each render. The attributes (id, required,
    aria-describedby, aria-invalid) are the field's, as with Select."""

    def render(self, name, value, attrs=None, renderer=None):
        chosen = set(self.format_value(value))
        options = _options()
        html = (
            format_html('<option value="{}" selected>{}</option>', value_, label)
            if value_ in chosen
            else options[value_]
            for value_, label in time_zone_choices()
        )
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        body = "\n".join(html)
        return mark_safe(f"<select{flatatt(final_attrs)}>\n{body}\n</select>")  # noqa: S308 (every part escaped above)


class TimeZoneField(forms.ChoiceField):
    widget = TimeZoneSelect

    def __init__(self, **kwargs):
        super().__init__(choices=time_zone_choices, **kwargs)
