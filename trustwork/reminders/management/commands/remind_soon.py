"""Make one person's check-in reminder due now, so the next dispatcher run
(beat starts one every minute) sends it. For trying reminders out."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from trustwork.reminders import services
from trustwork.reminders.models import Delivery, Kind, ReminderSchedule


class Command(BaseCommand):
    help = "Make a person's check-in reminder due now; beat's dispatcher sends it within a minute."

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--kind", choices=Kind.values, default=Kind.CHECKIN_OPEN)

    def handle(self, email, kind, **options):
        user = get_user_model().objects.filter(email__iexact=email).first()
        if user is None:
            raise CommandError(f"No account uses {email}.")
        services.reschedule(user)
        row = ReminderSchedule.objects.filter(user=user, kind=kind, next_run_at__isnull=False).first()
        if row is None:
            raise CommandError(
                f"{email} has no {kind} reminder scheduled: reminders are off, there is no complete couple, "
                "or (for the exercise nudge) no exercise in progress."
            )
        # Make it due for this week's check-in rather than next week's.
        period = services.current_period(user)
        if Delivery.objects.filter(recipient=user, kind=kind, period=period).exists():
            raise CommandError(f"This week's {kind} reminder has already gone to {email}; each goes once a week.")
        row.next_run_at, row.period = timezone.now(), period
        row.save(update_fields=["next_run_at", "period"])
        self.stdout.write(
            self.style.SUCCESS(f"The {kind} reminder for {email} is due now; the dispatcher sends it within a minute.")
        )
