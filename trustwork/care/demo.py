"""Demo therapist review (see seed_demo): therapist@example.com with TOTP on,
linked with both consents to alice and bob and to two more demo couples, each
with some history shared with care, so the dashboard has rows and flags.

Idempotent: what is already there is left alone.
"""

import datetime

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from checkins.models import CheckIn, Reflection
from exercises import services as exercise_services
from exercises.models import Response, Step
from trustwork.care.models import AccessLog, CareLink, Consent, TherapistProfile
from trustwork.couples.demo import demo_couple, demo_user
from trustwork.privacy import Visibility
from trustwork.rhythm import WEEK

# The well-known base32 test secret, so any authenticator app can try the demo.
TOTP_SECRET = "JBSWY3DPEHPK3PXP"

# (first, second): (email, name) each; then per week, oldest first, the CSI-4
# items of each partner, or None for a week without a check-in.
MORE_COUPLES = [
    (
        ("carmen@example.com", "Carmen"),
        ("dev@example.com", "Dev"),
        # A steady climb, then a hard week: a drop of five or more, under 13.5.
        [
            ((3, 3, 3, 3), (3, 3, 3, 2)),
            ((4, 3, 3, 3), (3, 3, 3, 3)),
            ((4, 4, 4, 3), (4, 3, 4, 3)),
            ((2, 2, 2, 1), (3, 2, 2, 2)),
        ],
    ),
    (
        ("jo@example.com", "Jo"),
        ("kai@example.com", "Kai"),
        # Doing well, then nothing shared for the last three weeks.
        [((5, 4, 4, 4), (5, 4, 4, 4)), ((5, 4, 5, 4), (5, 5, 4, 4)), None, None, None],
    ),
]
CARE_NOTES = {
    "to_discuss": "I'd like us to talk about how we handle the evenings.",
    "i_need": "Some time to talk about the hard week without it turning into a fight.",
}
SESSION_NOTES = {
    "making-sessions-count": {"read": True},
    "most-important": {"text": "How we rebuild the evenings, which are still the hardest part."},
    "since-last-time": {"text": "We kept the weekly check-in going, even in the week we argued."},
}


def seed(alice, bob, therapist, relationship, stdout):
    _profile(therapist)
    if not Authenticator.objects.filter(user=therapist, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(therapist, TOTP_SECRET)
    _link(relationship, therapist, alice)
    _session_notes(relationship, (alice, bob))
    for first, second, history in MORE_COUPLES:
        couple = _couple(first, second)
        _link(couple, therapist, couple.active_members()[0])
        _history(couple, history)
    stdout.write(
        "Therapist review: therapist@example.com reviews alice and bob and two more couples. "
        f"Two-factor authentication is on; add the TOTP secret {TOTP_SECRET} to an authenticator app."
    )


def _profile(therapist):
    TherapistProfile.objects.get_or_create(
        user=therapist,
        defaults={
            "name": "Dr Rivera",
            "practice": "Riverside Couples Practice",
            "licence_number": "DEMO-0001",
            "verified": True,
        },
    )


def _link(relationship, therapist, inviter):
    if CareLink.objects.open().filter(relationship=relationship, email=therapist.email).exists():
        return
    link = CareLink.objects.create(
        relationship=relationship,
        email=therapist.email,
        invited_by=inviter,
        therapist=therapist,
        accepted_at=relationship.created_at,
        created_at=relationship.created_at,
    )
    for person in relationship.active_members():
        Consent.objects.create(link=link, person=person, given_at=relationship.created_at)
    AccessLog.objects.create(
        therapist=therapist,
        therapist_name="Dr Rivera",
        relationship=relationship,
        page="Couple page",
        at=relationship.created_at + datetime.timedelta(days=1),
        succeeded=True,
    )


def _couple(first, second):
    return demo_couple(demo_user(*first, "Europe/London"), demo_user(*second, "Europe/London"))


def _session_notes(relationship, people):
    """Module 4's session notes are marked for care: alice and bob each wrote some."""
    steps = Step.objects.current().filter(
        exercise__module__slug="professional-support", exercise__slug="before-and-after-a-session"
    )
    for step in steps.filter(key__in=SESSION_NOTES).order_by("position"):
        for person in people:
            if not Response.objects.filter(relationship=relationship, step=step, author=person).exists():
                exercise_services.save_answer(person, relationship, step, dict(SESSION_NOTES[step.key]))


def _history(relationship, history):
    if relationship.checkins.exists():
        return
    partners = sorted(relationship.active_members(), key=lambda person: person.pk)
    current = relationship.rhythm.current_week_start()
    for index, week in enumerate(history):
        if week is None:
            continue
        week_start = current - WEEK * (len(history) - index)
        opens, _ = relationship.rhythm.week_window(week_start)
        for person, (happiness, warm, rewarding, satisfied) in zip(partners, week, strict=True):
            checkin = CheckIn.objects.create(
                relationship=relationship,
                author=person,
                week_start=week_start,
                submitted_at=opens + datetime.timedelta(days=6, hours=19),
                csi_happiness=happiness,
                csi_warm=warm,
                csi_rewarding=rewarding,
                csi_satisfied=satisfied,
                trust_partner=5 + happiness // 2,
                felt_heard=5,
                actions_matched_words=6,
                emotions=["hope"],
            )
            Reflection.objects.bulk_create(
                [
                    Reflection(checkin=checkin, prompt=prompt, text=text, visibility=Visibility.CARE)
                    for prompt, text in CARE_NOTES.items()
                ]
                + [
                    Reflection(
                        checkin=checkin,
                        prompt="went_well",
                        text=f"{person.display_name}'s note for the two of us only.",
                        visibility=Visibility.PARTNER,
                    )
                ]
            )
