"""A couple's check-in links are reversed once per process (checkins/links.py)
and still point where reverse() would, under a script prefix too."""

import datetime

from django.urls import reverse, set_script_prefix

from checkins.links import couple_links
from trustwork.links import link


class Couple:
    code = "6f1c1b9e-1f54-4c1e-9a55-3f1d1f0b2a10"


def test_each_link_is_the_reversed_url():
    links = couple_links(Couple)
    for page in ("checkin", "draft", "history", "rhythm"):
        assert links[page] == reverse(f"checkins:{page}", args=[Couple.code])
    week = datetime.date(2026, 11, 22)
    assert link("checkins:week", Couple.code, week.isoformat()) == reverse(
        "checkins:week", args=[Couple.code, "2026-11-22"]
    )


def test_links_follow_the_script_prefix():
    try:
        set_script_prefix("/trustwork/")
        assert couple_links(Couple)["history"] == f"/trustwork/checkins/{Couple.code}/history/"
    finally:
        set_script_prefix("/")
    assert couple_links(Couple)["history"] == f"/checkins/{Couple.code}/history/"
