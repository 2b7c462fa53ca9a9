"""Next reminder times follow every change they depend on."""

import datetime
import zoneinfo

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from checkins.reminders import services
from checkins.reminders.models import Delivery, Kind, ReminderSchedule
from tests.factories import UserFactory, make_couple
from tests.reminders.conftest import schedule_of
from trustwork.accounts.models import User


def local(instant, zone):
    moment = instant.astimezone(zoneinfo.ZoneInfo(zone))
    return moment.weekday(), moment.time()


def test_it_schedules_both_partners_when_the_second_one_joins(db):
    first, second = UserFactory(), UserFactory()
    make_couple(first, second)
    assert schedule_of(first).next_run_at is not None
    assert schedule_of(second).next_run_at is not None


def test_it_recomputes_when_the_couples_rhythm_changes(people):
    relationship = people.relationship
    relationship.checkin_weekday = 2  # Wednesday
    relationship.save()
    assert local(schedule_of(people.partner_a).next_run_at, "Europe/London") == (2, datetime.time(9, 0))
    assert local(schedule_of(people.partner_b, Kind.CHECKIN_FOLLOW_UP).next_run_at, "Europe/London")[0] == 1


def test_it_offers_a_service_for_callers_that_change_the_rhythm(people):
    relationship = people.relationship
    type(relationship).objects.filter(pk=relationship.pk).update(checkin_weekday=4)  # no signal
    relationship.refresh_from_db()
    services.reschedule_for_relationship(relationship)
    assert local(schedule_of(people.partner_a).next_run_at, "Europe/London")[0] == 4


def test_it_recomputes_when_a_person_changes_time_zone(people):
    person = people.partner_a
    person.time_zone = "Australia/Lord_Howe"
    person.save()
    assert local(schedule_of(person).next_run_at, "Australia/Lord_Howe") == (6, datetime.time(9, 0))


def test_it_does_no_reminder_work_when_a_person_saves_something_else(people):
    person = type(people.partner_a).objects.get(pk=people.partner_a.pk)
    with CaptureQueriesContext(connection) as queries:
        person.display_name = "Alexandra"
        person.save()
    # The save, and the care cache's look-up of the person's couple (their name
    # shows on the therapist dashboard); nothing of reminders.
    sql = [query["sql"] for query in queries]
    assert sql[0].startswith('UPDATE "accounts_user"')
    assert not [statement for statement in sql if '"reminders_' in statement], sql


def test_it_stops_reminders_when_the_record_ends(people):
    from trustwork.couples.services import end_relationship

    end_relationship(people.relationship, people.partner_a)
    services.reschedule_for_user(people.partner_b)
    assert not ReminderSchedule.objects.filter(user=people.partner_b, next_run_at__isnull=False).exists()


def test_the_demo_seeder_turns_reminders_on_for_alice_and_bob(db, settings):
    settings.DEBUG = True
    call_command("seed_demo")
    for email in ("alice@example.com", "bob@example.com"):
        person = User.objects.get(email=email)
        assert schedule_of(person).next_run_at is not None
        assert services.preference_for(person).quiet_start == datetime.time(22, 0)


def test_remind_soon_makes_this_weeks_reminder_due_now(people):
    call_command("remind_soon", "alex@example.com")
    row = schedule_of(people.partner_a)
    assert row.next_run_at <= datetime.datetime.now(datetime.UTC)
    assert row.period == services.current_period(people.partner_a)


def test_remind_soon_will_not_send_a_second_reminder_in_a_week(people):
    Delivery.objects.create(
        recipient=people.partner_a, kind=Kind.CHECKIN_OPEN, period=services.current_period(people.partner_a)
    )
    with pytest.raises(CommandError, match="already gone"):
        call_command("remind_soon", "alex@example.com")


def test_remind_soon_explains_an_unknown_address(db):
    with pytest.raises(CommandError, match="No account uses"):
        call_command("remind_soon", "nobody@example.com")
