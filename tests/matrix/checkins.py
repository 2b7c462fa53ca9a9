"""Routes of the weekly check-in: partners of the couple only."""

from tests.matrix import Route, partners_only


def _code(world):
    return {"code": world.relationship.code}


def _week(world):
    from checkins.weeks import WEEK, current_week_start

    last_week = current_week_start(world.relationship) - WEEK
    return {"code": world.relationship.code, "week": last_week.isoformat()}


ROUTES = {
    "checkins:checkin": Route(partners_only(), kwargs=_code),
    "checkins:draft": Route(partners_only(405), kwargs=_code),
    "checkins:week": Route(partners_only(), kwargs=_week),
    "checkins:share": Route(partners_only(405), kwargs=_week),
    "checkins:history": Route(partners_only(), kwargs=_code),
    "checkins:rhythm": Route(partners_only(), kwargs=_code),
}


def setup_world(world):
    """Both partners checked in last week, so every page has content; this
    week is still open, so the check-in form shows."""
    from tests.checkins_helpers import make_history

    make_history(world.relationship, world.people.partner_a, world.people.partner_b, 1)
