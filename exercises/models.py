"""Exercise content (Module, Exercise, Step, loaded from exercises/content/) and
what each couple does with it (Response, Completion, Commitment, Agreement).

Who may read a person's writing is decided in one queryset method per model,
`visible_to(reader)`, following DESIGN section 2.
"""

import datetime
import uuid

from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from trustwork.couples.models import Relationship
from trustwork.privacy import SHARED_WITH_PARTNER, Visibility, require_reader


class StepKind(models.TextChoices):
    READ = "read", "Read"
    TEXT = "text", "Write"
    SCALE = "scale", "Scale"
    CHOICE = "choice", "Choose"
    CHECKLIST = "checklist", "Checklist"
    COMMITMENT = "commitment", "Commitment"
    AGREEMENT = "agreement", "Agreement"
    JOINT_REVEAL = "joint_reveal", "Write, then reveal together"
    SCHEDULE = "schedule", "Day and time"


class Who(models.TextChoices):
    EACH = "each", "Each of you"
    TOGETHER = "together", "The two of you together"


# --- Content -----------------------------------------------------------------


class ModuleQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_retired=False)


class Module(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    number = models.PositiveSmallIntegerField()
    version = models.PositiveIntegerField(default=1)
    title = models.CharField(max_length=200)
    summary = models.TextField()
    intro = models.TextField()
    source_file = models.CharField(max_length=200)
    is_retired = models.BooleanField(default=False)

    objects = ModuleQuerySet.as_manager()

    class Meta:
        ordering = ["number"]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ExerciseQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_retired=False, module__is_retired=False)


class Exercise(models.Model):
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="exercises")
    slug = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=200)
    summary = models.TextField()
    minutes = models.PositiveSmallIntegerField(default=15)
    # Every answer in it is private (the release letter): the partner learns
    # nothing of it, not even progress (see progress.py).
    is_private = models.BooleanField(default=False)
    is_retired = models.BooleanField(default=False)

    objects = ExerciseQuerySet.as_manager()

    class Meta:
        ordering = ["module__number", "position"]
        constraints = [models.UniqueConstraint(fields=["module", "slug"], name="exercise_slug_unique_in_module")]

    def __str__(self):
        return self.title


class StepQuerySet(models.QuerySet):
    def current(self):
        return self.filter(is_retired=False)


def revealed_together(kind: str, who: str) -> bool:
    """Whether answers are shown to the other partner only once both have
    answered: every answer decided together, and every joint reveal."""
    return who == Who.TOGETHER or apps.get_app_config("exercises").kinds[kind].always_revealed_together


class StepRules:
    """What a step's kind says about it, for the Step model and for the
    steps of the content outline (exercises/outline.py), which have the same
    attributes: kind, who, visibility, config and exercise."""

    @property
    def type(self):
        """The kind of this step (exercises/kinds.py) as an object that knows
        its form, its stored value, how an answer is shown and what else
        saving one does. The kinds are the app's own (ExercisesConfig.kinds):
        they build on the forms and these models, so this module does not
        import them."""
        return apps.get_app_config("exercises").kinds[self.kind](self)

    @property
    def reveals_together(self) -> bool:
        return revealed_together(self.kind, self.who)

    @property
    def counts_for_others(self) -> bool:
        """Whether answers to this step count in the progress bars that anyone
        but their author sees (the partner's, the therapist's): not a private
        step, not in a private exercise, so a bar never tells anyone that their
        partner wrote something private (such as the release letter of module
        7). Answers written as private never count either (see
        ResponseQuerySet.counted_for_others). `exercise` must be loaded."""
        return self.type.counts_in_progress and self.visibility != Visibility.PRIVATE and not self.exercise.is_private


class Step(StepRules, models.Model):
    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="steps")
    key = models.SlugField(max_length=80)
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=20, choices=StepKind.choices)
    who = models.CharField(max_length=10, choices=Who.choices, default=Who.EACH)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PARTNER)
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    prompt = models.TextField(blank=True)
    # The settings of its kind (exercises/kinds.py): min/max/labels, options/multiple, items, max_length, examples.
    config = models.JSONField(default=dict, blank=True)
    is_retired = models.BooleanField(default=False)

    objects = StepQuerySet.as_manager()

    class Meta:
        ordering = ["exercise", "position"]
        constraints = [models.UniqueConstraint(fields=["exercise", "key"], name="step_key_unique_in_exercise")]

    def __str__(self):
        return f"{self.exercise.slug}/{self.key}"


class ContentRevision(models.Model):
    """The revision of the exercise content: one row whose token the loader
    renews whenever it writes content (content is edited only in the module
    files, never in the admin). Cached fragments that show content carry it
    in their key (exercises/outline.py, trustwork/caching.py). A new random
    token each time, never a counter, so that two different states of the
    content can never share a token, even across rolled-back transactions."""

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self):
        return f"content revision {self.token}"

    @classmethod
    def bump(cls) -> None:
        cls.objects.update_or_create(pk=1, defaults={"token": uuid.uuid4()})

    @classmethod
    def current_token(cls) -> uuid.UUID | None:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first()


# --- Answers -----------------------------------------------------------------


class ResponseQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """DESIGN section 2 for exercise answers, in one place, in the reader's
        couples only.

        The author always. The other partner only `partner`/`care` answers
        and, where the step is answered together or revealed together, only
        once both partners have answered it (the same reveal rule as
        check-ins). A therapist only `care` answers, under the same reveal
        rule. Nobody but the author reads an answer in a private exercise.
        """
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        both_answered = Response.objects.filter(
            relationship=models.OuterRef("relationship"), step=models.OuterRef("step")
        ).exclude(author=models.OuterRef("author"))
        revealed = Q(step__who=Who.EACH) & ~Q(step__kind=StepKind.JOINT_REVEAL) | Q(models.Exists(both_answered))
        others = Q(visibility__in=reader.levels, step__exercise__is_private=False) & ~Q(author=reader.user) & revealed
        readable = others if reader.is_therapist else Q(author=reader.user) | others
        return self.filter(relationship_id__in=reader.relationship_ids).filter(readable)

    def counted_for(self, user, relationship, steps):
        """The answers that count in the progress bars `user` sees, as
        (author_id, step_id) rows: no content is read. All of the person's
        own; of the partner's, those to `steps` (with their exercises loaded)
        that count for others (`counted_for_others`)."""
        if not user.is_authenticated:
            return self.none()
        return (
            self.filter(relationship=relationship, step__is_retired=False)
            .filter(
                Q(author=user)
                | Q(relationship__memberships__user=user, relationship__memberships__is_active=True)
                & _counted_for_others(steps)
            )
            .values_list("author_id", "step_id")
            .distinct()
        )

    def counted_for_others(self, steps):
        """The answers that count in a progress bar someone other than their
        author sees (a partner's, a therapist's): answers to those of `steps`
        that count for others (Step.counts_for_others), not written as private."""
        return self.filter(_counted_for_others(steps))


def _counted_for_others(steps) -> Q:
    # The answer's own level too (copied when written): a content edit never
    # makes an old private answer count where someone else can see it.
    counted = [step.pk for step in steps if step.counts_for_others]
    return Q(step_id__in=counted) & ~Q(visibility=Visibility.PRIVATE)


class Response(models.Model):
    """One person's answer to one step, within their relationship."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="exercise_responses")
    step = models.ForeignKey(Step, on_delete=models.PROTECT, related_name="responses")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # {"text": ...}, {"number": 7}, {"choices": [...]}, {"items": [...]},
    # {"weekday": 6, "time": "19:00"}, {"read": true}; commitment and agreement
    # steps also keep the code of what they created.
    value = models.JSONField(default=dict)
    # Copied from the step when answered, so a later content edit never makes
    # an old answer more visible than it was when written.
    visibility = models.CharField(max_length=10, choices=Visibility.choices)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = ResponseQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["relationship", "step", "author"], name="one_response_per_person_step")
        ]
        indexes = [models.Index(fields=["author", "relationship"])]

    def __str__(self):
        return f"Response to {self.step_id} by {self.author_id}"


class Completion(models.Model):
    """A person has finished an exercise; their answers are now settled."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="+")
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="completions")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    completed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "exercise", "person"], name="one_completion_per_person_exercise"
            )
        ]

    def __str__(self):
        return f"Completion of {self.exercise_id} by {self.person_id}"


# --- Commitments (module 3) -----------------------------------------------------


class CommitmentQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """The author always; the other partner when shared with them. A
        commitment is between the two partners: a therapist reads none."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        if reader.is_therapist:
            return self.none()
        return self.filter(relationship_id__in=reader.relationship_ids).filter(
            Q(author=reader.user) | Q(visibility__in=SHARED_WITH_PARTNER)
        )

    def active(self):
        return self.filter(ended_at__isnull=True)


class Commitment(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="commitments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=200)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PARTNER)
    created_at = models.DateTimeField(default=timezone.now)
    ended_at = models.DateTimeField(null=True, blank=True)

    objects = CommitmentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.text


class LogStatus(models.TextChoices):
    KEPT = "kept", "Kept"
    MISSED = "missed", "Missed"


class CommitmentLog(models.Model):
    """Kept or missed on one local day, logged by the person who made it."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="logs")
    day = models.DateField()
    status = models.CharField(max_length=10, choices=LogStatus.choices)
    note = models.CharField("setback note", max_length=500, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [models.UniqueConstraint(fields=["commitment", "day"], name="one_log_per_commitment_day")]

    def __str__(self):
        return f"{self.day}: {self.status}"


# --- Agreements (module 5) ------------------------------------------------------


class AgreementKind(models.TextChoices):
    EXPECTATION = "expectation", "Expectation"
    BOUNDARY = "boundary", "Boundary"


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """Agreements belong to both partners of the couple, and to nobody else."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        if reader.is_therapist:
            return self.none()
        return self.filter(relationship_id__in=reader.relationship_ids)


class Agreement(models.Model):
    """One expectation or boundary and its whole history of wordings."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="agreements")
    kind = models.CharField(max_length=20, choices=AgreementKind.choices, default=AgreementKind.EXPECTATION)
    created_at = models.DateTimeField(default=timezone.now)
    revisit_on = models.DateField(null=True, blank=True)

    objects = AgreementQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self):
        return f"Agreement {self.code}"

    def propose(self, user, text: str) -> "AgreementRevision":
        """A new wording. An accepted one stays in force until a new one is
        accepted; an unanswered or questioned one is simply replaced."""
        self.revisions.filter(status=RevisionStatus.PROPOSED).update(status=RevisionStatus.REPLACED)
        return AgreementRevision.objects.create(agreement=self, text=text.strip(), proposed_by=user)


class RevisionStatus(models.TextChoices):
    PROPOSED = "proposed", "Waiting for an answer"
    ACCEPTED = "accepted", "Agreed"
    CHANGE_ASKED = "change_asked", "A change was asked for"
    REPLACED = "replaced", "Replaced by a newer wording"


class AgreementRevision(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="revisions")
    text = models.CharField(max_length=300)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    status = models.CharField(max_length=20, choices=RevisionStatus.choices, default=RevisionStatus.PROPOSED)
    answered_at = models.DateTimeField(null=True, blank=True)
    change_note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["proposed_at", "pk"]

    def __str__(self):
        return self.text


def default_revisit(today: datetime.date) -> datetime.date:
    return today + datetime.timedelta(weeks=4)
