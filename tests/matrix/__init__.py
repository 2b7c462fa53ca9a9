"""The authorization matrix: every URL pattern of the project, and the answer
each role must get to a GET of it.

Each app keeps its routes in a module here (core.py, checkins.py, ...), listed
in MODULES. test_authorization_matrix.py fails when a URL pattern has no entry,
so no page can escape it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

# Therapists of the matrix couple (tests/matrix/care.py): with an active link,
# with consent from one partner only, with a revoked link, and of another couple.
THERAPISTS = ("therapist_active", "therapist_pending", "therapist_revoked", "therapist_other")
ROLES = ("anonymous", "outsider", "partner_a", "partner_b", "staff", *THERAPISTS)

# Expected answers: an HTTP status, or LOGIN for "redirected to sign in".
LOGIN = "login"
REDIRECT = "redirect"  # a 302 somewhere other than the sign-in page


@dataclass
class Route:
    expect: dict[str, int | str]
    kwargs: Callable[[object], dict] = field(default=lambda world: {})
    query: str = ""

    def __post_init__(self):
        unknown = set(self.expect) - set(ROLES) - {"*"}
        assert not unknown, f"unknown roles {unknown}"

    def expected_for(self, role):
        return self.expect.get(role, self.expect.get("*"))


@dataclass
class People:
    """The personas of every authorization test (tests/conftest.py) and of the
    benchmark (bench/world.py). Matrix modules add their own, e.g. therapists."""

    partner_a: object
    partner_b: object
    outsider: object
    staff: object

    @property
    def relationship(self):
        return self.partner_a.memberships.get(is_active=True).relationship


def everyone(status):
    return {"*": status}


def signed_in(status, anonymous=LOGIN):
    return {"*": status, "anonymous": anonymous}


def partners_only(status=200):
    """Pages of one couple: its two partners get in, everyone else gets 404,
    therapists too (they reach a couple only through care pages)."""
    return {"*": 404, "anonymous": LOGIN, "partner_a": status, "partner_b": status}


MODULES = [
    "tests.matrix.core",
    "tests.matrix.admin",
    "tests.matrix.checkins",
    "tests.matrix.reminders",
    "tests.matrix.safety",
    "tests.matrix.care",
    "tests.matrix.exercises",
]
