"""Next reminder times follow every change they depend on, through the one
explicit call each caller makes (no signals): accepting an invitation, the
rhythm page, the agreed rhythm in the exercises, a time zone on the profile
page, ending the record, deleting an account."""

import datetime
import zoneinfo

import pytest
from django.contrib.admin import site
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UserFactory
from tests.reminders.conftest import schedule_of
from trustwork.accounts.models import User
from trustwork.couples.models import Relationship
from trustwork.reminders import services
from trustwork.reminders.models import Delivery, Kind, ReminderSchedule


def local(instant, zone):
    moment = instant.astimezone(zoneinfo.ZoneInfo(zone))
    return moment.weekday(), moment.time()


def scheduled(user) -> dict:
    return dict(ReminderSchedule.objects.filter(user=user).values_list("kind", "next_run_at"))


def test_it_schedules_both_partners_when_the_second_one_accepts(db):
    from trustwork.couples.services import accept_invitation, invite_partner, start_relationship

    first, second = UserFactory(), UserFactory()
    relationship = start_relationship(first)
    invitation = invite_partner(relationship, first, second.email)
    assert schedule_of(first).next_run_at is None  # alone: nothing to remind of yet
    accept_invitation(invitation.code, second)
    for person in (first, second):
        assert local(schedule_of(person).next_run_at, "Europe/London") == (6, datetime.time(9, 0))


def test_it_moves_both_partners_reminders_when_the_rhythm_page_saves_a_new_day(people, client_for):
    url = reverse("checkins:rhythm", args=[people.relationship.code])
    data = {"checkin_weekday": "2", "checkin_time": "20:30", "time_zone": "Europe/London"}
    assert client_for(people.partner_b).post(url, data).status_code == 302
    assert local(schedule_of(people.partner_a).next_run_at, "Europe/London") == (2, datetime.time(9, 0))
    assert local(schedule_of(people.partner_b, Kind.CHECKIN_FOLLOW_UP).next_run_at, "Europe/London")[0] == 1


def test_it_moves_the_check_in_reminder_to_the_day_both_partners_agree_in_the_exercise(people, content):
    from tests.exercises.conftest import answer_through

    hour_before = services.preference_for(people.partner_b)
    hour_before.timing = "hour_before"
    services.save_preferences(people.partner_b, hour_before, people.partner_b.time_zone)
    before = schedule_of(people.partner_a).next_run_at
    chosen = {"weekly-time": {"weekday": 2, "time": "18:00"}}
    args = (people.relationship, "open-communication", "check-in-rhythm", "weekly-time", chosen)
    answer_through(people.partner_a, *args)
    assert schedule_of(people.partner_a).next_run_at == before  # one choice is not an agreement yet
    answer_through(people.partner_b, *args)
    # Wednesday: at Alex's own 09:00, and an hour before the 18:00 they agreed for Sam.
    assert local(schedule_of(people.partner_a).next_run_at, "Europe/London") == (2, datetime.time(9, 0))
    assert local(schedule_of(people.partner_b).next_run_at, "Europe/London") == (2, datetime.time(17, 0))


def test_it_keeps_the_reminders_to_local_time_when_the_profile_page_changes_the_zone(people, client_for):
    response = client_for(people.partner_a).post(
        reverse("accounts:profile"), {"display_name": "Alex", "time_zone": "Australia/Lord_Howe"}
    )
    assert response.status_code == 302
    assert local(schedule_of(people.partner_a).next_run_at, "Australia/Lord_Howe") == (6, datetime.time(9, 0))


def test_it_keeps_the_reminders_to_local_time_when_the_admin_changes_the_zone(people):
    from trustwork.accounts.admin import UserAdmin

    person = User.objects.get(pk=people.partner_a.pk)
    request = RequestFactory().post("/")
    request.user = people.staff
    form = site._registry[User].get_form(request, person, change=True)(
        data={**_user_admin_data(person), "time_zone": "America/New_York"}, instance=person
    )
    assert form.is_valid(), form.errors
    UserAdmin(User, site).save_model(request, form.save(commit=False), form, change=True)
    assert local(schedule_of(person).next_run_at, "America/New_York") == (6, datetime.time(9, 0))


def _user_admin_data(person) -> dict:
    return {
        "email": person.email,
        "display_name": person.display_name,
        "time_zone": str(person.time_zone),
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": person.date_joined.date().isoformat(),
        "date_joined_1": person.date_joined.time().strftime("%H:%M:%S"),
    }


def test_the_admin_cannot_change_a_rhythm_or_end_a_record_behind_the_services_back(people):
    request = RequestFactory().get("/")
    request.user = people.staff
    fields = site._registry[Relationship].get_form(request, people.relationship, change=True)().fields
    assert not {"checkin_weekday", "checkin_time", "time_zone", "ended_at", "ended_by"} & set(fields)


def test_it_does_no_reminder_work_when_a_person_saves_something_else(people, client_for):
    client = client_for(people.partner_a)
    with CaptureQueriesContext(connection) as queries:
        client.post(reverse("accounts:profile"), {"display_name": "Alexandra", "time_zone": "Europe/London"})
    sql = [query["sql"] for query in queries]
    assert any(statement.startswith('UPDATE "accounts_user"') for statement in sql)
    assert not [statement for statement in sql if '"reminders_' in statement], sql


def test_it_stops_both_partners_reminders_when_the_record_ends(people):
    from trustwork.couples.services import end_relationship

    on_its_way = Delivery.objects.create(recipient=people.partner_b, kind=Kind.CHECKIN_OPEN, period="2026-07-05")
    end_relationship(people.relationship, people.partner_a)
    for person in (people.partner_a, people.partner_b):
        assert set(scheduled(person).values()) == {None}
    on_its_way.refresh_from_db()
    assert on_its_way.cancelled_at is not None


def test_it_stops_the_partners_reminders_when_an_account_is_deleted(people):
    from trustwork.deletion import delete_account

    assert schedule_of(people.partner_b).next_run_at is not None
    delete_account(people.partner_a)
    assert set(scheduled(people.partner_b).values()) == {None}
    assert services.rhythm_of(people.partner_b) is None


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
