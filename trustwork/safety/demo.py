"""Demo history: one private safety check of Alice's, so the page shows an
earlier check (Bob, and the therapist, can never see it)."""

from trustwork.safety.models import SafetyCheck
from trustwork.safety.services import take_safety_check


def seed(*, alice, stdout, **others):
    if SafetyCheck.objects.visible_to(alice).exists():
        return
    take_safety_check(
        alice,
        {
            "afraid": "no",
            "hurt_or_threatened": "no",
            "controlled": "no",
            "free_to_disagree": "yes",
            "safe_if_seen": "not_sure",
        },
    )
    stdout.write("Safety: one private check for Alice.")
