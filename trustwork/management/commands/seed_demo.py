"""Demo people and a shared record, so the app can be tried at once.

Idempotent: running it again changes nothing that is already there. Each app
adds its own history through its demo module, called here in order.
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from checkins import demo as checkins_demo
from exercises import demo as exercises_demo
from trustwork.care import demo as care_demo
from trustwork.couples.demo import DEMO_PASSWORD, demo_couple, demo_user
from trustwork.reminders import demo as reminders_demo
from trustwork.safety import demo as safety_demo

DEMO_PEOPLE = [
    ("alice@example.com", "Alice", "Europe/London"),
    ("bob@example.com", "Bob", "Europe/London"),
    ("therapist@example.com", "Dr Rivera", "Europe/London"),
]
# Each takes (alice, bob, therapist, relationship, stdout).
DEMO_SEEDERS = [checkins_demo.seed, exercises_demo.seed, reminders_demo.seed, care_demo.seed, safety_demo.seed]


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
            for seed in DEMO_SEEDERS:
                seed(alice=alice, bob=bob, therapist=therapist, relationship=relationship, stdout=self.stdout)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo ready: alice@example.com, bob@example.com and therapist@example.com, password {DEMO_PASSWORD}."
            )
        )
