"""The visibility every piece of writing carries (DESIGN section 2), and the
reader it is decided for.

Who may read what is decided in one queryset method per model,
`visible_to(reader)`. The reader is resolved once per request by an access
helper, which has already checked that this person may open these couples:
`trustwork.couples.access.partner_reader` for a partner,
`trustwork.care.access.therapist_reader` for a therapist with an active,
consented care link. Every `visible_to` starts from the reader's couples and
applies its own rule on top (the reveal rule, the levels below).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db import models


class Visibility(models.TextChoices):
    PRIVATE = "private", "Only me"
    PARTNER = "partner", "Me and my partner"
    CARE = "care", "My partner and our therapist"


# Levels a partner may read of the other partner's writing, once revealed.
SHARED_WITH_PARTNER = (Visibility.PARTNER, Visibility.CARE)
# Levels a consented therapist may read.
SHARED_WITH_CARE = (Visibility.CARE,)


class Role(StrEnum):
    PARTNER = "partner"  # a current partner of the couple
    THERAPIST = "therapist"  # with an active care link both partners consented to
    FORMER_PARTNER = "former partner"  # of a record that has ended: their own writing only


# The levels of someone else's writing each role may see.
LEVELS = {Role.PARTNER: SHARED_WITH_PARTNER, Role.THERAPIST: SHARED_WITH_CARE, Role.FORMER_PARTNER: ()}


@dataclass(frozen=True)
class Reader:
    """A person reading couples' writing, and the couples they may read it in."""

    user: object
    relationship_ids: tuple[int, ...]
    role: Role = Role.PARTNER

    @property
    def is_therapist(self) -> bool:
        return self.role == Role.THERAPIST

    @property
    def levels(self) -> tuple[str, ...]:
        return LEVELS[self.role]


def require_reader(reader) -> Reader:
    """visible_to() takes a resolved Reader, never a bare user: that a person
    may open a couple is decided by the access helpers, once, not guessed."""
    if not isinstance(reader, Reader):
        raise TypeError(f"visible_to() needs a Reader from an access helper, not {type(reader).__name__}")
    return reader
