"""Workflows of the weekly check-in: keep a draft, submit, share early.

Each runs in one transaction, takes a row lock on the person's own check-in,
and raises CheckInError with a message meant for the person in front of the
screen. Nothing here decides who may read what: that is CheckIn.objects.visible_to.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from checkins.models import CheckIn, Reflection
from trustwork.couples.services import bump_version
from trustwork.reminders import services as reminders


class CheckInError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class AlreadySubmitted(CheckInError):
    """A harmless repeat: a second tab, a double click, the back button."""

    def __init__(self, checkin: CheckIn):
        super().__init__("You already sent this week's check-in, so nothing changed. Here it is.")
        self.checkin = checkin


WEEK_IS_OVER = (
    "This page was opened in a week that has now ended, so nothing was sent yet. "
    "Your answers are still here: look them over and send them as this week's check-in."
)


def _require_current_week(relationship, week_start: datetime.date, now=None) -> None:
    if week_start != relationship.rhythm.current_week_start(now):
        raise CheckInError(WEEK_IS_OVER)


def _locked_checkin(relationship, author, week_start) -> CheckIn:
    """The person's check-in for that week, created if needed, locked for this transaction."""
    try:
        with transaction.atomic():
            _, created = CheckIn.objects.get_or_create(relationship=relationship, author=author, week_start=week_start)
        if created:
            bump_version(relationship)  # the couple's pages now show a check-in begun
    except IntegrityError:
        # Another request of the same person created it a moment ago.
        pass
    return CheckIn.objects.select_for_update().get(relationship=relationship, author=author, week_start=week_start)


def _apply_answers(checkin: CheckIn, answers: dict) -> None:
    reflections = answers.get("reflections", {})
    for name, value in answers.items():
        if name != "reflections":
            setattr(checkin, name, value)
    checkin.updated_at = timezone.now()
    checkin.save()
    for prompt, (text, visibility) in reflections.items():
        Reflection.objects.update_or_create(
            checkin=checkin, prompt=prompt, defaults={"text": text, "visibility": visibility}
        )


def _write(relationship, author, week_start, answers: dict, now, submit: bool) -> CheckIn:
    _require_current_week(relationship, week_start, now)
    with transaction.atomic():
        checkin = _locked_checkin(relationship, author, week_start)
        if checkin.is_submitted:
            raise AlreadySubmitted(checkin)
        _apply_answers(checkin, answers)
        if submit:
            checkin.submitted_at = now or timezone.now()
            checkin.save(update_fields=["submitted_at"])
            bump_version(relationship)
            # This week's check-in reminders are done, in this transaction.
            reminders.checked_in(author, week_start)
    return checkin


def save_draft(relationship, author, week_start, answers: dict, now=None) -> CheckIn:
    """Keep what the person has typed so far. A submitted check-in is final."""
    return _write(relationship, author, week_start, answers, now, submit=False)


def submit_checkin(relationship, author, week_start, answers: dict, now=None) -> CheckIn:
    """Make this week's check-in final. A second submit changes nothing."""
    return _write(relationship, author, week_start, answers, now, submit=True)


def share_early(checkin: CheckIn, author, now=None) -> CheckIn:
    """After its week has ended, the author may show a check-in to their
    partner without waiting for the partner's own."""
    now = now or timezone.now()
    if checkin.author_id != author.pk:
        raise CheckInError("Only the person who wrote a check-in can share it.")
    if not checkin.is_submitted:
        raise CheckInError("Only a check-in that was sent can be shared.")
    if not checkin.relationship.rhythm.has_ended(checkin.week_start, now):
        raise CheckInError(
            "This week is still open. Your answers appear side by side as soon as you have both checked in."
        )
    with transaction.atomic():
        if CheckIn.objects.filter(pk=checkin.pk, shared_early_at__isnull=True).update(shared_early_at=now):
            bump_version(checkin.relationship_id)
    checkin.refresh_from_db(fields=["shared_early_at"])
    return checkin
