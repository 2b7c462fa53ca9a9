"""The private safety check (DESIGN section 6).

Its answers, and the resources it showed, belong to the person who took it and
to nobody else: not the partner, not a therapist, not staff in the admin, not
an email. `SafetyCheck.objects.visible_to(user)` is the only way in.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone


class Answer(models.TextChoices):
    YES = "yes", "Yes"
    NO = "no", "No"
    NOT_SURE = "not_sure", "I'm not sure"


class Outcome(models.TextChoices):
    # Named after what the page offers, not after a judgement of anyone.
    SUPPORT_FIRST = "support_first", "Talk to a support service first"
    CHECK_IN_WITH_SOMEONE = "check_in_with_someone", "Talk it through with someone you trust"
    NOTHING_FLAGGED = "nothing_flagged", "Nothing you said points to a safety worry"


# The questions, in order. `worrying` is the answer that points to a safety
# concern: for some questions that is "yes", for others "no".
QUESTIONS = [
    ("afraid", "Are you ever afraid of your partner, or of how they might react?", Answer.YES),
    (
        "hurt_or_threatened",
        "Has your partner hurt you, or threatened to hurt you, anyone close to you, or themselves?",
        Answer.YES,
    ),
    (
        "controlled",
        "Does your partner check your phone or messages, track where you go, or control your money or who you see?",
        Answer.YES,
    ),
    (
        "free_to_disagree",
        "Can you disagree with your partner or say no without worrying about what happens next?",
        Answer.NO,
    ),
    ("safe_if_seen", "Would you feel safe if your partner read what you write in trustwork?", Answer.NO),
]


class SafetyCheckQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Only the person who took a check can ever read it."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(person=user)


class SafetyCheck(models.Model):
    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField(default=timezone.now)
    afraid = models.CharField(max_length=10, choices=Answer.choices)
    hurt_or_threatened = models.CharField(max_length=10, choices=Answer.choices)
    controlled = models.CharField(max_length=10, choices=Answer.choices)
    free_to_disagree = models.CharField(max_length=10, choices=Answer.choices)
    safe_if_seen = models.CharField(max_length=10, choices=Answer.choices)
    # What the result page showed, kept so the person sees the same advice later.
    outcome = models.CharField(max_length=24, choices=Outcome.choices)

    objects = SafetyCheckQuerySet.as_manager()

    class Meta:
        ordering = ["-taken_at", "-pk"]

    def __str__(self):
        # Never the answers: this string may appear in logs or error pages.
        return f"Safety check {self.code}"

    def answers(self):
        """[(question, answer label, worrying?)] in question order."""
        return [
            (text, self.get_answer_display(name), getattr(self, name) == worrying) for name, text, worrying in QUESTIONS
        ]

    def get_answer_display(self, name):
        return Answer(getattr(self, name)).label


def outcome_for(answers: dict) -> str:
    """Which advice to show for a set of answers."""
    worrying = [answers[name] == worrying_answer for name, _, worrying_answer in QUESTIONS]
    if any(worrying):
        return Outcome.SUPPORT_FIRST
    if any(answers[name] == Answer.NOT_SURE for name, _, _ in QUESTIONS):
        return Outcome.CHECK_IN_WITH_SOMEONE
    return Outcome.NOTHING_FLAGGED
