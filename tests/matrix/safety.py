"""Routes of the private safety check: the person who took a check, and nobody
else, may open it. Partners, therapists, staff and outsiders get 404."""

from tests.matrix import LOGIN, Route, signed_in


def _own_check(world):
    return {"code": world.safety_check.code}


# Only partner_a took the check; every other role must not find it.
ONLY_THE_PERSON = {"*": 404, "anonymous": LOGIN, "partner_a": 200}

ROUTES = {
    "safety:check": Route(signed_in(200)),
    "safety:result": Route(ONLY_THE_PERSON, kwargs=_own_check),
    # POST only: a GET changes nothing, whoever asks.
    "safety:delete": Route(signed_in(405), kwargs=_own_check),
}


def setup_world(world):
    from trustwork.safety.services import take_safety_check

    answers = dict.fromkeys(("afraid", "hurt_or_threatened", "controlled"), "no")
    answers |= {"free_to_disagree": "yes", "safe_if_seen": "not_sure"}
    world.safety_check = take_safety_check(world.people.partner_a, answers)
