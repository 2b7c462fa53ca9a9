"""Demo people and a shared record, so the app can be tried at once.

Idempotent: running it again changes nothing that is already there. Later
features add their own history through DEMO_SEEDERS.
"""

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string

from trustwork.accounts.models import User
from trustwork.couples.models import Membership, Relationship
from trustwork.reminders import services as reminders

DEMO_PASSWORD = "trustwork-demo"
DEMO_PEOPLE = [
    ("alice@example.com", "Alice", "Europe/London"),
    ("bob@example.com", "Bob", "Europe/London"),
    ("therapist@example.com", "Dr Rivera", "Europe/London"),
]
# Each app may add demo history: a function taking (alice, bob, relationship, stdout).
DEMO_SEEDERS: list[str] = [
    "checkins.demo.seed",
    "exercises.demo.seed",
    "trustwork.reminders.demo.seed",
    "trustwork.care.demo.seed",
    "trustwork.safety.demo.seed",
]


def demo_user(email, display_name, time_zone) -> User:
    user, created = User.objects.get_or_create(
        email=email, defaults={"display_name": display_name, "time_zone": time_zone}
    )
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
    EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def demo_couple(first, second) -> Relationship:
    shared = Relationship.objects.active().filter(memberships__user=first, memberships__is_active=True).first()
    if shared:
        return shared
    relationship = Relationship.objects.create(time_zone=first.time_zone)
    Membership.objects.create(relationship=relationship, user=first)
    Membership.objects.create(relationship=relationship, user=second)
    # As the couples services do when a couple becomes complete.
    reminders.follow_rhythm([first, second], relationship.rhythm)
    return relationship


class Command(BaseCommand):
    help = "Create demo accounts (password trustwork-demo) and a shared record for alice and bob."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Run even with DEBUG off.")

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("seed_demo adds demo accounts with a known password; with DEBUG off, pass --force.")
        with transaction.atomic():
            alice, bob, therapist = (demo_user(*person) for person in DEMO_PEOPLE)
            relationship = demo_couple(alice, bob)
            for path in DEMO_SEEDERS:
                import_string(path)(
                    alice=alice, bob=bob, therapist=therapist, relationship=relationship, stdout=self.stdout
                )
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: alice@example.com, bob@example.com and therapist@example.com, password {DEMO_PASSWORD}."
            )
        )
