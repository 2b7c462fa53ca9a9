"""Reminder workflows: keep each person's next time right, claim what is due,
send each reminder once.

Reminders sit at the bottom of the layers, beside accounts: this package
imports none of our apps. The apps above tell it, by explicit calls inside
their own transactions, the few facts a reminder depends on:

- `follow_rhythm(users, rhythm)`: trustwork.couples, when a couple becomes
  complete, changes its rhythm or ends;
- `reschedule(user)`: whoever changes a person's time zone;
- `checked_in(user, period)`: checkins, when a check-in is submitted;
- `set_exercise_in_progress(user, in_progress)`: exercises, from the person's
  own answers and completions.

Exactly once, in three layers:
1. the dispatcher claims due schedule rows with SELECT ... FOR UPDATE SKIP
   LOCKED on PostgreSQL (SQLite has one writer at a time: its transactions
   begin IMMEDIATE), so two dispatchers at once take different rows;
2. each reminder is a Delivery row, unique per (recipient, kind, week), so a
   second dispatcher run, a restored row or a retried batch writes nothing new;
3. the send marks each Delivery sent with a conditional update that must
   change exactly one row, then hands the message over, in one transaction:
   the update holds the row lock until the commit, so a task delivered twice,
   or redelivered after a worker died, waits and then finds it already sent.
The one moment nobody can close is between the mail server accepting a
message and our commit; it lasts a few milliseconds.
"""

import contextlib
import datetime
import logging
import smtplib
import uuid
import zoneinfo
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.db import DatabaseError, connection, transaction
from django.db.models import CharField, F
from django.db.models.functions import Cast
from django.urls import reverse
from django.utils import timezone

from trustwork.mail import build_message
from trustwork.reminders import schedule
from trustwork.reminders.models import Delivery, Kind, ReminderFacts, ReminderPreference, ReminderSchedule, Timing
from trustwork.rhythm import Rhythm

log = logging.getLogger(__name__)

HOUR = datetime.timedelta(hours=1)
# A reminder that could not go out within this long after its time is not
# worth sending any more ("your check-in is open" on the week's last day).
STALE_AFTER = datetime.timedelta(hours=12)
# Deliveries still unsent this long after they were written lost their task
# (a broker restart, a worker killed before it acknowledged): send them again.
STALLED_AFTER = datetime.timedelta(minutes=10)
UNSUBSCRIBE_SALT = "trustwork.reminders.unsubscribe"
UNSUBSCRIBE_LINK_LIFETIME = datetime.timedelta(days=90)
DISPATCH_BATCH_SIZE = 2000
# Reminders per send task: one task, one query to load them, one mail connection.
SEND_BATCH_SIZE = 250
# Errors worth another try: the mail server is down, slow or busy.
TRANSIENT_MAIL_ERRORS = (smtplib.SMTPException, OSError)

# Which day of the check-in week each day-based reminder fires on, counted
# from the check-in day (0) to the week's last day (6).
DAY_IN_WEEK = {Kind.CHECKIN_OPEN: 0, Kind.EXERCISE_WAITING: 3, Kind.CHECKIN_FOLLOW_UP: 6}
# The kinds that a submitted check-in settles for its week.
CHECKIN_KINDS = (Kind.CHECKIN_OPEN, Kind.CHECKIN_FOLLOW_UP)


class ReminderError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def preference_for(user) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.get_or_create(user=user)
    return preference


def rhythm_of(user) -> Rhythm | None:
    """The check-in rhythm this person's reminders follow; None outside a complete couple."""
    facts = ReminderFacts.objects.filter(user=user).first()
    return facts.rhythm if facts else None


def current_period(user, now=None) -> datetime.date | None:
    """The week_start of this person's current check-in week, or None."""
    rhythm = rhythm_of(user)
    return rhythm.current_week_start(now) if rhythm else None


# --- What the apps above tell us ---------------------------------------------


def follow_rhythm(users, rhythm: Rhythm | None, now=None) -> None:
    """These people now check in on `rhythm`; None: they are not in a complete
    couple any more, so no check-in reminders, and what has not gone yet is
    cancelled (in the caller's transaction: a send waiting on a delivery's row
    lock then finds it cancelled). Ending a couple also ends whatever exercise
    was in progress in it."""
    users = list(users)
    if not users:
        return
    now = now or timezone.now()
    if rhythm is None:
        facts = {"checkin_weekday": None, "checkin_time": None, "checkin_zone": None, "exercise_in_progress": False}
    else:
        facts = {"checkin_weekday": rhythm.weekday, "checkin_time": rhythm.time, "checkin_zone": rhythm.zone}
    ReminderFacts.objects.bulk_create(
        [ReminderFacts(user=user, updated_at=now, **facts) for user in users],
        update_conflicts=True,
        unique_fields=["user"],
        update_fields=[*facts, "updated_at"],
    )
    if rhythm is None:
        Delivery.objects.unsent().filter(recipient__in=users).update(cancelled_at=now)
    for user in users:
        reschedule(user, now)


def reschedule(user, now=None) -> None:
    """Recompute this person's next reminder times (after a change of their
    preferences, their time zone, or what follow_rhythm and
    set_exercise_in_progress told us)."""
    now = now or timezone.now()
    preference = preference_for(user)
    facts = ReminderFacts.objects.filter(user=user).first()
    rows = []
    for kind in Kind.values:
        next_run_at = period = None
        if _applies(kind, preference, facts):
            next_run_at, period = next_reminder(kind, preference, user.time_zone, facts.rhythm, now)
        rows.append(ReminderSchedule(user=user, kind=kind, next_run_at=next_run_at, period=period))
    ReminderSchedule.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["next_run_at", "period"]
    )


def checked_in(user, period: datetime.date, now=None) -> None:
    """This person's check-in for the week of `period` is in: no more
    check-in reminders go for that week.

    Written as cancelled deliveries under the same unique constraint the
    dispatcher writes under, so whichever comes second for a (person, kind,
    week) writes nothing; one already written and not sent yet is cancelled,
    in the caller's transaction."""
    now = now or timezone.now()
    settled = [
        Delivery(recipient=user, kind=kind, period=period, created_at=now, cancelled_at=now) for kind in CHECKIN_KINDS
    ]
    Delivery.objects.bulk_create(settled, ignore_conflicts=True)
    Delivery.objects.unsent().filter(recipient=user, kind__in=CHECKIN_KINDS, period=period).update(cancelled_at=now)


def set_exercise_in_progress(user, in_progress: bool, now=None) -> None:
    """Whether this person has an exercise they started and have not
    completed: the exercise nudge goes only then. The caller decides it from
    the person's own answers and completions, never from the partner's, so a
    nudge tells no one that the partner was active."""
    facts, created = ReminderFacts.objects.get_or_create(user=user, defaults={"exercise_in_progress": in_progress})
    if not created:
        if facts.exercise_in_progress == in_progress:
            return
        facts.exercise_in_progress = in_progress
        facts.save(update_fields=["exercise_in_progress", "updated_at"])
    now = now or timezone.now()
    if not in_progress:
        Delivery.objects.unsent().filter(recipient=user, kind=Kind.EXERCISE_WAITING).update(cancelled_at=now)
    reschedule(user, now)


# --- A person's own choices ----------------------------------------------------


def save_preferences(user, preference: ReminderPreference, time_zone: zoneinfo.ZoneInfo) -> None:
    with transaction.atomic():
        preference.save()
        if user.time_zone != time_zone:
            user.time_zone = time_zone
            user.save(update_fields=["time_zone"])
        reschedule(user)
        _cancel_unwanted(user, preference)


def _cancel_unwanted(user, preference: ReminderPreference) -> None:
    """Cancel the unsent reminders of the kinds this person no longer wants
    (all of them with reminders off, the nudges with nudges off)."""
    unwanted = [kind for kind in Kind.values if not preference.wants(kind)]
    if unwanted:
        Delivery.objects.unsent().filter(recipient=user, kind__in=unwanted).update(cancelled_at=timezone.now())


def upcoming_for(user) -> list[ReminderSchedule]:
    """This person's scheduled reminders, soonest first."""
    return list(ReminderSchedule.objects.filter(user=user, next_run_at__isnull=False).order_by("next_run_at"))


# --- When ------------------------------------------------------------------------


def _applies(kind: str, preference: ReminderPreference | None, facts: ReminderFacts | None) -> bool:
    """Whether a reminder of `kind` is for this person at all: they want it,
    they are in a complete couple, and a nudge has an exercise to nudge about."""
    if preference is None or facts is None or facts.rhythm is None or not preference.wants(kind):
        return False
    return kind != Kind.EXERCISE_WAITING or facts.exercise_in_progress


def next_reminder(
    kind: str, preference: ReminderPreference, person_zone: zoneinfo.ZoneInfo, rhythm: Rhythm, after
) -> tuple[datetime.datetime, datetime.date]:
    """The next time `kind` fires for this person strictly after `after`, and
    the check-in week it belongs to. Pure: reads only its arguments."""
    if kind == Kind.CHECKIN_OPEN and preference.timing == Timing.HOUR_BEFORE:
        # The couple's check-in time lives in the rhythm's zone.
        meeting = schedule.next_weekly(after + HOUR, rhythm.weekday, rhythm.time, rhythm.zone)
        fire_at, anchor = meeting - HOUR, meeting
    else:
        weekday = (rhythm.weekday + DAY_IN_WEEK[kind]) % 7
        fire_at = anchor = schedule.next_weekly(after, weekday, preference.remind_at, person_zone)
    fire_at = schedule.after_quiet_hours(fire_at, person_zone, preference.quiet_start, preference.quiet_end)
    return fire_at, rhythm.week_start_for(anchor)


def _zone_or_utc(name: str) -> zoneinfo.ZoneInfo:
    # Forms store only known zones; a name the tz database no longer knows
    # (or one written some other way) must not hold up everyone else's
    # reminders in the same batch, so it falls back to UTC.
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        log.warning("Unknown time zone %r; reminders use UTC for it", name)
        return zoneinfo.ZoneInfo("UTC")


# --- Dispatch ----------------------------------------------------------------------


@dataclass(frozen=True)
class Claimed:
    """One dispatcher chunk, committed."""

    rows: int  # schedule rows claimed; fewer than asked for means nothing more is due
    delivery_ids: list[int]  # the deliveries it wrote, to be sent


def claim_due_reminders(now=None, batch_size=DISPATCH_BATCH_SIZE) -> Claimed:
    """Claim up to `batch_size` due schedule rows, write their deliveries and
    move each row to its next time, in one transaction. Returns the new
    deliveries' ids for the caller to send (reminders.tasks enqueues them)."""
    now = now or timezone.now()
    with transaction.atomic():
        rows = list(
            ReminderSchedule.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_run_at")
            .values_list("pk", "user_id", "kind", "next_run_at", "period", named=True)[:batch_size]
        )
        if not rows:
            return Claimed(0, [])
        user_ids = {row.user_id for row in rows}
        # Read as text, not as a zone: see _zone_or_utc.
        zone_names = dict(
            get_user_model()
            .objects.filter(pk__in=user_ids)
            .values_list("pk", Cast("time_zone", output_field=CharField()))
        )
        preferences = ReminderPreference.objects.in_bulk(user_ids, field_name="user_id")
        facts = ReminderFacts.objects.in_bulk(user_ids, field_name="user_id")

        batch = uuid.uuid4()
        deliveries = []
        next_times = {}
        for row in rows:
            preference, person = preferences.get(row.user_id), facts.get(row.user_id)
            if not _applies(row.kind, preference, person):
                next_times[row.pk] = (None, None)
                continue
            if row.period is not None and now - row.next_run_at <= STALE_AFTER:
                deliveries.append(
                    Delivery(recipient_id=row.user_id, kind=row.kind, period=row.period, batch=batch, created_at=now)
                )
            zone = _zone_or_utc(zone_names[row.user_id])
            next_times[row.pk] = next_reminder(row.kind, preference, zone, person.rhythm, max(now, row.next_run_at))
        _save_next_times(next_times)
        # A (recipient, kind, week) that already has its delivery (sent, or
        # cancelled by a check-in) is skipped by the unique constraint:
        # whatever ran before, it is sent once.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        new_ids = list(
            Delivery.objects.filter(batch=batch, recipient_id__in=user_ids).order_by("pk").values_list("pk", flat=True)
        )
    return Claimed(len(rows), new_ids)


def _save_next_times(next_times: dict) -> None:
    """People due in the same minute mostly share their next time too (same
    wall time, same zone, a week on), so one UPDATE per distinct time is a
    handful of queries, and far cheaper than bulk_update's CASE per row."""
    groups = defaultdict(list)
    for pk, next_time in next_times.items():
        groups[next_time].append(pk)
    for (next_run_at, period), ids in groups.items():
        ReminderSchedule.objects.filter(pk__in=ids).update(next_run_at=next_run_at, period=period)


def stalled_deliveries(now=None, older_than=STALLED_AFTER) -> list[int]:
    """The deliveries whose task was lost, to be enqueued again. Sending is
    idempotent, so a delivery whose task is merely slow is not sent twice."""
    now = now or timezone.now()
    return list(
        Delivery.objects.unsent()
        .filter(created_at__lte=now - older_than, created_at__gte=now - STALE_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )


# --- Send --------------------------------------------------------------------------


def unsubscribe_token(user) -> str:
    return signing.dumps(str(user.code), salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("reminders:unsubscribe", args=[unsubscribe_token(user)])


def build_reminder_message(delivery: Delivery):
    """The email for one delivery: its person's name and their own signed
    unsubscribe link, nothing about anyone else."""
    user = delivery.recipient
    link = unsubscribe_url(user)
    headers = {
        # One stable id per delivery: a mail server that sees it twice may drop the copy.
        "Message-ID": f"<reminder-{delivery.code}@trustwork>",
        "List-Unsubscribe": f"<{link}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "Auto-Submitted": "auto-generated",
    }
    context = {
        "kind": delivery.kind,
        "display_name": user.display_name,
        "unsubscribe_url": link,
        "settings_path": reverse("reminders:settings"),
    }
    return build_message(f"reminders/email/{delivery.kind}", user.email, context, headers)


def _still_wanted(delivery: Delivery) -> bool:
    recipient = delivery.recipient
    return _applies(
        delivery.kind, getattr(recipient, "reminder_preference", None), getattr(recipient, "reminder_facts", None)
    )


def _deliveries_to_send(delivery_ids) -> list[Delivery]:
    """The unsent deliveries among these ids, with what their emails need, in
    one query; those whose person no longer wants them are cancelled."""
    deliveries = list(
        Delivery.objects.unsent()
        .filter(pk__in=delivery_ids)
        .select_related("recipient__reminder_preference", "recipient__reminder_facts")
        # An email needs no time zone, and a name the tz database no longer
        # knows must not stop the rest of the batch (see _zone_or_utc).
        .defer("recipient__time_zone")
        .order_by("pk")
    )
    unwanted = [delivery.pk for delivery in deliveries if not _still_wanted(delivery)]
    if unwanted:
        Delivery.objects.filter(pk__in=unwanted).unsent().update(cancelled_at=timezone.now())
    return [delivery for delivery in deliveries if delivery.pk not in unwanted]


_MARK_SENT = (
    f"UPDATE {Delivery._meta.db_table} SET sent_at = %s"  # noqa: S608 (our own table name)
    " WHERE id = %s AND sent_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL"
)
# On PostgreSQL the same statement also makes its transaction's commit not
# wait for the disk: the commit is visible to every other session at once, as
# always, but one WAL flush per reminder would cap a fan-out at the disk's few
# hundred flushes a second. A killed worker loses nothing by it; only a crash
# of PostgreSQL itself can lose the last fraction of a second of marks, and
# those reminders then go out a second time (with the same Message-ID).
# set_config(..., true) is SET LOCAL as a function, so it rides in the UPDATE:
# one round trip, and applied only when the row is there to be marked.
_MARK_SENT_POSTGRESQL = (
    f"UPDATE {Delivery._meta.db_table} SET sent_at = %s"  # noqa: S608 (our own table name)
    " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS commit_mode"
    " WHERE id = %s AND sent_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL"
)


def _mark_sent(delivery_id: int) -> bool:
    """Mark one delivery sent if it is still unsent (not sent, cancelled or
    failed): the claim. Its UPDATE takes the row lock (on SQLite, the
    database's write lock) and holds it to the end of the caller's
    transaction. SQL of our own because it runs once per reminder, and the ORM
    takes longer to build this statement than the database takes to run it."""
    sql = _MARK_SENT_POSTGRESQL if connection.vendor == "postgresql" else _MARK_SENT
    with connection.cursor() as cursor:
        cursor.execute(sql, [connection.ops.adapt_datetimefield_value(timezone.now()), delivery_id])
        return cursor.rowcount == 1


def _claim_and_send(delivery: Delivery, message, mail_connection) -> bool:
    """Mark the delivery sent and hand its message to the mail server, in one
    transaction. A copy of the task sending the same delivery waits on the row
    lock, then finds it sent; a mail error rolls the mark back. Whatever turns a
    reminder off (unsubscribing, reminders or nudges off, the couple ending, a
    check-in submitted) cancels the unsent ones in its own transaction, so the
    claim, under the same lock, never sends one that is no longer wanted."""
    with transaction.atomic():
        if not _mark_sent(delivery.pk):
            return False
        mail_connection.send_messages([message])
    return True


def send_delivery(delivery_id: int, connection=None) -> bool:
    """Send one reminder unless it was already sent. True when this call sent it.

    Mail errors propagate and leave the row unsent.
    """
    deliveries = _deliveries_to_send([delivery_id])
    if not deliveries:
        return False
    return _claim_and_send(deliveries[0], build_reminder_message(deliveries[0]), connection or mail.mailers.default)


def send_deliveries(delivery_ids) -> list[int]:
    """Send a batch of reminders over one mail connection. Returns the ids that
    met a transient mail error (to retry); a reminder that can never go is
    marked failed.

    One query loads the batch; then each reminder is marked sent in its own
    short transaction, so a worker killed halfway leaves every reminder it
    handed over marked sent, and the rest unsent for the requeue.
    """
    failed = []
    pending = _deliveries_to_send(delivery_ids)
    mail_connection = mail.mailers.default
    try:
        for position, delivery in enumerate(pending):
            try:
                mail_connection.open()  # no-op while open; a new connection after an error
            except TRANSIENT_MAIL_ERRORS as error:
                # No mail server now: the rest of the batch waits for the retry
                # rather than each paying for its own connection timeout.
                rest = [d.pk for d in pending[position:]]
                log.warning("Reminders %s not sent yet: %r", rest, error)
                failed += rest
                break
            try:
                _claim_and_send(delivery, build_reminder_message(delivery), mail_connection)
            except TRANSIENT_MAIL_ERRORS as error:
                log.warning("Reminder %s not sent yet: %r", delivery.pk, error)
                failed.append(delivery.pk)
                with contextlib.suppress(*TRANSIENT_MAIL_ERRORS):
                    mail_connection.close()
            except DatabaseError:
                raise  # the task fails and the periodic requeue tries again
            except Exception:
                log.exception("Reminder %s cannot be sent", delivery.pk)
                note_failed_attempts([delivery.pk], give_up=True)
    finally:
        with contextlib.suppress(*TRANSIENT_MAIL_ERRORS):
            mail_connection.close()
    return failed


def note_failed_attempts(delivery_ids, give_up: bool) -> None:
    changes = {"attempts": F("attempts") + 1}
    if give_up:
        changes["failed_at"] = timezone.now()
    Delivery.objects.filter(pk__in=delivery_ids, sent_at__isnull=True).update(**changes)


# --- Unsubscribe and calendar -------------------------------------------------------


EXPIRED_LINK = (
    "This unsubscribe link has expired. Sign in and turn reminders off in your reminder settings, "
    "or use the link in a newer reminder."
)
BAD_LINK = (
    "This unsubscribe link isn't valid. Check that you copied the whole link, "
    "or sign in and turn reminders off in your reminder settings."
)
GONE_ACCOUNT = "We couldn't find the account this link belongs to. It may have been deleted."


def unsubscribe(token: str):
    """Turn reminders off for the person the signed token names."""
    problem = unsubscribe_problem(token)
    if problem:
        raise ReminderError(problem)
    user = get_user_model().objects.get(code=signing.loads(token, salt=UNSUBSCRIBE_SALT))
    with transaction.atomic():
        preference = preference_for(user)
        if preference.enabled:
            preference.enabled = False
            preference.save(update_fields=["enabled", "updated_at"])
        reschedule(user)
        Delivery.objects.unsent().filter(recipient=user).update(cancelled_at=timezone.now())
    return user


def unsubscribe_problem(token: str) -> str | None:
    """What is wrong with an unsubscribe link, in plain words, or None."""
    try:
        code = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_LIFETIME)
    except signing.SignatureExpired:
        return EXPIRED_LINK
    except signing.BadSignature:
        return BAD_LINK
    if not get_user_model().objects.filter(code=code).exists():
        return GONE_ACCOUNT
    return None


def reset_calendar_token(user) -> ReminderPreference:
    preference = preference_for(user)
    preference.calendar_token = uuid.uuid4()
    preference.save(update_fields=["calendar_token", "updated_at"])
    return preference


def calendar_path(preference: ReminderPreference) -> str:
    return reverse("reminders:calendar", args=[preference.calendar_token])
