"""The people and the data the benchmark measures.

The same personas as the test suite (tests/conftest.py: partner_a and
partner_b who share a record, an outsider with a couple of their own, staff,
and a therapist once the care app exists), so the authorization matrix's
routes can be opened with the same keyword arguments.

The data then grows in two steps around the same people: SMALL, and LARGE,
about twenty times more (52 weeks of check-ins, every module in progress, 30
couples for the therapist). Each app's history is added by a grower below,
written with bulk inserts that respect every constraint, so a run takes
seconds; an app that does not exist yet is simply skipped.
"""

import datetime
import random
from dataclasses import dataclass, field
from importlib import import_module

from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.utils import timezone

from tests.matrix import People
from trustwork.privacy import Visibility


@dataclass(frozen=True)
class Size:
    name: str
    weeks: int  # weeks of check-in history of every couple
    modules: int  # exercise modules in progress
    therapist_couples: int  # couples who share with the therapist
    other_couples: int  # couples nobody here may see: the rest of the world


SMALL = Size("small", weeks=3, modules=1, therapist_couples=2, other_couples=2)
LARGE = Size("large", weeks=52, modules=7, therapist_couples=30, other_couples=40)


@dataclass
class World:
    """What the matrix's `kwargs(world)` functions read (see tests/matrix)."""

    people: People
    invitation: object
    couples: list = field(default_factory=list)  # the subject couple first
    therapist_couples: list = field(default_factory=list)
    grown: dict = field(default_factory=dict)  # what each grower already added, by couple

    @property
    def relationship(self):
        return self.people.relationship


_serial = iter(range(1, 10**9))
_password_hash = {}


def _password() -> str:
    # A usable password (some account pages differ without one), hashed once.
    if "hash" not in _password_hash:
        _password_hash["hash"] = make_password("bench-password-for-personas")
    return _password_hash["hash"]


def _person(name: str, **fields):
    from allauth.account.models import EmailAddress

    from trustwork.accounts.models import User

    number = next(_serial)
    user = User.objects.create(
        email=f"{name.lower().replace(' ', '.')}.{number}@bench.example",
        display_name=name,
        time_zone="Europe/London",
        password=_password(),
        **fields,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _couple(first=None, second=None):
    from trustwork.couples.models import Membership, Relationship
    from trustwork.reminders import services as reminders

    relationship = Relationship.objects.create(time_zone="Europe/London")
    partners = [first or _person("Partner"), second or _person("Partner")]
    for person in partners:
        Membership.objects.create(relationship=relationship, user=person)
    # As accept_invitation does: the partners' reminders follow the couple's rhythm.
    reminders.follow_rhythm(partners, relationship.rhythm)
    return relationship


def build_people() -> World:
    """The personas, their couple, an open invitation, and each matrix module's extras."""
    from trustwork.couples.models import Invitation

    with transaction.atomic():
        partner_a = _person("Alex")
        partner_b = _person("Sam")
        subject = _couple(partner_a, partner_b)
        outsider = _person("Outsider")
        outsiders_couple = _couple(outsider)
        staff = _person("Staff", is_staff=True, is_superuser=True)
        people = People(partner_a, partner_b, outsider, staff)
        solo = _couple_of_one()
        invitation = Invitation.objects.create(
            relationship=solo, invited_by=solo.memberships.get().user, email="invitee@bench.example"
        )
        world = World(people=people, invitation=invitation, couples=[subject, outsiders_couple])
    return world


def _couple_of_one():
    from trustwork.couples.models import Membership, Relationship

    relationship = Relationship.objects.create(time_zone="Europe/London")
    Membership.objects.create(relationship=relationship, user=_person("Inviter"))
    return relationship


def add_matrix_extras(world: World, modules: list[str]) -> None:
    """Let every matrix module add the objects its routes need (as in the test suite)."""
    for module in modules:
        setup = getattr(import_module(module), "setup_world", None)
        if setup:
            setup(world)


def grow(world: World, size: Size) -> None:
    """Bring the world up to `size`: more couples, and each couple's history."""
    with transaction.atomic():
        # The matrix couple is the therapist's first (tests/matrix/care.py links it).
        while len(world.therapist_couples) < size.therapist_couples - 1:
            world.therapist_couples.append(_couple())
        others = len(world.couples) - 2
        for _ in range(size.other_couples - others):
            world.couples.append(_couple())
        everyone = [world.couples[0], *world.therapist_couples, *world.couples[1:]]
        for grower in GROWERS:
            grower(world, size, everyone)
    # Bulk inserts go round the services, which bump a couple's version with
    # every write its pages show (trustwork/caching.py): bump them all, as
    # the services would have.
    from django.db.models import F

    from trustwork.couples.models import Relationship

    Relationship.objects.update(version=F("version") + 1)
    # The planner's statistics, as autovacuum keeps them on a live database:
    # without them PostgreSQL guesses row counts and plans (and JIT-compiles)
    # for the wrong sizes.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


# --- Check-ins ---------------------------------------------------------------

PROMPT_TEXT = {
    "went_well": "We took a walk after dinner and talked without our phones.",
    "i_need": "A little more patience when I ask the same question twice.",
    "to_discuss": "How we want to spend the holidays this year.",
    "commitments": "I kept the Wednesday call. I missed writing the note on Friday.",
}
VISIBILITIES = [Visibility.PARTNER, Visibility.PARTNER, Visibility.CARE, Visibility.PRIVATE]


def grow_checkins(world: World, size: Size, couples) -> None:
    """`size.weeks` finished weeks for every couple, both partners submitted;
    this week stays open, so the check-in form is a blank one."""
    if not apps.is_installed("checkins"):
        return
    from checkins.models import CheckIn, Emotion, Prompt, Reflection
    from trustwork.rhythm import WEEK

    rng = random.Random(8)
    emotions = list(Emotion.values)
    new = []
    for relationship in couples:
        done = world.grown.setdefault(("checkins", relationship.pk), 0)
        current = relationship.rhythm.current_week_start()
        partners = list(relationship.memberships.filter(is_active=True).values_list("user_id", flat=True))
        for back in range(done + 1, size.weeks + 1):
            week_start = current - WEEK * back
            opens, _ = relationship.rhythm.week_window(week_start)
            submitted_at = opens + datetime.timedelta(days=6, hours=19)
            for author_id in partners:
                new.append(
                    CheckIn(
                        relationship=relationship,
                        author_id=author_id,
                        week_start=week_start,
                        created_at=submitted_at - datetime.timedelta(minutes=20),
                        updated_at=submitted_at,
                        submitted_at=submitted_at,
                        csi_happiness=rng.randint(1, 6),
                        csi_warm=rng.randint(1, 5),
                        csi_rewarding=rng.randint(1, 5),
                        csi_satisfied=rng.randint(1, 5),
                        trust_partner=rng.randint(2, 10),
                        felt_heard=rng.randint(2, 10),
                        actions_matched_words=rng.randint(2, 10),
                        emotions=rng.sample(emotions, 3),
                    )
                )
        world.grown[("checkins", relationship.pk)] = max(done, size.weeks)
    CheckIn.objects.bulk_create(new, batch_size=2000, ignore_conflicts=True)
    created = CheckIn.objects.filter(
        relationship__in=couples, reflections__isnull=True, submitted_at__isnull=False
    ).values_list("pk", flat=True)
    Reflection.objects.bulk_create(
        [
            Reflection(
                checkin_id=checkin_id,
                prompt=prompt,
                text=PROMPT_TEXT.get(prompt, "A few words."),
                visibility=VISIBILITIES[index % len(VISIBILITIES)],
            )
            for checkin_id in created
            for index, prompt in enumerate(Prompt.values)
        ],
        batch_size=5000,
        ignore_conflicts=True,
    )


# --- Exercises ---------------------------------------------------------------


def _answer_for(step):
    from exercises.models import StepKind

    kind = step.kind
    if kind == StepKind.READ:
        return {"read": True}
    if kind in (StepKind.TEXT, StepKind.JOINT_REVEAL):
        return {"text": "We are trying to listen before we answer."}
    if kind == StepKind.SCALE:
        return {"number": step.config.get("min", 1)}
    if kind == StepKind.CHOICE and step.type.options:
        return {"choices": [step.type.options[0]]}
    if kind == StepKind.CHECKLIST and step.type.items:
        return {"items": [step.type.items[0]]}
    if kind == StepKind.SCHEDULE:
        return {"weekday": 6, "time": "19:00"}
    return None  # commitments and agreements create objects of their own: left for the couple


def grow_exercises(world: World, size: Size, couples) -> None:
    """In each of the first `size.modules` modules, both partners of every
    couple have answered the first half of the first exercise's steps."""
    if not apps.is_installed("exercises"):
        return
    from exercises.models import Module, Response

    modules = list(Module.objects.current().prefetch_related("exercises__steps").order_by("number"))
    rows = []
    for relationship in couples:
        done = world.grown.setdefault(("exercises", relationship.pk), 0)
        partners = list(relationship.memberships.filter(is_active=True).values_list("user_id", flat=True))
        for module in modules[done : size.modules]:
            exercise = next((e for e in module.exercises.all() if not e.is_retired), None)
            if exercise is None:
                continue
            steps = sorted((s for s in exercise.steps.all() if not s.is_retired), key=lambda s: s.position)
            for step in steps[: max(1, len(steps) // 2)]:
                value = _answer_for(step)
                if value is None:
                    break
                for author_id in partners:
                    rows.append(
                        Response(
                            relationship=relationship,
                            step=step,
                            author_id=author_id,
                            value=value,
                            visibility=step.visibility,
                        )
                    )
        world.grown[("exercises", relationship.pk)] = max(done, min(size.modules, len(modules)))
    Response.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)


# --- Care --------------------------------------------------------------------


def grow_care(world: World, size: Size, couples) -> None:
    """An active link (both partners consented) from each of the therapist's couples."""
    therapist = getattr(world.people, "therapist_active", None)
    if therapist is None or not apps.is_installed("trustwork.care"):
        return
    from tests.care_helpers import link

    for relationship in world.therapist_couples:
        if not world.grown.get(("care", relationship.pk)):
            link(relationship, therapist)
            world.grown[("care", relationship.pk)] = True


GROWERS = [grow_checkins, grow_exercises, grow_care]


def stamp() -> str:
    return timezone.now().isoformat(timespec="seconds")
