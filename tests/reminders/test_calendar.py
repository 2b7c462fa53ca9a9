"""The private calendar feed: a weekly event in the couple's zone, a secret address that can be reset."""

import datetime
import uuid
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from trustwork.couples.services import set_rhythm
from trustwork.reminders import calendar_feed, services
from trustwork.reminders.models import ReminderPreference
from trustwork.rhythm import Rhythm


def feed_url(user):
    return reverse("reminders:calendar", args=[services.preference_for(user).calendar_token])


def test_it_serves_the_weekly_check_in_as_a_recurring_event(people, client):
    set_rhythm(people.relationship, weekday=2, time=datetime.time(20, 30), zone=ZoneInfo("America/New_York"))
    response = client.get(feed_url(people.partner_a))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n")
    assert "SUMMARY:Weekly check-in\r\n" in body
    assert "RRULE:FREQ=WEEKLY;BYDAY=WE\r\n" in body
    assert "DTSTART;TZID=America/New_York:" in body
    assert "T203000\r\n" in body
    assert "TZID:America/New_York" in body and "BEGIN:DAYLIGHT" in body and "TZOFFSETTO:-0400" in body


def test_it_says_nothing_about_the_partner_or_what_anyone_wrote(people, client):
    body = client.get(feed_url(people.partner_a)).content.decode()
    assert "Sam" not in body and "Alex" not in body
    assert "partner" not in body.lower()


def test_it_answers_an_unknown_address_with_404(people, client):
    response = client.get(reverse("reminders:calendar", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_it_retires_the_old_address_when_reset(people, client_for):
    old = feed_url(people.partner_a)
    response = client_for(people.partner_a).post(reverse("reminders:calendar_reset"))
    assert response.status_code == 302
    assert client_for(None).get(old).status_code == 404
    assert client_for(None).get(feed_url(people.partner_a)).status_code == 200


def test_it_resets_with_htmx_and_answers_with_the_calendar_card(people, client_for):
    response = client_for(people.partner_a).post(
        reverse("reminders:calendar_reset"), HTTP_HX_REQUEST="true", HTTP_HX_TARGET="calendar"
    )
    content = response.content.decode()
    assert "Your calendar address is new." in content
    assert "<html" not in content


def test_it_resets_only_ones_own_address_whatever_is_posted(people, client_for):
    sams_token = services.preference_for(people.partner_b).calendar_token
    client_for(people.partner_a).post(reverse("reminders:calendar_reset"), {"token": str(sams_token)})
    assert ReminderPreference.objects.get(user=people.partner_b).calendar_token == sams_token


def test_it_will_not_reset_on_a_get(people, client_for):
    token = services.preference_for(people.partner_a).calendar_token
    assert client_for(people.partner_a).get(reverse("reminders:calendar_reset")).status_code == 405
    assert ReminderPreference.objects.get(user=people.partner_a).calendar_token == token


def test_it_serves_an_empty_calendar_once_the_relationship_has_ended(people, client):
    from trustwork.couples.services import end_relationship

    url = feed_url(people.partner_a)
    end_relationship(people.relationship, people.partner_b)
    body = client.get(url).content.decode()
    assert "BEGIN:VEVENT" not in body


def _parsed_feed(rhythm, now):
    return icalendar.Calendar.from_ical(calendar_feed.feed(rhythm, uuid.uuid4(), now))


@pytest.mark.parametrize("zone", ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe"])
def test_it_tells_a_calendar_app_the_right_offset_on_both_sides_of_each_dst_change(zone):
    """Read back as a calendar app would: from the feed's own VTIMEZONE, each
    week's 20:30 for two years is the instant zoneinfo gives."""
    rhythm = Rhythm(2, datetime.time(20, 30), ZoneInfo(zone))
    calendar = _parsed_feed(rhythm, datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC))
    (event,) = calendar.events
    (vtimezone,) = calendar.timezones
    from_the_feed = vtimezone.to_tz(lookup_tzid=False)  # the VTIMEZONE's own rules, not the tz database's
    assert event.start == datetime.datetime(2025, 12, 31, 20, 30, tzinfo=ZoneInfo(zone))
    offsets = set()
    for week in range(104):
        local = datetime.datetime.combine(event.start.date() + datetime.timedelta(weeks=week), rhythm.time)
        expected = local.replace(tzinfo=ZoneInfo(zone)).utcoffset()
        assert local.replace(tzinfo=from_the_feed).utcoffset() == expected, local
        offsets.add(expected)
    assert len(offsets) == 2  # it did cross DST changes


def test_it_builds_a_half_hour_offset_for_lord_howe():
    rhythm = Rhythm(6, datetime.time(19, 0), ZoneInfo("Australia/Lord_Howe"))
    body = calendar_feed.feed(rhythm, uuid.uuid4(), datetime.datetime(2026, 7, 1, tzinfo=datetime.UTC)).decode()
    assert "TZOFFSETFROM:+1030\r\n" in body and "TZOFFSETTO:+1100\r\n" in body


def test_it_folds_and_escapes_as_rfc_5545_asks():
    body = calendar_feed.feed(
        Rhythm(6, datetime.time(19, 0), ZoneInfo("Europe/London")), uuid.uuid4(), datetime.datetime.now(datetime.UTC)
    )
    assert all(len(line) <= 75 for line in body.split(b"\r\n"))
    assert b"Time for your weekly check-in on trustwork." in body
    assert body.endswith(b"\r\n")


def test_it_makes_the_same_number_of_queries_at_two_data_sizes(people, client):
    from tests.factories import UserFactory, make_couple

    url = feed_url(people.partner_a)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    small = count()
    for _ in range(10):
        make_couple(UserFactory(), UserFactory())
    assert count() == small
    print(f"reminders:calendar: {small} queries at both sizes")
