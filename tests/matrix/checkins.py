"""Routes of the weekly check-in: partners of the couple only."""

from tests.matrix import LOGIN, REDIRECT, Route, partners_only


def _code(world):
    return {"code": world.relationship.code}


def _an_earlier_page(world):
    from trustwork.rhythm import WEEK

    return {
        "code": world.relationship.code,
        "before": (world.relationship.rhythm.current_week_start() - WEEK * 12).isoformat(),
    }


def _this_week(world):
    return {"code": world.relationship.code, "week": world.relationship.rhythm.current_week_start().isoformat()}


ROUTES = {
    # Sam (partner_b) has sent this week's check-in, so the form sends them on to the week.
    "checkins:checkin": Route({"*": 404, "anonymous": LOGIN, "partner_a": 200, "partner_b": REDIRECT}, kwargs=_code),
    "checkins:draft": Route(partners_only(405), kwargs=_code),
    "checkins:week": Route(partners_only(), kwargs=_this_week),
    "checkins:share": Route(partners_only(405), kwargs=_this_week),
    "checkins:history": Route(partners_only(), kwargs=_code),
    "checkins:history_before": Route(partners_only(), kwargs=_an_earlier_page),
    "checkins:rhythm": Route(partners_only(), kwargs=_code),
}


def setup_world(world):
    """Sam has checked in this week and Alex not yet, so each page has content
    and nothing is revealed; earlier weeks stay free for other apps' data."""
    from tests.checkins_helpers import submit_for

    submit_for(world.people.partner_b, world.relationship)
