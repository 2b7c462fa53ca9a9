import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from timezone_field import TimeZoneField

from trustwork.rhythm import Rhythm


class Kind(models.TextChoices):
    """What a reminder says. None of them carries content or news of the partner."""

    CHECKIN_OPEN = "checkin_open", "Your check-in for this week is open"
    CHECKIN_FOLLOW_UP = "checkin_follow_up", "A gentle follow-up before the week ends"
    # Goes only to someone with an exercise of their own in progress: their own
    # answers and completions decide, never the partner's.
    EXERCISE_WAITING = "exercise_waiting", "An exercise you started is there when you are ready"


# How the settings page lists what is coming: the last two only go out when
# they still apply, and the page says so.
UPCOMING_LABELS = {
    Kind.CHECKIN_OPEN: "Check-in reminder",
    Kind.CHECKIN_FOLLOW_UP: "Follow-up, only if you haven't checked in by then",
    Kind.EXERCISE_WAITING: "Exercise nudge, while you have an exercise in progress",
}


class Timing(models.TextChoices):
    DAY_OF = "day_of", "On our check-in day, at the time I choose"
    HOUR_BEFORE = "hour_before", "An hour before our check-in time"


class Channel(models.TextChoices):
    EMAIL = "email", "Email"


class ReminderPreference(models.Model):
    """One person's reminder choices. Times are wall times in the person's own zone."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_preference")
    enabled = models.BooleanField("send me reminders", default=True)
    channel = models.CharField(max_length=16, choices=Channel.choices, default=Channel.EMAIL)
    timing = models.CharField(max_length=16, choices=Timing.choices, default=Timing.DAY_OF)
    remind_at = models.TimeField("time of day", default=datetime.time(9, 0))
    quiet_start = models.TimeField("quiet hours start", null=True, blank=True)
    quiet_end = models.TimeField("quiet hours end", null=True, blank=True)
    exercise_nudges = models.BooleanField("exercise nudges", default=True)
    # The secret of the private calendar feed; resetting it retires the old address.
    calendar_token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(quiet_start__isnull=True, quiet_end__isnull=True)
                | Q(quiet_start__isnull=False, quiet_end__isnull=False),
                name="quiet_hours_have_both_ends",
            ),
        ]

    def __str__(self):
        return f"Reminder preferences of {self.user}"

    def wants(self, kind: str) -> bool:
        if not self.enabled:
            return False
        return kind != Kind.EXERCISE_WAITING or self.exercise_nudges


class ReminderFacts(models.Model):
    """What one person's reminders depend on beyond their own choices, as the
    apps above last told us (trustwork.reminders.services.follow_rhythm and
    set_exercise_in_progress): the check-in rhythm of their couple, and
    whether they have an exercise of their own in progress.

    A copy, so that scheduling and sending never read the couple's tables.
    No rhythm means no complete couple, so no check-in reminders.
    """

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_facts")
    checkin_weekday = models.PositiveSmallIntegerField(null=True, blank=True)
    checkin_time = models.TimeField(null=True, blank=True)
    checkin_zone = TimeZoneField(blank=True)  # stored as "" when there is no rhythm
    exercise_in_progress = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "reminder facts"
        constraints = [
            models.CheckConstraint(
                condition=Q(checkin_weekday__isnull=True, checkin_time__isnull=True, checkin_zone="")
                | (Q(checkin_weekday__isnull=False, checkin_time__isnull=False) & ~Q(checkin_zone="")),
                name="rhythm_whole_or_none",
            ),
        ]

    def __str__(self):
        return f"What the reminders of {self.user} go by"

    @property
    def rhythm(self) -> Rhythm | None:
        if self.checkin_weekday is None:
            return None
        return Rhythm(self.checkin_weekday, self.checkin_time, self.checkin_zone)


class ScheduleQuerySet(models.QuerySet):
    def due(self, now=None):
        return self.filter(next_run_at__lte=now or timezone.now())


class ReminderSchedule(models.Model):
    """When one person's next reminder of one kind fires, in UTC.

    Computed from their wall time and zone (see schedule.py); null when there
    is nothing to send (reminders off, no complete couple, or for the exercise
    nudge no exercise in progress).
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    next_run_at = models.DateTimeField(null=True, blank=True)
    # The check-in week (its week_start) that the next reminder belongs to.
    period = models.DateField(null=True, blank=True)

    objects = ScheduleQuerySet.as_manager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_schedule_per_person_and_kind")]
        indexes = [models.Index(fields=["next_run_at"], name="reminder_schedule_due")]

    def __str__(self):
        return f"{self.get_kind_display()} for {self.user} at {self.next_run_at}"

    @property
    def upcoming_label(self) -> str:
        return UPCOMING_LABELS[self.kind]


class DeliveryQuerySet(models.QuerySet):
    def unsent(self):
        return self.filter(sent_at__isnull=True, cancelled_at__isnull=True, failed_at__isnull=True)


class Delivery(models.Model):
    """One reminder to one person for one check-in week: written once, sent once."""

    code = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=32, choices=Kind.choices)
    period = models.DateField()
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    # The dispatcher run that wrote this row: how it finds which rows it wrote.
    batch = models.UUIDField(null=True, blank=True, editable=False)

    objects = DeliveryQuerySet.as_manager()

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "period"], name="one_delivery_per_kind_and_week"),
        ]
        indexes = [
            models.Index(fields=["created_at"], name="reminder_delivery_unsent", condition=Q(sent_at__isnull=True))
        ]

    def __str__(self):
        return f"{self.get_kind_display()} to {self.recipient} for the week of {self.period}"
