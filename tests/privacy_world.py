"""A couple and their therapist with a row in every model that points at a
person, each carrying a marker text, for the export and deletion tests.

`fill_everything(...)` must create a row for every model with a field pointing
at the user model: test_data_export checks it does, so a new model must be
added here (and to the export) before those tests pass.
"""

import datetime
from dataclasses import dataclass

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from allauth.usersessions.models import UserSession
from django.contrib.admin.models import ADDITION, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from checkins.models import CheckIn, Reflection
from exercises.models import Agreement, AgreementRevision, Commitment, CommitmentLog, Completion, Exercise, Module, Step
from exercises.models import Response as ExerciseResponse
from tests.checkins_helpers import GOOD_ANSWERS
from tests.factories import InvitationFactory, UserFactory, make_couple
from trustwork.care.models import AccessLog, CareLink, Consent, ExerciseSuggestion, TherapistNote, TherapistProfile
from trustwork.couples.models import Invitation
from trustwork.privacy import Visibility
from trustwork.reminders.models import Delivery, ReminderPreference, ReminderSchedule
from trustwork.safety.services import take_safety_check

CALM_ANSWERS = {
    "afraid": "no",
    "hurt_or_threatened": "no",
    "controlled": "no",
    "free_to_disagree": "yes",
    "safe_if_seen": "not_sure",
}


@dataclass
class PrivacyWorld:
    alex: object
    sam: object
    therapist: object
    relationship: object
    step: object
    exercise: object
    totp_secret: str


def _content(slug):
    module = Module.objects.create(
        slug=f"privacy-{slug}", number=99, title="Privacy module", summary="s", intro="i", source_file="x.yaml"
    )
    exercise = Exercise.objects.create(module=module, slug=f"privacy-{slug}", position=1, title="E", summary="s")
    step = Step.objects.create(exercise=exercise, key="write", position=1, kind="text", title="Write", prompt="p")
    return exercise, step


def fill_partner(person, world, marker):
    """Rows of every kind written by, or about, one partner. `marker` is in every free text."""
    relationship, step, exercise = world.relationship, world.step, world.exercise
    checkin = CheckIn.objects.create(
        relationship=relationship,
        author=person,
        week_start=datetime.date(2026, 11, 16),
        submitted_at=timezone.now(),
        emotions=["hope"],
        **GOOD_ANSWERS,
    )
    Reflection.objects.create(checkin=checkin, prompt="went_well", text=f"{marker} shared", visibility="partner")
    Reflection.objects.create(checkin=checkin, prompt="to_discuss", text=f"{marker} private", visibility="private")
    ExerciseResponse.objects.create(
        relationship=relationship, step=step, author=person, value={"text": f"{marker} answer"}, visibility="private"
    )
    Completion.objects.create(relationship=relationship, exercise=exercise, person=person)
    commitment = Commitment.objects.create(
        relationship=relationship, author=person, text=f"{marker} commitment", visibility=Visibility.PARTNER
    )
    CommitmentLog.objects.create(commitment=commitment, day=datetime.date(2026, 11, 17), status="kept", note=marker)
    agreement = Agreement.objects.create(relationship=relationship)
    AgreementRevision.objects.create(agreement=agreement, text=f"{marker} agreement", proposed_by=person)
    ReminderPreference.objects.get_or_create(user=person)
    ReminderSchedule.objects.update_or_create(user=person, kind="checkin", defaults={"next_run_at": timezone.now()})
    Delivery.objects.create(recipient=person, kind="checkin", period=datetime.date(2026, 11, 16))
    take_safety_check(person, CALM_ANSWERS | {"afraid": "yes"})
    UserSession.objects.create(user=person, ip="127.0.0.1", session_key=f"s-{person.pk}", user_agent=marker)
    return checkin


def fill_everything(alex_marker="ALEX-WROTE-THIS", sam_marker="SAM-WROTE-THIS") -> PrivacyWorld:
    alex = UserFactory(display_name="Alex Privacy", email="alex.privacy@example.com")
    sam = UserFactory(display_name="Sam Privacy", email="sam.privacy@example.com")
    therapist = UserFactory(display_name="Dr Privacy", email="dr.privacy@example.com")
    relationship = make_couple(alex, sam)
    exercise, step = _content(alex.pk)
    secret = generate_totp_secret()
    TOTP.activate(alex, secret)
    world = PrivacyWorld(alex, sam, therapist, relationship, step, exercise, secret)

    fill_partner(alex, world, alex_marker)
    fill_partner(sam, world, sam_marker)

    # The invitation alex sent and sam accepted, and one sent to an outsider.
    Invitation.objects.create(
        relationship=relationship,
        invited_by=alex,
        email=sam.email,
        accepted_at=timezone.now(),
        accepted_by=sam,
    )
    InvitationFactory()

    # A therapist both consented to, who looked at the couple and wrote about them.
    TherapistProfile.objects.create(user=therapist, name="Dr Privacy", practice="Practice")
    link = CareLink.objects.create(
        relationship=relationship,
        email=therapist.email,
        invited_by=alex,
        therapist=therapist,
        accepted_at=timezone.now(),
    )
    Consent.objects.create(link=link, person=alex)
    Consent.objects.create(link=link, person=sam)
    AccessLog.objects.create(
        therapist=therapist, therapist_name="Dr Privacy", relationship=relationship, page="review", succeeded=True
    )
    TherapistNote.objects.create(therapist=therapist, relationship=relationship, text="THERAPIST-NOTE")
    ExerciseSuggestion.objects.create(
        relationship=relationship,
        therapist=therapist,
        therapist_name="Dr Privacy",
        exercise=exercise,
        message="THERAPIST-SUGGESTION",
    )

    # Staff work in the admin.
    staff = UserFactory(is_staff=True)
    LogEntry.objects.create(
        user=staff,
        content_type=ContentType.objects.get_for_model(Module),
        object_id=str(exercise.module_id),
        object_repr="Privacy module",
        action_flag=ADDITION,
    )
    assert Authenticator.objects.filter(user=alex).exists()
    return world


def add_more_writing(world):
    """Five more weeks of alex's writing in the models that hold many rows."""
    for week in range(1, 6):
        week_start = datetime.date(2026, 10, 5) + datetime.timedelta(weeks=week)
        checkin = CheckIn.objects.create(relationship=world.relationship, author=world.alex, week_start=week_start)
        Reflection.objects.create(checkin=checkin, prompt="went_well", text="more", visibility="private")
        commitment = Commitment.objects.create(relationship=world.relationship, author=world.alex, text="more")
        CommitmentLog.objects.create(commitment=commitment, day=week_start, status="kept")
        take_safety_check(world.alex, CALM_ANSWERS)
