"""Therapist test data: profiles with TOTP, and care links in every state."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from tests.factories import CareLinkFactory, TherapistProfileFactory, UserFactory
from trustwork.care.models import CareLink

DEMO_SECRET = "JBSWY3DPEHPK3PXP"


def make_therapist(totp=True, verified=False, **user_fields):
    user = TherapistProfileFactory(user=UserFactory(**user_fields), verified=verified).user
    if totp:
        TOTP.activate(user, DEMO_SECRET)
    return user


def link(relationship, therapist, consenting=None, accepted=True, revoked=False) -> CareLink:
    """A care link; `consenting` defaults to both partners (an active link)."""
    return CareLinkFactory(
        relationship=relationship,
        email=therapist.email,
        therapist=therapist if accepted else None,
        consenting=consenting,
        revoked_at=timezone.now() if revoked else None,
        revoked_by=relationship.active_members()[0] if revoked else None,
    )


def answer_both(relationship, module, exercise, last_key, texts):
    """Both partners answer an exercise step by step up to `last_key` (steps
    answered together open only once both have answered). `texts`: {person: text}
    for the `last_key` step."""
    from exercises import services
    from exercises.models import Step
    from tests.exercises.conftest import sample_value

    steps = Step.objects.current().filter(exercise__module__slug=module, exercise__slug=exercise)
    for item in steps.order_by("position"):
        for person, text in texts.items():
            value = {"text": text} if item.key == last_key else sample_value(item)
            services.save_answer(person, relationship, item, value)
        if item.key == last_key:
            return


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
