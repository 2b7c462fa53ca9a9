"""The dispatcher and the send: what goes out, when, once, and what it says."""

import datetime
import smtplib
import zoneinfo
from zoneinfo import ZoneInfo

import pytest
from django.core import mail

from tests.reminders.conftest import SATURDAY_NOON, SUNDAY_9_LONDON, SUNDAY_WEEK, dispatch, in_progress, schedule_of
from trustwork.reminders import services
from trustwork.reminders.models import Delivery, Kind, ReminderSchedule
from trustwork.reminders.tasks import send_reminders

UTC = datetime.UTC


@pytest.fixture
def run_sends(monkeypatch, django_capture_on_commit_callbacks):
    """Run each enqueued send in this process when the dispatcher's transaction commits."""
    monkeypatch.setattr(send_reminders, "delay_on_commit", services.send_deliveries)


def test_it_schedules_the_first_reminder_for_the_morning_of_check_in_day(couple):
    row = schedule_of(couple.partner_a)
    assert row.next_run_at == SUNDAY_9_LONDON
    assert row.period == SUNDAY_WEEK


def test_it_schedules_the_follow_up_on_the_last_day_of_the_week(couple):
    row = schedule_of(couple.partner_a, Kind.CHECKIN_FOLLOW_UP)
    assert row.next_run_at == datetime.datetime(2026, 7, 11, 8, 0, tzinfo=UTC)  # Saturday 09:00 BST
    assert row.period == SUNDAY_WEEK


def test_it_sends_nothing_before_the_time(couple, run_sends):
    assert dispatch(SUNDAY_9_LONDON - datetime.timedelta(minutes=1)) == 0
    assert mail.outbox == []


def test_it_sends_the_open_reminder_to_each_partner_at_their_time(couple, run_sends):
    assert dispatch(SUNDAY_9_LONDON) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.com", "sam@example.com"]
    assert Delivery.objects.filter(sent_at__isnull=False, kind=Kind.CHECKIN_OPEN, period=SUNDAY_WEEK).count() == 2


def test_it_moves_the_schedule_to_next_week_after_sending(couple, run_sends):
    dispatch(SUNDAY_9_LONDON)
    row = schedule_of(couple.partner_a)
    assert row.next_run_at == SUNDAY_9_LONDON + datetime.timedelta(days=7)
    assert row.period == SUNDAY_WEEK + datetime.timedelta(days=7)


def test_it_sends_once_when_the_dispatcher_runs_twice_for_the_same_minute(couple, run_sends):
    dispatch(SUNDAY_9_LONDON)
    assert dispatch(SUNDAY_9_LONDON) == 0
    assert len(mail.outbox) == 2


def test_it_sends_once_even_when_a_schedule_row_is_wound_back(couple, run_sends):
    dispatch(SUNDAY_9_LONDON)
    # As if a stale replica or a restored backup put the old time back.
    ReminderSchedule.objects.filter(kind=Kind.CHECKIN_OPEN, user__in=[couple.partner_a, couple.partner_b]).update(
        next_run_at=SUNDAY_9_LONDON, period=SUNDAY_WEEK
    )
    assert dispatch(SUNDAY_9_LONDON + datetime.timedelta(minutes=1)) == 0
    assert len(mail.outbox) == 2
    assert Delivery.objects.count() == 2


def test_it_sends_once_when_the_send_task_runs_twice(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    results = [services.send_delivery(delivery_id) for delivery_id in enqueued + enqueued]
    assert results == [True, True, False, False]
    assert len(mail.outbox) == 2


def test_it_skips_the_follow_up_for_someone_who_has_checked_in(couple, run_sends):
    from checkins.services import submit_checkin
    from tests.checkins_helpers import GOOD_ANSWERS

    monday = SUNDAY_9_LONDON + datetime.timedelta(days=1)
    submit_checkin(couple.relationship, couple.partner_a, SUNDAY_WEEK, {**GOOD_ANSWERS, "emotions": []}, now=monday)
    follow_up_time = schedule_of(couple.partner_a, Kind.CHECKIN_FOLLOW_UP).next_run_at
    dispatch(follow_up_time)
    follow_ups = [m for m in mail.outbox if m.subject == "A gentle reminder for this week"]
    # Only Sam, who has not checked in, hears about it; nothing tells Sam that Alex has.
    assert [m.to for m in follow_ups] == [["sam@example.com"]]


def test_it_cancels_a_check_in_reminder_on_its_way_when_the_check_in_comes_in(couple, monkeypatch):
    from checkins.services import submit_checkin
    from tests.checkins_helpers import GOOD_ANSWERS

    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    submit_checkin(
        couple.relationship, couple.partner_a, SUNDAY_WEEK, {**GOOD_ANSWERS, "emotions": []}, now=SUNDAY_9_LONDON
    )
    assert [services.send_delivery(delivery_id) for delivery_id in enqueued] == [False, True]
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


NUDGE_SUBJECT = "Your exercise is there when you are ready"


def test_it_sends_the_exercise_nudge_only_to_people_with_an_exercise_in_progress(couple, run_sends):
    in_progress(couple.partner_b)
    assert schedule_of(couple.partner_a, Kind.EXERCISE_WAITING).next_run_at is None
    nudge_time = schedule_of(couple.partner_b, Kind.EXERCISE_WAITING).next_run_at
    assert nudge_time == datetime.datetime(2026, 7, 8, 8, 0, tzinfo=UTC)  # Wednesday 09:00 BST
    dispatch(nudge_time)
    nudges = [m for m in mail.outbox if m.subject == NUDGE_SUBJECT]
    assert [m.to for m in nudges] == [["sam@example.com"]]


def test_it_cancels_a_waiting_nudge_once_the_exercise_is_no_longer_in_progress(couple, monkeypatch):
    in_progress(couple.partner_b)
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(schedule_of(couple.partner_b, Kind.EXERCISE_WAITING).next_run_at)
    services.set_exercise_in_progress(couple.partner_b, False)
    assert [services.send_delivery(delivery_id) for delivery_id in enqueued] == [False]
    assert mail.outbox == []
    assert schedule_of(couple.partner_b, Kind.EXERCISE_WAITING).next_run_at is None


def test_it_sends_at_most_one_exercise_nudge_a_week(couple, run_sends):
    in_progress(couple.partner_a, couple.partner_b)
    nudge_time = schedule_of(couple.partner_b, Kind.EXERCISE_WAITING).next_run_at
    dispatch(nudge_time)
    # Sam moves reminders from 09:00 to 18:00 the same day: the nudge time comes round again this week.
    preference = services.preference_for(couple.partner_b)
    preference.remind_at = datetime.time(18, 0)
    preference.save()
    services.reschedule(couple.partner_b, now=nudge_time)
    later = schedule_of(couple.partner_b, Kind.EXERCISE_WAITING)
    assert later.next_run_at == nudge_time + datetime.timedelta(hours=9)
    assert later.period == SUNDAY_WEEK
    dispatch(later.next_run_at)
    assert Delivery.objects.filter(kind=Kind.EXERCISE_WAITING, recipient=couple.partner_b).count() == 1
    assert len([m for m in mail.outbox if m.to == ["sam@example.com"]]) == 1


def test_it_sends_nothing_to_someone_whose_partner_has_not_joined(people, run_sends):
    from tests.factories import UserFactory
    from trustwork.couples.services import start_relationship

    alone = UserFactory()
    start_relationship(alone)
    services.reschedule(alone, now=SATURDAY_NOON)
    assert not ReminderSchedule.objects.filter(user=alone, next_run_at__isnull=False).exists()
    dispatch(SATURDAY_NOON + datetime.timedelta(days=8))
    assert [m for m in mail.outbox if alone.email in m.to] == []


def test_it_drops_a_reminder_that_is_hours_late_and_schedules_the_next(couple, run_sends):
    much_later = SUNDAY_9_LONDON + datetime.timedelta(hours=13)
    assert dispatch(much_later) == 0
    assert mail.outbox == []
    assert schedule_of(couple.partner_a).next_run_at == SUNDAY_9_LONDON + datetime.timedelta(days=7)


def test_it_says_nothing_private_and_nothing_about_the_partner(couple, run_sends):
    in_progress(couple.partner_a)
    for kind in Kind.values:
        dispatch(schedule_of(couple.partner_a, kind).next_run_at)
    to_alex = [m for m in mail.outbox if m.to == ["alex@example.com"]]
    assert len(to_alex) == 3
    for message in to_alex:
        html = message.alternatives[0].content
        for text in (message.subject, message.body, html):
            assert "Sam" not in text
            assert "partner" not in text.lower()


def test_it_sends_a_text_and_an_html_part_with_unsubscribe_headers(couple, run_sends):
    dispatch(SUNDAY_9_LONDON)
    message = next(m for m in mail.outbox if m.to == ["alex@example.com"])
    assert message.subject == "Your weekly check-in is open"
    assert "Your check-in for this week is open." in message.body
    assert message.alternatives[0].mimetype == "text/html"
    link = services.unsubscribe_url(couple.partner_a).rsplit(":", 2)[0]  # the part before the timestamp
    assert message.extra_headers["List-Unsubscribe"].startswith(f"<{link}")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/reminders/unsubscribe/" in message.body


def test_it_does_not_send_after_reminders_are_turned_off(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    services.unsubscribe(services.unsubscribe_token(couple.partner_a))
    for delivery_id in enqueued:
        services.send_delivery(delivery_id)
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_it_does_not_send_after_the_relationship_ends(couple, monkeypatch):
    from trustwork.couples.services import end_relationship

    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    end_relationship(couple.relationship, couple.partner_a)
    for delivery_id in enqueued:
        services.send_delivery(delivery_id)
    assert mail.outbox == []
    assert Delivery.objects.filter(cancelled_at__isnull=False).count() == 2


def refuse_mail(monkeypatch, error, to=None):
    """The mail server refuses every message (or only those to `to`) with `error`."""
    from django.core.mail.backends.locmem import EmailBackend

    deliver = EmailBackend.send_messages

    def send_messages(self, messages):
        if to is None or any(to in message.recipients() for message in messages):
            raise error
        return deliver(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_it_leaves_a_delivery_unsent_when_the_mail_server_fails(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    refuse_mail(monkeypatch, smtplib.SMTPServerDisconnected("gone"))
    with pytest.raises(smtplib.SMTPServerDisconnected):
        services.send_delivery(enqueued[0])
    assert Delivery.objects.get(pk=enqueued[0]).sent_at is None


def test_it_retries_only_the_reminders_that_met_a_transient_mail_error(couple, monkeypatch):
    from celery.exceptions import Retry

    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    refuse_mail(monkeypatch, ConnectionRefusedError(), to=couple.partner_a.email)
    alex = Delivery.objects.get(recipient=couple.partner_a).pk
    retried = {}
    monkeypatch.setattr(
        send_reminders, "retry", lambda args, countdown: retried.update(args=args, countdown=countdown) or Retry()
    )
    with pytest.raises(Retry):
        send_reminders.apply(args=[enqueued], throw=True)
    assert retried["args"] == [[alex]]
    assert 30 <= retried["countdown"] <= 45
    assert Delivery.objects.get(pk=alex).attempts == 1
    assert Delivery.objects.get(pk=alex).sent_at is None
    assert Delivery.objects.get(recipient=couple.partner_b).sent_at is not None
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]


def test_it_reuses_one_mail_connection_for_a_batch(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    from django.core.mail.backends.locmem import EmailBackend

    opened = []
    monkeypatch.setattr(EmailBackend, "open", lambda self: opened.append(id(self)))
    send_reminders.apply(args=[enqueued], throw=True)
    assert len(mail.outbox) == 2
    assert len(set(opened)) == 1


def test_it_gives_up_after_the_last_retry(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    refuse_mail(monkeypatch, ConnectionRefusedError())
    send_reminders.apply(args=[enqueued], retries=send_reminders.max_retries, throw=True)
    assert all(d.failed_at is not None for d in Delivery.objects.filter(pk__in=enqueued))


def test_it_marks_a_reminder_that_can_never_go_as_failed_and_sends_the_rest(couple, monkeypatch):
    enqueued = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", enqueued.extend)
    dispatch(SUNDAY_9_LONDON)
    real_build = services.build_reminder_message

    def broken_for_alex(delivery, *args):
        if delivery.recipient_id == couple.partner_a.pk:
            raise ValueError("a message that cannot be built")
        return real_build(delivery, *args)

    monkeypatch.setattr(services, "build_reminder_message", broken_for_alex)
    send_reminders.apply(args=[enqueued], throw=True)
    assert [m.to for m in mail.outbox] == [["sam@example.com"]]
    assert Delivery.objects.get(recipient=couple.partner_a).failed_at is not None


def test_it_requeues_deliveries_whose_task_was_lost(couple, monkeypatch):
    lost = []
    monkeypatch.setattr(send_reminders, "delay_on_commit", lost.extend)
    dispatch(SUNDAY_9_LONDON)
    assert services.stalled_deliveries(now=SUNDAY_9_LONDON + datetime.timedelta(minutes=5)) == []
    assert sorted(services.stalled_deliveries(now=SUNDAY_9_LONDON + datetime.timedelta(minutes=11))) == sorted(lost)
    # A day later they are stale: nobody wants "your check-in is open" at the end of the week.
    assert services.stalled_deliveries(now=SUNDAY_9_LONDON + datetime.timedelta(hours=13)) == []


def test_it_nudges_whoever_started_an_exercise_and_never_because_of_the_partner(couple, run_sends, content):
    """No stand-in here: the exercises app's own answers decide who gets the nudge."""
    from tests.exercises.conftest import answer_through

    # Alex answered a step the couple answers together; Sam has answered nothing.
    answer_through(
        couple.partner_a, couple.relationship, "open-communication", "speaker-and-listener", "choose-a-topic"
    )
    assert schedule_of(couple.partner_b, Kind.EXERCISE_WAITING).next_run_at is None
    dispatch(schedule_of(couple.partner_a, Kind.EXERCISE_WAITING).next_run_at)
    nudges = [m for m in mail.outbox if m.subject == NUDGE_SUBJECT]
    # Alex started the exercise and hears about it; nothing tells Sam that Alex was there.
    assert [m.to for m in nudges] == [["alex@example.com"]]
    assert "Sam" not in nudges[0].body


def test_it_neither_starts_nor_stops_a_nudge_when_the_partner_answers_or_completes(couple, content):
    from exercises.services import complete_exercise
    from tests.exercises.conftest import answer_through, step

    story = ("open-communication", "check-the-story")
    alex, sam = couple.partner_a, couple.partner_b
    # Sam starts an exercise; Alex has done nothing.
    answer_through(sam, couple.relationship, *story, "gaps-get-filled")
    assert schedule_of(alex, Kind.EXERCISE_WAITING).next_run_at is None
    assert schedule_of(sam, Kind.EXERCISE_WAITING).next_run_at is not None
    # Alex starts it too; then both answer every step, and Sam completes it.
    answer_through(alex, couple.relationship, *story, "my-guess")
    alexs_nudge = schedule_of(alex, Kind.EXERCISE_WAITING).next_run_at
    assert alexs_nudge is not None
    answer_through(sam, couple.relationship, *story, "ask-next-time")
    answer_through(alex, couple.relationship, *story, "ask-next-time")
    complete_exercise(sam, couple.relationship, step(*story, "my-guess").exercise)
    assert schedule_of(alex, Kind.EXERCISE_WAITING).next_run_at == alexs_nudge
    assert schedule_of(sam, Kind.EXERCISE_WAITING).next_run_at is None
    # Alex's own completion is what ends Alex's.
    complete_exercise(alex, couple.relationship, step(*story, "my-guess").exercise)
    assert schedule_of(alex, Kind.EXERCISE_WAITING).next_run_at is None


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe"])
def test_it_writes_one_reminder_a_week_at_the_wall_time_for_two_years_of_dispatches(people, zone, monkeypatch):
    """The whole chain, beat after beat: each run claims what is due and moves it on."""
    from trustwork.accounts.services import update_profile
    from trustwork.couples.services import set_rhythm

    monkeypatch.setattr(send_reminders, "delay_on_commit", lambda delivery_ids: None)
    relationship = people.relationship
    set_rhythm(relationship, weekday=relationship.checkin_weekday, time=relationship.checkin_time, zone=ZoneInfo(zone))
    update_profile(people.partner_a, display_name="Alex", time_zone=ZoneInfo(zone))
    services.reschedule(people.partner_a, now=datetime.datetime(2026, 1, 1, tzinfo=UTC))
    for _ in range(104):
        dispatch(schedule_of(people.partner_a).next_run_at)
    written = Delivery.objects.filter(recipient=people.partner_a, kind=Kind.CHECKIN_OPEN)
    local = [moment.astimezone(zoneinfo.ZoneInfo(zone)) for moment in written.values_list("created_at", flat=True)]
    assert len(local) == 104
    assert {(moment.weekday(), moment.strftime("%H:%M")) for moment in local} == {(6, "09:00")}
    assert len({moment.date() for moment in local}) == 104
    assert len(set(written.values_list("period", flat=True))) == 104


def test_one_persons_unknown_zone_holds_up_no_one_elses_reminders(couple, run_sends):
    # Forms store only zones the tz database knows; a name it dropped, or one
    # written some other way, falls back to UTC for that person alone.
    from django.db import connection

    with connection.cursor() as cursor:
        table = type(couple.partner_a)._meta.db_table
        cursor.execute(f"UPDATE {table} SET time_zone = %s WHERE id = %s", ["Atlantis/Lost", couple.partner_a.pk])
    assert dispatch(SUNDAY_9_LONDON) == 2
    assert sorted(m.to[0] for m in mail.outbox) == ["alex@example.com", "sam@example.com"]
    # Alex's next is 09:00 UTC, the same morning and the same week: it writes nothing a second time.
    nine_utc = datetime.datetime(2026, 7, 5, 9, 0, tzinfo=UTC)
    assert (schedule_of(couple.partner_a).next_run_at, schedule_of(couple.partner_a).period) == (nine_utc, SUNDAY_WEEK)
    assert schedule_of(couple.partner_b).next_run_at == SUNDAY_9_LONDON + datetime.timedelta(days=7)
    assert dispatch(nine_utc) == 0
    assert len(mail.outbox) == 2
