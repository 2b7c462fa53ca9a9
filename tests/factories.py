import factory
from allauth.account.models import EmailAddress

from trustwork.accounts.models import User
from trustwork.couples.models import Invitation, Membership, Relationship
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
