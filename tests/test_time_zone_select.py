"""The time zone select (trustwork/time_zones.py) renders what Django's own
Select would, from one template, and is drawn once per chosen zone."""

import re

from django import forms
from django.core.cache import cache

from trustwork.accounts.forms import ProfileFields
from trustwork.time_zones import CHOICES, TimeZoneSelect


def _parsed(html):
    select = re.search(r"<select([^>]*)>", html).group(1)
    attrs = dict(re.findall(r'(\w[\w-]*)(?:="([^"]*)")?', select))
    options = re.findall(r'<option value="([^"]*)"([^>]*)>([^<]*)</option>', html)
    return attrs, [(value, "selected" in rest, label) for value, rest, label in options]


def _django_select(name, value, attrs):
    return forms.Select(choices=CHOICES).render(name, value, attrs)


def test_it_matches_djangos_select_for_a_chosen_zone_none_and_an_unknown_one():
    attrs = {"id": "id_time_zone", "required": True, "aria-describedby": "id_time_zone_helptext"}
    for value in ("Europe/London", "America/Argentina/Buenos_Aires", None, "Mars/Olympus"):
        ours = TimeZoneSelect().render("time_zone", value, attrs)
        assert _parsed(ours) == _parsed(_django_select("time_zone", value, attrs))
    attrs, options = _parsed(TimeZoneSelect().render("time_zone", "Australia/Lord_Howe", {}))
    assert [value for value, selected, _ in options if selected] == ["Australia/Lord_Howe"]
    assert ("Australia/Lord_Howe", True, "Australia/Lord Howe") in options
    assert len(options) == len(CHOICES) > 400


def test_a_bound_field_with_an_error_is_marked_for_screen_readers():
    form = ProfileFields(data={"display_name": "Alex", "time_zone": "Mars/Olympus"})
    assert not form.is_valid()
    attrs, options = _parsed(str(form["time_zone"]))
    assert attrs["name"] == "time_zone" and attrs["id"] == "id_time_zone"
    assert attrs["aria-invalid"] == "true"
    assert "id_time_zone_error" in attrs["aria-describedby"]
    assert not any(selected for _, selected, _ in options)  # the unknown value is not offered


def test_it_keeps_each_drawing_under_a_key_of_what_it_was_drawn_from(monkeypatch):
    drawn = []
    original = forms.Select.render

    def counting_render(self, *args, **kwargs):
        drawn.append(args[1])
        return original(self, *args, **kwargs)

    monkeypatch.setattr(forms.Select, "render", counting_render)
    cache.clear()
    london = TimeZoneSelect().render("time_zone", "Europe/London", {"id": "id_time_zone"})
    again = TimeZoneSelect().render("time_zone", "Europe/London", {"id": "id_time_zone"})
    tokyo = TimeZoneSelect().render("time_zone", "Asia/Tokyo", {"id": "id_time_zone"})
    invalid = TimeZoneSelect().render("time_zone", "Europe/London", {"id": "id_time_zone", "aria-invalid": "true"})
    assert drawn == ["Europe/London", "Asia/Tokyo", "Europe/London"]
    assert london == again != tokyo
    assert 'aria-invalid="true"' in invalid and 'aria-invalid="true"' not in london
