"""Routes of therapist review, and the four therapist roles of every route.

therapist_active has an active link to the couple of the matrix; therapist_pending
has one that only one partner agreed to; therapist_revoked had one until a
partner ended it; therapist_other is linked to another couple. All four have a
therapist profile and TOTP switched on.
"""

from tests.matrix import LOGIN, REDIRECT, THERAPISTS, Route, everyone, partners_only, signed_in


def _couple(world):
    return {"code": world.relationship.code}


def _link(world):
    return {"code": world.care_link.code}


def _therapist_page(active_status=200):
    """A couple's page for their therapist: only an active link gets in."""
    expect = {role: 404 for role in THERAPISTS} | {"therapist_active": active_status}
    return {"*": 404, "anonymous": LOGIN} | expect


ROUTES = {
    "care:dashboard": Route(signed_in(REDIRECT) | {role: 200 for role in THERAPISTS}),
    "care:profile": Route(signed_in(200)),
    "care:invitation": Route(everyone(200), kwargs=_link),
    "care:review": Route(_therapist_page(), kwargs=_couple),
    "care:note": Route(_therapist_page(405), kwargs=_couple),
    "care:suggest": Route(_therapist_page(405), kwargs=_couple),
    "care:couple": Route(partners_only(), kwargs=_couple),
    "care:invite": Route(partners_only(405), kwargs=_couple),
    "care:access_log": Route(partners_only(), kwargs=_couple),
    "care:consent": Route(partners_only(), kwargs=_link),
    "care:revoke": Route(partners_only(), kwargs=_link),
}


def setup_world(world):
    from tests.care_helpers import link, make_therapist
    from tests.factories import make_couple
    from trustwork.care.access import log_access

    people = world.people
    relationship = world.relationship
    people.therapist_active = make_therapist(display_name="Active", email="active-therapist@example.com")
    people.therapist_pending = make_therapist(display_name="Pending", email="pending-therapist@example.com")
    people.therapist_revoked = make_therapist(display_name="Revoked", email="revoked-therapist@example.com")
    people.therapist_other = make_therapist(display_name="Other", email="other-therapist@example.com")
    world.care_link = link(relationship, people.therapist_active)
    link(relationship, people.therapist_pending, consenting=[people.partner_a])
    link(relationship, people.therapist_revoked, revoked=True)
    link(make_couple(), people.therapist_other)
    # One row in the log, so its admin pages can be opened.
    log_access(people.therapist_active, relationship, "Couple page", succeeded=True)
