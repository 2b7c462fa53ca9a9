"""Factories for the main models. Those whose rows a couple's pages show
bump the couple's version, as the services that write them do."""

import datetime

import factory
from allauth.account.models import EmailAddress

from checkins.models import CheckIn, Reflection
from exercises.models import Commitment
from trustwork.accounts.models import User
from trustwork.care.models import CareLink, Consent, TherapistProfile
from trustwork.couples.models import Invitation, Membership, Relationship
from trustwork.couples.services import bump_version
from trustwork.reminders import services as reminders

PASSWORD = "a-long-test-password-42"


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    display_name = factory.Sequence(lambda n: f"Person {n}")
    time_zone = "Europe/London"
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def verified_email(self, create, extracted, **kwargs):
        if create:
            self.save()
            EmailAddress.objects.create(user=self, email=self.email, verified=True, primary=True)


class RelationshipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relationship

    time_zone = "Europe/London"


def make_couple(first=None, second=None, **relationship_fields) -> Relationship:
    """A relationship with two active partners, whose reminders follow its
    rhythm (as trustwork.couples.services.accept_invitation makes them)."""
    relationship = RelationshipFactory(**relationship_fields)
    partners = [first or UserFactory(), second or UserFactory()]
    for person in partners:
        Membership.objects.create(relationship=relationship, user=person)
    reminders.follow_rhythm(partners, relationship.rhythm)
    return relationship


def make_solo(person=None) -> Relationship:
    relationship = RelationshipFactory()
    Membership.objects.create(relationship=relationship, user=person or UserFactory())
    return relationship


class InvitationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invitation

    relationship = factory.LazyFunction(make_solo)
    invited_by = factory.LazyAttribute(lambda o: o.relationship.memberships.first().user)
    email = factory.Sequence(lambda n: f"invitee{n}@example.com")


# --- Check-ins -------------------------------------------------------------------

GOOD_ANSWERS = {
    "csi_happiness": 3,
    "csi_warm": 3,
    "csi_rewarding": 2,
    "csi_satisfied": 3,
    "trust_partner": 6,
    "felt_heard": 5,
    "actions_matched_words": 7,
}


class CheckInFactory(factory.django.DjangoModelFactory):
    """A check-in sent an hour into its week, with complete answers.
    `reflections=[(prompt, text, visibility), ...]` adds its written answers.
    Like the check-in services, it bumps the couple's version."""

    class Meta:
        model = CheckIn
        skip_postgeneration_save = True

    relationship = factory.LazyFunction(make_couple)
    author = factory.LazyAttribute(lambda o: o.relationship.memberships.first().user)
    week_start = factory.LazyAttribute(lambda o: o.relationship.rhythm.current_week_start())
    submitted_at = factory.LazyAttribute(
        lambda o: o.relationship.rhythm.week_window(o.week_start)[0] + datetime.timedelta(hours=1)
    )
    emotions = factory.LazyFunction(lambda: ["hope"])
    csi_happiness = GOOD_ANSWERS["csi_happiness"]
    csi_warm = GOOD_ANSWERS["csi_warm"]
    csi_rewarding = GOOD_ANSWERS["csi_rewarding"]
    csi_satisfied = GOOD_ANSWERS["csi_satisfied"]
    trust_partner = GOOD_ANSWERS["trust_partner"]
    felt_heard = GOOD_ANSWERS["felt_heard"]
    actions_matched_words = GOOD_ANSWERS["actions_matched_words"]

    @factory.post_generation
    def reflections(self, create, extracted, **kwargs):
        if not create:
            return
        Reflection.objects.bulk_create(
            Reflection(checkin=self, prompt=prompt, text=text, visibility=visibility)
            for prompt, text, visibility in extracted or ()
        )
        bump_version(self.relationship_id)


# --- Therapist review ---------------------------------------------------------------


class TherapistProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapistProfile

    user = factory.SubFactory(UserFactory)
    name = factory.LazyAttribute(lambda o: f"Dr {o.user.display_name}")
    practice = "Riverside Couples Practice"


class CareLinkFactory(factory.django.DjangoModelFactory):
    """An accepted care link; `consenting=[people]` (default: both partners)
    gives their consents. Like the care services, it bumps the couple's version."""

    class Meta:
        model = CareLink
        skip_postgeneration_save = True

    relationship = factory.LazyFunction(make_couple)
    therapist = factory.LazyAttribute(lambda o: TherapistProfileFactory().user)
    email = factory.LazyAttribute(lambda o: o.therapist.email if o.therapist else "therapist@example.com")
    invited_by = factory.LazyAttribute(lambda o: o.relationship.active_members()[0])
    accepted_at = factory.LazyAttribute(lambda o: o.relationship.created_at if o.therapist else None)

    @factory.post_generation
    def consenting(self, create, extracted, **kwargs):
        if not create:
            return
        people = self.relationship.active_members() if extracted is None else extracted
        Consent.objects.bulk_create(Consent(link=self, person=person) for person in people)
        bump_version(self.relationship_id)


# --- Exercises ----------------------------------------------------------------------


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Commitment

    relationship = factory.LazyFunction(make_couple)
    author = factory.LazyAttribute(lambda o: o.relationship.memberships.first().user)
    text = factory.Sequence(lambda n: f"I will call when I'm running late ({n})")
