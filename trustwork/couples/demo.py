"""The demo's people and their shared record (see trustwork's seed_demo)."""

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model

from trustwork.couples.models import Membership, Relationship
from trustwork.reminders import services as reminders

DEMO_PASSWORD = "trustwork-demo"


def demo_user(email, display_name, time_zone):
    user, created = get_user_model().objects.get_or_create(
        email=email, defaults={"display_name": display_name, "time_zone": time_zone}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_couple(first, second) -> Relationship:
    shared = Relationship.objects.for_member(first).first()
    if shared:
        return shared
    relationship = Relationship.objects.create(time_zone=first.time_zone)
    Membership.objects.create(relationship=relationship, user=first)
    Membership.objects.create(relationship=relationship, user=second)
    # As the couples services do when a couple becomes complete.
    reminders.follow_rhythm([first, second], relationship.rhythm)
    return relationship
