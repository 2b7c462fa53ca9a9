"""Routes of the exercises app: one couple's pages; outsiders get 404."""

from tests.matrix import REDIRECT, Route, partners_only, signed_in


def _code(world):
    return {"code": world.relationship.code}


def _exercise(world):
    return {**_code(world), "module": "open-communication", "exercise": "speaker-and-listener"}


ROUTES = {
    # The way in from the navigation sends each person to their own record
    # (the staff persona has none, so goes home).
    "exercises:start": Route(signed_in(REDIRECT)),
    "exercises:modules": Route(partners_only(), kwargs=_code),
    "exercises:progress": Route(partners_only(), kwargs=_code),
    "exercises:module": Route(partners_only(), kwargs=lambda world: {**_code(world), "module": "open-communication"}),
    "exercises:exercise": Route(partners_only(), kwargs=_exercise),
    "exercises:step": Route(partners_only(), kwargs=lambda world: {**_exercise(world), "step": "how-it-works"}),
    "exercises:complete": Route(partners_only(405), kwargs=_exercise),
    "exercises:commitments": Route(partners_only(), kwargs=_code),
    "exercises:log_commitment": Route(
        partners_only(405), kwargs=lambda world: {**_code(world), "commitment": world.commitment.code}
    ),
    "exercises:end_commitment": Route(
        partners_only(405), kwargs=lambda world: {**_code(world), "commitment": world.commitment.code}
    ),
    "exercises:agreements": Route(partners_only(), kwargs=_code),
    "exercises:agreement": Route(
        partners_only(), kwargs=lambda world: {**_code(world), "agreement": world.agreement.code}
    ),
}


def setup_world(world):
    from exercises import services

    relationship = world.relationship
    world.commitment = services.add_commitment(world.people.partner_a, relationship, "I will text if I am late")
    world.agreement = services.propose_agreement(
        world.people.partner_a, relationship, "We talk about it at the check-in", "expectation"
    )
