"""Therapist test data: profiles with TOTP, and care links in every state."""

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from tests.factories import UserFactory
from trustwork.care.models import CareLink, Consent, TherapistProfile

DEMO_SECRET = "JBSWY3DPEHPK3PXP"


def make_therapist(totp=True, verified=False, **user_fields):
    user = UserFactory(**user_fields)
    TherapistProfile.objects.create(
        user=user, name=f"Dr {user.display_name}", practice="Riverside Couples Practice", verified=verified
    )
    if totp:
        TOTP.activate(user, DEMO_SECRET)
    return user


def link(relationship, therapist, consenting=None, accepted=True, revoked=False) -> CareLink:
    """A care link; `consenting` defaults to both partners (an active link)."""
    members = relationship.active_members()
    care_link = CareLink.objects.create(
        relationship=relationship,
        email=therapist.email,
        invited_by=members[0],
        therapist=therapist if accepted else None,
        accepted_at=relationship.created_at if accepted else None,
    )
    for person in members if consenting is None else consenting:
        Consent.objects.create(link=care_link, person=person)
    if revoked:
        from django.utils import timezone

        care_link.revoked_at = timezone.now()
        care_link.revoked_by = members[0]
        care_link.save()
    return care_link


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
