"""The reminder settings page: choices, htmx, bad input, query counts."""

import datetime
import zoneinfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from tests.factories import UserFactory, make_couple
from tests.reminders.conftest import schedule_of
from trustwork.reminders import services
from trustwork.reminders.models import Kind, ReminderPreference, ReminderSchedule

URL = reverse("reminders:settings")
HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "reminder-settings"}


def form_data(**overrides):
    data = {
        "enabled": "on",
        "timing": "day_of",
        "remind_at": "08:30",
        "time_zone": "Europe/London",
        "quiet_start": "",
        "quiet_end": "",
        "exercise_nudges": "on",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def snapshot(user):
    user.refresh_from_db()
    preference = ReminderPreference.objects.get(user=user)
    schedules = list(ReminderSchedule.objects.filter(user=user).order_by("kind").values_list("next_run_at", "period"))
    fields = [f.name for f in ReminderPreference._meta.fields if f.name != "updated_at"]
    return user.time_zone, {name: getattr(preference, name) for name in fields}, schedules


def test_it_shows_the_settings_and_what_is_coming_up(people, client_for):
    response = client_for(people.partner_a).get(URL)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Send me check-in reminders by email" in content
    assert "Check-in reminder" in content
    assert 'id="calendar-url"' in content
    assert "alex@example.com" in content


def test_it_tells_someone_without_a_partner_when_reminders_begin(people, client_for):
    response = client_for(people.staff).get(URL)
    assert "Reminders begin once you and your partner share a record." in response.content.decode()
    assert "No reminders are scheduled." in response.content.decode()


def test_it_saves_a_new_time_and_recomputes_the_next_reminder(people, client_for):
    response = client_for(people.partner_a).post(URL, form_data(remind_at="07:15", time_zone="America/New_York"))
    assert response.status_code == 302
    people.partner_a.refresh_from_db()
    assert str(people.partner_a.time_zone) == "America/New_York"
    preference = ReminderPreference.objects.get(user=people.partner_a)
    assert preference.remind_at == datetime.time(7, 15)
    local = schedule_of(people.partner_a).next_run_at.astimezone(zoneinfo.ZoneInfo("America/New_York"))
    assert (local.weekday(), local.time()) == (6, datetime.time(7, 15))


def test_it_saves_with_htmx_and_answers_with_the_card_only(people, client_for):
    response = client_for(people.partner_a).post(URL, form_data(remind_at="10:00"), **HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert "Your reminder settings are saved." in content
    assert "<html" not in content
    assert 'id="reminder-settings"' in content


def test_it_turns_reminders_off_and_clears_the_schedule(people, client_for):
    client_for(people.partner_a).post(URL, form_data(enabled=None))
    assert not ReminderPreference.objects.get(user=people.partner_a).enabled
    assert not ReminderSchedule.objects.filter(user=people.partner_a, next_run_at__isnull=False).exists()


def test_it_schedules_the_hour_before_the_check_in_in_the_couples_zone(people, client_for):
    from trustwork.couples.services import set_rhythm

    set_rhythm(people.relationship, weekday=6, time=datetime.time(20, 0), zone=zoneinfo.ZoneInfo("Australia/Sydney"))
    client_for(people.partner_a).post(URL, form_data(timing="hour_before", time_zone="Europe/London"))
    local = schedule_of(people.partner_a).next_run_at.astimezone(zoneinfo.ZoneInfo("Australia/Sydney"))
    assert (local.weekday(), local.time()) == (6, datetime.time(19, 0))


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        (
            {"time_zone": "Mars/Olympus_Mons"},
            "time_zone",
            "We don't know the time zone “Mars/Olympus_Mons”. Choose one from the list.",
        ),
        ({"remind_at": "24:00"}, "remind_at", "Enter a time between 00:00 and 23:59, such as 08:30."),
        ({"remind_at": "9 o'clock"}, "remind_at", "Enter a time between 00:00 and 23:59, such as 08:30."),
        ({"remind_at": ""}, "remind_at", "Choose a time between 00:00 and 23:59."),
        ({"quiet_start": "22:00"}, "quiet_end", "Give both a start and an end for quiet hours, or leave both empty."),
        (
            {"quiet_start": "22:00", "quiet_end": "22:00"},
            "quiet_end",
            "Quiet hours need an end that differs from their start.",
        ),
        (
            {"quiet_start": "25:61", "quiet_end": "07:00"},
            "quiet_start",
            "Enter a time between 00:00 and 23:59, such as 08:30.",
        ),
        ({"timing": "whenever"}, "timing", "Select a valid choice. whenever is not one of the available choices."),
    ],
)
def test_it_explains_bad_input_and_changes_nothing(people, client_for, overrides, field, message):
    before = snapshot(people.partner_a)
    client = client_for(people.partner_a)
    response = client.post(URL, form_data(**{"remind_at": "06:00", **overrides}))
    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    assert "Nothing has changed yet." in response.content.decode()
    assert snapshot(people.partner_a) == before
    # The htmx answer says the same, in the card.
    response = client.post(URL, form_data(**{"remind_at": "06:00", **overrides}), **HTMX)
    assert response.status_code == 200  # htmx swaps only 2xx answers
    assert "<html" not in response.content.decode()
    assert escape(message) in response.content.decode()
    assert snapshot(people.partner_a) == before


def test_it_keeps_what_was_typed_when_input_is_bad(people, client_for):
    response = client_for(people.partner_a).post(
        URL, form_data(remind_at="24:00", quiet_start="21:30", quiet_end="06:45")
    )
    content = response.content.decode()
    assert 'value="24:00"' in content
    assert 'value="21:30"' in content


def _more_data(extra_couples):
    for _ in range(extra_couples):
        first, second = UserFactory(), UserFactory()
        make_couple(first, second)
        services.reschedule(first)


@pytest.mark.parametrize("method", ["get", "post"])
def test_it_makes_the_same_number_of_queries_at_two_data_sizes(people, client_for, method):
    client = client_for(people.partner_a)
    client.get(URL)  # the preference row exists from here on

    def count():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(URL) if method == "get" else client.post(URL, form_data(), **HTMX)
        assert response.status_code == 200
        return len(queries)

    small = count()
    _more_data(10)
    from trustwork.reminders.models import Delivery

    Delivery.objects.bulk_create(
        Delivery(
            recipient=people.partner_a,
            kind=Kind.CHECKIN_OPEN,
            period=datetime.date(2025, 1, 5) + datetime.timedelta(days=7 * week),
        )
        for week in range(30)
    )
    large = count()
    assert small == large
    print(f"reminders:settings {method}: {small} queries at both sizes")
