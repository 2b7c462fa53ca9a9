"""Workflows of the exercises: answering a step, completing an exercise,
commitments and their log, agreements and their history.

Each runs in one transaction and raises ExerciseError with a message meant for
the person in front of the screen. Callers have already checked, through
trustwork.couples.access, that the person belongs to the relationship.
"""

import datetime
import re

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from exercises.models import (
    Agreement,
    AgreementKind,
    AgreementRevision,
    Commitment,
    CommitmentLog,
    Completion,
    Exercise,
    Response,
    RevisionStatus,
    Step,
    StepKind,
    default_revisit,
)
from exercises.progress import position_in
from trustwork.couples.models import Relationship
from trustwork.couples.services import bump_version
from trustwork.reminders import services as reminders


class ExerciseError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _lock(relationship) -> None:
    # Serialises the couple's changes (two tabs, a double click, both partners
    # pressing at once), so "both have answered" is decided once.
    Relationship.objects.select_for_update().filter(pk=relationship.pk).first()


def _answered(relationship, exercise, user_ids) -> dict[int, set[int]]:
    answered = {user_id: set() for user_id in user_ids}
    rows = Response.objects.filter(
        relationship=relationship, step__exercise=exercise, author_id__in=user_ids
    ).values_list("author_id", "step_id")
    for author_id, step_id in rows:
        answered[author_id].add(step_id)
    return answered


def position_for(user, relationship, exercise, partner):
    steps = list(exercise.steps.current().order_by("position"))
    ids = [user.pk] + ([partner.pk] if partner else [])
    answered = _answered(relationship, exercise, ids)
    completed = Completion.objects.filter(relationship=relationship, exercise=exercise, person=user).exists()
    partners = answered.get(partner.pk, set()) if partner else set()
    return steps, position_in(steps, answered[user.pk], partners, completed)


def why_step_is_closed(step, steps, position) -> str | None:
    """Why this step can't be answered now, in plain words; None when it is open."""
    if step.is_retired or step not in steps:
        return "This step is no longer part of the exercise."
    if position.completed:
        return "You have completed this exercise, so its answers are settled now."
    if position.step is not None and step.position > position.step.position:
        return "This step isn't open yet. Take the steps before it first; what you wrote here is still in the box."
    return None


def save_answer(user, relationship, step: Step, value: dict) -> Response:
    """Record or change `user`'s answer to `step`. What else an answer does
    (a commitment step's commitment, an agreement step's proposal, the rhythm
    a couple agreed in a schedule step) is its kind's `before_save` and
    `after_save` (exercises/kinds.py), run in the same transaction."""
    partner = relationship.partner_of(user)
    with transaction.atomic():
        _lock(relationship)
        steps, position = position_for(user, relationship, step.exercise, partner)
        problem = why_step_is_closed(step, steps, position)
        if problem:
            raise ExerciseError(problem)
        response = Response.objects.filter(relationship=relationship, step=step, author=user).first()
        now = timezone.now()
        if response is None:
            response = Response(
                relationship=relationship, step=step, author=user, visibility=step.visibility, created_at=now
            )
        kind = step.type
        response.value = kind.before_save(user, relationship, value, previous=response.value or {})
        response.updated_at = now
        response.save()
        kind.after_save(user, relationship)
        _tell_reminders(user, relationship)
        bump_version(relationship)
    return response


def complete_exercise(user, relationship, exercise: Exercise) -> Completion:
    partner = relationship.partner_of(user)
    with transaction.atomic():
        _lock(relationship)
        steps, position = position_for(user, relationship, exercise, partner)
        if position.completed:
            return Completion.objects.get(relationship=relationship, exercise=exercise, person=user)
        if position.waiting:
            raise ExerciseError(
                "One step is shown to both of you only once you have both answered it. "
                "You can complete the exercise after that."
            )
        if position.step is not None:
            raise ExerciseError(f"There is still a step to do: “{position.step.title}”.")
        completion = Completion.objects.create(relationship=relationship, exercise=exercise, person=user)
        _tell_reminders(user, relationship)
        bump_version(relationship)
    return completion


# --- Reminders and the weekly check-in (contracts other apps use) ----------------


def exercise_in_progress(user, relationship) -> bool:
    """Whether `user` has an exercise in this relationship that they started
    and have not completed. Their own answers and completions decide, never
    the partner's: a reminder built on it tells no one what the partner did.
    One query."""
    started = Response.objects.filter(
        relationship=relationship,
        author=user,
        step__is_retired=False,
        step__exercise__is_retired=False,
        step__exercise__module__is_retired=False,
    )
    completed = Completion.objects.filter(relationship=relationship, person=user).values("exercise_id")
    return started.exclude(step__exercise_id__in=completed).exists()


def _tell_reminders(user, relationship) -> None:
    reminders.set_exercise_in_progress(user, exercise_in_progress(user, relationship))


def commitments_for_week(relationship, week_start: datetime.date) -> list[Commitment]:
    """The couple's active commitments with their log entries for the seven
    local days from `week_start` (`commitment.week_logs`), in two queries.

    Both partners' commitments are returned: callers render them for a
    partner of this relationship, and commitments are shared by design
    (exercise steps create them with `partner` visibility). A caller showing
    them to someone else must filter with Commitment.objects.visible_to.
    """
    week_end = week_start + datetime.timedelta(days=7)
    return list(
        Commitment.objects.active()
        .filter(relationship=relationship)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "logs",
                queryset=CommitmentLog.objects.filter(day__gte=week_start, day__lt=week_end).order_by("day"),
                to_attr="week_logs",
            )
        )
    )


# --- Commitments -------------------------------------------------------------------


def add_commitment(user, relationship, text: str) -> Commitment:
    text = re.sub(r"\s+", " ", text).strip()
    if not text:
        raise ExerciseError("Write your commitment as one plain sentence.")
    with transaction.atomic():
        _lock(relationship)
        if Commitment.objects.active().filter(relationship=relationship, author=user).count() >= 5:
            raise ExerciseError(
                "You already have five commitments running. Fewer, smaller ones are easier to keep: "
                "consider ending one before adding another."
            )
        bump_version(relationship)
        return Commitment.objects.create(relationship=relationship, author=user, text=text)


def log_commitment(user, commitment: Commitment, day: datetime.date, status: str, note: str) -> CommitmentLog:
    if commitment.author_id != user.pk:
        # Each person logs their own commitments: the tracker is never a way
        # to keep watch over a partner.
        raise ExerciseError("Only the person who made a commitment can log it.")
    if commitment.ended_at:
        raise ExerciseError("This commitment has ended, so it can't be logged any more.")
    with transaction.atomic():
        log, _ = CommitmentLog.objects.update_or_create(
            commitment=commitment, day=day, defaults={"status": status, "note": note.strip()}
        )
        bump_version(commitment.relationship_id)
    return log


def end_commitment(user, commitment: Commitment) -> None:
    if commitment.author_id != user.pk:
        raise ExerciseError("Only the person who made a commitment can end it.")
    with transaction.atomic():
        if Commitment.objects.filter(pk=commitment.pk, ended_at__isnull=True).update(ended_at=timezone.now()):
            bump_version(commitment.relationship_id)


# --- Agreements --------------------------------------------------------------------


def propose_agreement(user, relationship, text: str, kind: str) -> Agreement:
    with transaction.atomic():
        _lock(relationship)
        agreement = Agreement.objects.create(relationship=relationship, kind=kind or AgreementKind.EXPECTATION)
        AgreementRevision.objects.create(agreement=agreement, text=text.strip(), proposed_by=user)
        bump_version(relationship)
    return agreement


def propose_change(user, agreement: Agreement, text: str) -> AgreementRevision:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        latest = agreement.revisions.order_by("-proposed_at", "-pk").first()
        if latest and latest.text == text.strip() and latest.status != RevisionStatus.CHANGE_ASKED:
            raise ExerciseError("That is the same wording as now. Change it in the way you'd like, then send it.")
        bump_version(agreement.relationship_id)
        return agreement.propose(user, text)


def respond_to_agreement(user, agreement: Agreement, accept: bool, revisit_on=None, change_note="") -> None:
    with transaction.atomic():
        agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
        pending = agreement.revisions.filter(status=RevisionStatus.PROPOSED).order_by("-proposed_at", "-pk").first()
        if pending is None:
            raise ExerciseError("There is no proposal waiting for an answer here.")
        if pending.proposed_by_id == user.pk:
            raise ExerciseError("This is your own proposal, so it is your partner's turn to answer it.")
        now = timezone.now()
        if accept:
            agreement.revisions.filter(status=RevisionStatus.ACCEPTED).update(status=RevisionStatus.REPLACED)
            pending.status = RevisionStatus.ACCEPTED
            agreement.revisit_on = revisit_on
            agreement.save(update_fields=["revisit_on"])
        else:
            pending.status = RevisionStatus.CHANGE_ASKED
            pending.change_note = change_note.strip()
        pending.answered_at = now
        pending.save(update_fields=["status", "change_note", "answered_at"])
        bump_version(agreement.relationship_id)


REVISIT_CHOICES = {
    "In two weeks": datetime.timedelta(weeks=2),
    "In one month": datetime.timedelta(weeks=4),
    "In six weeks": datetime.timedelta(weeks=6),
    "In three months": datetime.timedelta(weeks=13),
}


def suggested_revisit(relationship, today: datetime.date) -> datetime.date:
    """The date the couple chose in module 5 ("When to look again"), counted
    from today, when both gave the same answer; otherwise four weeks."""
    choices = list(
        Response.objects.filter(
            relationship=relationship,
            step__kind=StepKind.CHOICE,
            step__exercise__module__slug="realistic-expectations",
            step__key__in=["revisit-when", "next-revisit"],
        )
        .order_by("-updated_at")
        .values_list("author_id", "value")
    )
    by_author = {}
    for author_id, value in choices:
        by_author.setdefault(author_id, value.get("choices", [None])[0])
    picked = set(by_author.values())
    if len(by_author) == 2 and len(picked) == 1 and (choice := picked.pop()) in REVISIT_CHOICES:
        return today + REVISIT_CHOICES[choice]
    return default_revisit(today)
