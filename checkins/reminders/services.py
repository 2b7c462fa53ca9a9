"""Reminder workflows: keep each person's next time right, claim what is due,
send each reminder once.

Exactly once, in three layers:
1. the dispatcher claims due schedule rows with SELECT ... FOR UPDATE SKIP
   LOCKED, so two dispatchers at once take different rows;
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

from django.conf import settings
from django.core import mail, signing
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from checkins.reminders import schedule
from checkins.reminders.emails import KindTemplates, ReminderEmail
from checkins.reminders.models import Delivery, Kind, ReminderPreference, ReminderSchedule, Timing
from trustwork.accounts.models import User
from trustwork.couples.models import Membership, Relationship

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


class ReminderError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def preference_for(user) -> ReminderPreference:
    preference, _ = ReminderPreference.objects.get_or_create(user=user)
    return preference


# --- When -----------------------------------------------------------------


def next_reminder(
    kind: str, preference: ReminderPreference, person_zone: str, relationship, after: datetime.datetime
) -> tuple[datetime.datetime, datetime.date]:
    """The next time `kind` fires for this person strictly after `after`, and
    the check-in week it belongs to. Pure: reads only its arguments."""

    zone = _zone_or_utc(person_zone)
    if kind == Kind.CHECKIN_OPEN and preference.timing == Timing.HOUR_BEFORE:
        # The couple's check-in time lives in the relationship's zone.
        meeting = schedule.next_weekly(
            after + HOUR,
            relationship.checkin_weekday,
            relationship.checkin_time,
            schedule.zone_named(relationship.time_zone),
        )
        fire_at, anchor = meeting - HOUR, meeting
    else:
        weekday = (relationship.checkin_weekday + DAY_IN_WEEK[kind]) % 7
        fire_at = anchor = schedule.next_weekly(after, weekday, preference.remind_at, zone)
    fire_at = schedule.after_quiet_hours(fire_at, zone, preference.quiet_start, preference.quiet_end)
    return fire_at, relationship.rhythm.week_start_for(anchor)


def _zone_or_utc(name: str):
    # Forms only ever store known zones; a row written some other way must not
    # turn every save of that person into an error, so it falls back to UTC.
    try:
        return schedule.zone_named(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        log.warning("Unknown time zone %r; reminders use UTC for it", name)
        return schedule.zone_named("UTC")


def _active_relationship(user) -> Relationship | None:
    return Relationship.objects.for_member(user).first()


def reschedule_for_user(user, now=None) -> None:
    """Recompute this person's next reminder times (after any change of
    preferences, zone, rhythm or relationship)."""
    now = now or timezone.now()
    preference = preference_for(user)
    relationship = _active_relationship(user)
    rows = []
    for kind in Kind.values:
        next_run_at = period = None
        if relationship and preference.wants(kind):
            next_run_at, period = next_reminder(kind, preference, user.time_zone, relationship, now)
        rows.append(ReminderSchedule(user=user, kind=kind, next_run_at=next_run_at, period=period))
    ReminderSchedule.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["user", "kind"], update_fields=["next_run_at", "period"]
    )


def reschedule_for_relationship(relationship, now=None) -> None:
    """Called when a couple's rhythm changes (and on every save of the record)."""
    for membership in relationship.memberships.select_related("user"):
        reschedule_for_user(membership.user, now)


def save_preferences(user, preference: ReminderPreference, time_zone: str) -> None:
    with transaction.atomic():
        preference.save()
        if user.time_zone != time_zone:
            user.time_zone = time_zone
            user.save(update_fields=["time_zone"])
        reschedule_for_user(user)
        _cancel_unwanted(user, preference)


def _cancel_unsent(user) -> None:
    Delivery.objects.unsent().filter(recipient=user).update(cancelled_at=timezone.now())


def _cancel_unwanted(user, preference: ReminderPreference) -> None:
    """Cancel the unsent reminders of the kinds this person no longer wants
    (all of them with reminders off, the nudges with nudges off)."""
    unwanted = [kind for kind in Kind.values if not preference.wants(kind)]
    if unwanted:
        Delivery.objects.unsent().filter(recipient=user, kind__in=unwanted).update(cancelled_at=timezone.now())


def cancel_unsent_for_relationship(relationship) -> None:
    """The relationship has ended: nothing still waiting goes to either partner."""
    Delivery.objects.unsent().filter(recipient__memberships__relationship=relationship).update(
        cancelled_at=timezone.now()
    )


def upcoming_for(user) -> list[ReminderSchedule]:
    """This person's scheduled reminders, soonest first."""
    return list(ReminderSchedule.objects.filter(user=user, next_run_at__isnull=False).order_by("next_run_at"))


# --- Dispatch -------------------------------------------------------------


def _submitted_pairs(user_ids, periods) -> set[tuple[int, datetime.date]]:
    from checkins.models import CheckIn

    return set(
        CheckIn.objects.submitted()
        .filter(author_id__in=user_ids, week_start__in=periods)
        .values_list("author_id", "week_start")
    )


def _users_with_steps_waiting(user_ids) -> set[int]:
    if not user_ids:
        return set()
    from exercises.services import users_with_steps_waiting

    return set(users_with_steps_waiting(user_ids))


def dispatch_due_reminders(now=None, batch_size=DISPATCH_BATCH_SIZE) -> int:
    """Claim every due schedule row, write its Delivery, enqueue the sends.
    Returns how many deliveries were written.

    It works in chunks of `batch_size` rows, one transaction each, so a
    second dispatcher running at the same time takes other rows (SKIP
    LOCKED) and the sends of a chunk start while the next is claimed."""
    written = 0
    while True:
        claimed, new = _dispatch_batch(now or timezone.now(), batch_size)
        written += new
        if claimed < batch_size:
            return written


def _enqueue_sends(delivery_ids) -> None:
    from checkins.reminders.tasks import send_reminders

    for start in range(0, len(delivery_ids), SEND_BATCH_SIZE):
        send_reminders.delay_on_commit(delivery_ids[start : start + SEND_BATCH_SIZE])


def _dispatch_batch(now, batch_size) -> tuple[int, int]:
    with transaction.atomic():
        rows = list(
            ReminderSchedule.objects.due(now)
            .select_for_update(skip_locked=True)
            .order_by("next_run_at")
            .values_list("pk", "user_id", "kind", "next_run_at", "period", named=True)[:batch_size]
        )
        if not rows:
            return 0, 0
        user_ids = {row.user_id for row in rows}
        zones = dict(User.objects.filter(pk__in=user_ids).values_list("pk", "time_zone"))
        preferences = {p.user_id: p for p in ReminderPreference.objects.filter(user_id__in=user_ids)}
        relationship_ids = dict(
            Membership.objects.filter(
                user_id__in=user_ids, is_active=True, relationship__ended_at__isnull=True
            ).values_list("user_id", "relationship_id")
        )
        # Both partners of a couple due together share one instance.
        relationships = Relationship.objects.annotate(
            partners=Count("memberships", filter=Q(memberships__is_active=True))
        ).in_bulk(set(relationship_ids.values()))
        checkin_rows = [row for row in rows if row.kind != Kind.EXERCISE_WAITING]
        submitted = (
            _submitted_pairs({r.user_id for r in checkin_rows}, {r.period for r in checkin_rows})
            if checkin_rows
            else set()
        )
        waiting = _users_with_steps_waiting(sorted({row.user_id for row in rows if row.kind == Kind.EXERCISE_WAITING}))

        batch = uuid.uuid4()
        deliveries = []
        next_times = {}
        for row in rows:
            relationship = relationships.get(relationship_ids.get(row.user_id))
            preference = preferences.get(row.user_id)
            if _should_send(row, now, relationship, preference, submitted, waiting):
                deliveries.append(
                    Delivery(recipient_id=row.user_id, kind=row.kind, period=row.period, batch=batch, created_at=now)
                )
            if relationship and preference and preference.wants(row.kind):
                after = max(now, row.next_run_at)
                next_times[row.pk] = next_reminder(row.kind, preference, zones[row.user_id], relationship, after)
            else:
                next_times[row.pk] = (None, None)
        _save_next_times(next_times)
        # A (recipient, kind, week) that already has its delivery is skipped
        # by the unique constraint: whatever ran before, it is sent once.
        Delivery.objects.bulk_create(deliveries, ignore_conflicts=True)
        new_ids = list(
            Delivery.objects.filter(batch=batch, recipient_id__in=user_ids).order_by("pk").values_list("pk", flat=True)
        )
        _enqueue_sends(new_ids)
    return len(rows), len(new_ids)


def _save_next_times(next_times: dict) -> None:
    """People due in the same minute mostly share their next time too (same
    wall time, same zone, a week on), so one UPDATE per distinct time is a
    handful of queries, and far cheaper than bulk_update's CASE per row."""
    groups = defaultdict(list)
    for pk, next_time in next_times.items():
        groups[next_time].append(pk)
    for (next_run_at, period), ids in groups.items():
        ReminderSchedule.objects.filter(pk__in=ids).update(next_run_at=next_run_at, period=period)


def _should_send(row, now, relationship, preference, submitted, waiting) -> bool:
    if now - row.next_run_at > STALE_AFTER or row.period is None:
        return False
    if relationship is None or relationship.partners != 2:
        return False
    if preference is None or not preference.wants(row.kind):
        return False
    if row.kind == Kind.EXERCISE_WAITING:
        return row.user_id in waiting
    return (row.user_id, row.period) not in submitted


def requeue_stalled_deliveries(now=None, older_than=STALLED_AFTER) -> int:
    """Enqueue again the deliveries whose task was lost. Sending is idempotent,
    so a delivery whose task is merely slow is not sent twice."""
    now = now or timezone.now()
    ids = list(
        Delivery.objects.unsent()
        .filter(created_at__lte=now - older_than, created_at__gte=now - STALE_AFTER)
        .order_by("pk")
        .values_list("pk", flat=True)[:5000]
    )
    _enqueue_sends(ids)
    return len(ids)


# --- Send -----------------------------------------------------------------


def unsubscribe_token(user) -> str:
    return signing.dumps(str(user.code), salt=UNSUBSCRIBE_SALT)


def unsubscribe_url(user) -> str:
    return settings.SITE_URL + reverse("reminders:unsubscribe", args=[unsubscribe_token(user)])


def templates_for(kind: str) -> KindTemplates:
    """The templates of one kind of reminder, rendered once for a batch."""
    return KindTemplates(f"reminders/email/{kind}", {"kind": kind, "settings_path": reverse("reminders:settings")})


def build_reminder_message(delivery: Delivery, templates: KindTemplates | None = None) -> ReminderEmail:
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
    templates = templates or templates_for(delivery.kind)
    subject, text, html = templates.render({"display_name": user.display_name, "unsubscribe_url": link})
    message = ReminderEmail(
        subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[user.email], headers=headers
    )
    message.attach_alternative(html, "text/html")
    return message


def _still_wanted(delivery: Delivery) -> bool:
    """Reminders still on, and still in a shared record (both loaded with the delivery)."""
    preference = getattr(delivery.recipient, "reminder_preference", None)
    return bool(delivery.in_relationship and preference and preference.wants(delivery.kind))


def _deliveries_to_send(delivery_ids) -> list[Delivery]:
    """The unsent deliveries among these ids, with what their emails need, in
    one query; those whose person no longer wants them are cancelled."""
    deliveries = list(
        Delivery.objects.unsent()
        .filter(pk__in=delivery_ids)
        .select_related("recipient__reminder_preference")
        .annotate(
            in_relationship=Exists(
                Membership.objects.filter(
                    user_id=OuterRef("recipient_id"), is_active=True, relationship__ended_at__isnull=True
                )
            )
        )
        .order_by("pk")
    )
    unwanted = [delivery.pk for delivery in deliveries if not _still_wanted(delivery)]
    if unwanted:
        Delivery.objects.filter(pk__in=unwanted).unsent().update(cancelled_at=timezone.now())
    return [delivery for delivery in deliveries if delivery.pk not in unwanted]


def _mark_sent(delivery_id: int) -> bool:
    """Mark one delivery sent if it is still unsent (not sent, cancelled or
    failed): the claim. Its UPDATE takes the row lock and holds it to the end
    of the caller's transaction. SQL of our own because it runs once per
    reminder, and the ORM takes longer to build this statement than PostgreSQL
    takes to run it."""
    with connection.cursor() as cursor:
        # The commit is visible to every other session at once, as always, but
        # does not wait for its WAL to reach the disk: one flush per reminder
        # would cap a fan-out at the disk's few hundred flushes a second. A
        # killed worker loses nothing by it; only a crash of PostgreSQL itself
        # can lose the last fraction of a second of marks, and those reminders
        # then go out a second time (with the same Message-ID).
        cursor.execute("SET LOCAL synchronous_commit TO OFF")
        cursor.execute(
            f"UPDATE {Delivery._meta.db_table} SET sent_at = %s"  # noqa: S608 (our own table name)
            " WHERE id = %s AND sent_at IS NULL AND cancelled_at IS NULL AND failed_at IS NULL",
            [timezone.now(), delivery_id],
        )
        return cursor.rowcount == 1


def _claim_and_send(delivery: Delivery, message, mail_connection) -> bool:
    """Mark the delivery sent and hand its message to the mail server, in one
    transaction. A copy of the task sending the same delivery waits on the row
    lock, then finds it sent; a mail error rolls the mark back. Whatever turns a
    reminder off (unsubscribing, reminders or nudges off, the relationship
    ending) cancels the unsent ones in its own transaction, so the claim, under
    the same lock, never sends one that is no longer wanted."""
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

    One query loads the batch and each kind's templates are rendered once for
    it; then each reminder is marked sent in its own short transaction, so a
    worker killed halfway leaves every reminder it handed over marked sent, and
    the rest unsent for the requeue.
    """
    failed = []
    pending = _deliveries_to_send(delivery_ids)
    templates = {}
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
                if delivery.kind not in templates:
                    templates[delivery.kind] = templates_for(delivery.kind)
                message = build_reminder_message(delivery, templates[delivery.kind])
                _claim_and_send(delivery, message, mail_connection)
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


# --- Unsubscribe and calendar -----------------------------------------------


EXPIRED_LINK = (
    "This unsubscribe link has expired. Sign in and turn reminders off in your reminder settings, "
    "or use the link in a newer reminder."
)
BAD_LINK = (
    "This unsubscribe link isn't valid. Check that you copied the whole link, "
    "or sign in and turn reminders off in your reminder settings."
)
GONE_ACCOUNT = "We couldn't find the account this link belongs to. It may have been deleted."


def unsubscribe(token: str) -> User:
    """Turn reminders off for the person the signed token names."""
    problem = unsubscribe_problem(token)
    if problem:
        raise ReminderError(problem)
    user = User.objects.get(code=signing.loads(token, salt=UNSUBSCRIBE_SALT))
    with transaction.atomic():
        preference = preference_for(user)
        if preference.enabled:
            preference.enabled = False
            preference.save(update_fields=["enabled", "updated_at"])
        reschedule_for_user(user)
        _cancel_unsent(user)
    return user


def reset_calendar_token(user) -> ReminderPreference:
    preference = preference_for(user)
    preference.calendar_token = uuid.uuid4()
    preference.save(update_fields=["calendar_token", "updated_at"])
    return preference


def unsubscribe_problem(token: str) -> str | None:
    """What is wrong with an unsubscribe link, in plain words, or None."""
    try:
        code = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_LINK_LIFETIME)
    except signing.SignatureExpired:
        return EXPIRED_LINK
    except signing.BadSignature:
        return BAD_LINK
    if not User.objects.filter(code=code).exists():
        return GONE_ACCOUNT
    return None


def calendar_path(preference: ReminderPreference) -> str:
    return reverse("reminders:calendar", args=[preference.calendar_token])


def current_period(user, now=None):
    """The week_start of this person's current check-in week, or None."""

    relationship = _active_relationship(user)
    return relationship.rhythm.current_week_start(now) if relationship else None
