"""A partner's weekly check-in and the reflections it carries.

Who may read a check-in is decided in one place: `CheckIn.objects.visible_to`
(the reveal rule; `written_by` is the author's part of it) and
`Reflection.objects.visible_to` (each answer's own visibility on top of it).
Views and templates never decide it themselves.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from trustwork.couples.models import Relationship
from trustwork.privacy import SHARED_WITH_CARE, Visibility, require_reader

REFLECTION_MAX_LENGTH = 5000
DISTRESS_CUTOFF = 13.5  # CSI-4 totals below this suggest notable relationship distress.


class Emotion(models.TextChoices):
    ANGER = "anger", "Anger"
    HURT = "hurt", "Hurt"
    DISAPPOINTMENT = "disappointment", "Disappointment"
    SADNESS = "sadness", "Sadness"
    FEAR = "fear", "Fear"
    ANXIETY = "anxiety", "Anxiety"
    LONELINESS = "loneliness", "Loneliness"
    CONFUSION = "confusion", "Confusion"
    GUILT = "guilt", "Guilt"
    SHAME = "shame", "Shame"
    NUMBNESS = "numbness", "Numbness"
    HOPE = "hope", "Hope"
    RELIEF = "relief", "Relief"
    CALM = "calm", "Calm"
    CLOSENESS = "closeness", "Closeness"
    GRATITUDE = "gratitude", "Gratitude"


class Prompt(models.TextChoices):
    WENT_WELL = "went_well", "What went well this week"
    I_NEED = "i_need", "What I need"
    TO_DISCUSS = "to_discuss", "What I'd like us to talk about"
    COMMITMENTS = "commitments", "Commitments I kept or missed"


def _scale(low, high):
    return [MinValueValidator(low), MaxValueValidator(high)]


def _in_range(field, low, high):
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"checkin_{field}_in_range",
    )


CSI_FIELDS = ("csi_happiness", "csi_warm", "csi_rewarding", "csi_satisfied")
PULSE_FIELDS = ("trust_partner", "felt_heard", "actions_matched_words")


class CheckInQuerySet(models.QuerySet):
    def submitted(self):
        return self.filter(submitted_at__isnull=False)

    def drafts(self):
        return self.filter(submitted_at__isnull=True)

    def visible_to(self, reader):
        """The check-ins `reader` may read (DESIGN section 2), in the reader's
        couples only:

        - the author: their own, drafts included;
        - the other partner: once revealed, that is submitted and either the
          reader has submitted for the same week too, or the author shared
          it after the week ended;
        - a therapist (the care link was checked when the reader was made):
          once revealed between the partners (both submitted, or shared
          early), and only when the author marked at least one answer for care.
        """
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        in_couples = self.filter(relationship_id__in=reader.relationship_ids)
        if reader.is_therapist:
            return in_couples.filter(_revealed_between_partners() & Q(_has_answer_at(SHARED_WITH_CARE)))
        return in_couples.filter(Q(author=reader.user) | _revealed_to(reader.user))

    def written_by(self, reader):
        """The reader's own check-ins, drafts included (the author's part of visible_to)."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        if reader.is_therapist:
            return self.none()
        return self.filter(relationship_id__in=reader.relationship_ids, author=reader.user)


def _revealed_to(user) -> Q:
    """Someone else's check-in that `user`, their partner, may read."""
    reader_is_in = Exists(
        CheckIn.objects.submitted().filter(
            relationship=OuterRef("relationship"), week_start=OuterRef("week_start"), author=user
        )
    )
    return Q(submitted_at__isnull=False) & ~Q(author=user) & (Q(shared_early_at__isnull=False) | Q(reader_is_in))


def _revealed_between_partners() -> Q:
    both_are_in = Exists(
        CheckIn.objects.submitted()
        .filter(relationship=OuterRef("relationship"), week_start=OuterRef("week_start"))
        .exclude(author=OuterRef("author"))
    )
    return Q(submitted_at__isnull=False) & (Q(shared_early_at__isnull=False) | Q(both_are_in))


def _has_answer_at(levels) -> Exists:
    return Exists(Reflection.objects.filter(checkin=OuterRef("pk"), visibility__in=levels).exclude(text=""))


class CheckIn(models.Model):
    """One partner's answers for one check-in week. A draft until submitted."""

    relationship = models.ForeignKey(Relationship, on_delete=models.CASCADE, related_name="checkins")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins")
    week_start = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    submitted_at = models.DateTimeField(null=True, blank=True)
    # Set when the author shares a submitted check-in after its week ended
    # without waiting for the other partner.
    shared_early_at = models.DateTimeField(null=True, blank=True)

    # CSI-4 (Funk and Rogge 2007): item 1 is 0-6, items 2-4 are 0-5.
    csi_happiness = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(0, 6))
    csi_warm = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(0, 5))
    csi_rewarding = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(0, 5))
    csi_satisfied = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(0, 5))
    # The trust pulse, 1-10 each.
    trust_partner = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(1, 10))
    felt_heard = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(1, 10))
    actions_matched_words = models.PositiveSmallIntegerField(null=True, blank=True, validators=_scale(1, 10))
    emotions = models.JSONField(default=list, blank=True)

    objects = CheckInQuerySet.as_manager()

    class Meta:
        ordering = ["-week_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["relationship", "author", "week_start"], name="one_checkin_per_partner_per_week"
            ),
            _in_range("csi_happiness", 0, 6),
            _in_range("csi_warm", 0, 5),
            _in_range("csi_rewarding", 0, 5),
            _in_range("csi_satisfied", 0, 5),
            _in_range("trust_partner", 1, 10),
            _in_range("felt_heard", 1, 10),
            _in_range("actions_matched_words", 1, 10),
            models.CheckConstraint(
                condition=Q(submitted_at__isnull=True)
                | Q(**{f"{field}__isnull": False for field in CSI_FIELDS + PULSE_FIELDS}),
                name="submitted_checkin_is_complete",
            ),
        ]

    def __str__(self):
        return f"Check-in of {self.author} for the week of {self.week_start}"

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def csi_total(self) -> int | None:
        values = [getattr(self, field) for field in CSI_FIELDS]
        return None if None in values else sum(values)

    @property
    def suggests_distress(self) -> bool:
        total = self.csi_total
        return total is not None and total < DISTRESS_CUTOFF

    @property
    def trust_pulse(self) -> float | None:
        values = [getattr(self, field) for field in PULSE_FIELDS]
        return None if None in values else round(sum(values) / len(values), 1)

    def emotion_labels(self) -> list[str]:
        labels = dict(Emotion.choices)
        return [labels[value] for value in self.emotions if value in labels]


class ReflectionQuerySet(models.QuerySet):
    def visible_to(self, reader):
        """Reflections of check-ins `reader` may read (CheckIn.objects.visible_to),
        and of those only what their level allows: the author reads all of
        theirs, the other partner `partner` and `care` ones, a therapist `care`
        ones alone. A private reflection reaches its author and nobody else."""
        reader = require_reader(reader)
        if not reader.relationship_ids:
            return self.none()
        readable = Q(visibility__in=reader.levels)
        if not reader.is_therapist:
            readable |= Q(checkin__author=reader.user)
        return self.filter(checkin__in=CheckIn.objects.visible_to(reader).values("pk")).filter(readable)


class Reflection(models.Model):
    """One free-text answer of a check-in, with its own visibility."""

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="reflections")
    prompt = models.CharField(max_length=20, choices=Prompt.choices)
    text = models.TextField(max_length=REFLECTION_MAX_LENGTH, blank=True)
    visibility = models.CharField(max_length=10, choices=Visibility.choices, default=Visibility.PARTNER)

    objects = ReflectionQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["checkin", "prompt"], name="one_reflection_per_prompt"),
            models.CheckConstraint(
                condition=Q(visibility__in=Visibility.values), name="reflection_visibility_is_known"
            ),
        ]

    def __str__(self):
        return f"{self.get_prompt_display()} ({self.get_visibility_display()})"

    @property
    def prompt_order(self) -> int:
        return Prompt.values.index(self.prompt)
