"""DST: reminders keep to the chosen local wall time in every zone, every week."""

import datetime
import zoneinfo
from itertools import pairwise

import pytest

from trustwork.reminders.schedule import after_quiet_hours, in_quiet_hours, next_weekly, resolve_wall_time

UTC = datetime.UTC
SUNDAY = 6
ZONES = ["America/New_York", "Europe/London", "Australia/Sydney", "Australia/Lord_Howe"]
START = datetime.datetime(2026, 1, 1, tzinfo=UTC)
TWO_YEARS_OF_WEEKS = 104


def fires(weekday, wall_time, zone, weeks=TWO_YEARS_OF_WEEKS):
    """Each firing the dispatcher would see, starting each search right after the last."""
    moments, moment = [], START
    for _ in range(weeks):
        moment = next_weekly(moment, weekday, wall_time, zone)
        moments.append(moment)
    return moments


@pytest.mark.parametrize("zone_name", ZONES)
@pytest.mark.parametrize("wall_time", [datetime.time(9, 0), datetime.time(0, 0), datetime.time(23, 59)])
def test_it_fires_once_a_week_at_the_wall_time_for_two_years(zone_name, wall_time):
    zone = zoneinfo.ZoneInfo(zone_name)
    moments = fires(SUNDAY, wall_time, zone)
    local = [moment.astimezone(zone) for moment in moments]
    assert all(moment.time() == wall_time for moment in local)
    assert all(moment.weekday() == SUNDAY for moment in local)
    local_days = [moment.date() for moment in local]
    assert all(later - earlier == datetime.timedelta(days=7) for earlier, later in pairwise(local_days))
    assert len(set(local_days)) == TWO_YEARS_OF_WEEKS
    # DST really happened in these two years: some weeks are not 168 hours long.
    gaps = {later - earlier for earlier, later in pairwise(moments)}
    assert len(gaps) > 1


@pytest.mark.parametrize(
    ("zone_name", "day", "missing", "first_valid"),
    [
        ("America/New_York", datetime.date(2026, 3, 8), datetime.time(2, 30), datetime.time(3, 0)),
        ("Europe/London", datetime.date(2026, 3, 29), datetime.time(1, 30), datetime.time(2, 0)),
        ("Australia/Sydney", datetime.date(2026, 10, 4), datetime.time(2, 15), datetime.time(3, 0)),
        ("Australia/Lord_Howe", datetime.date(2026, 10, 4), datetime.time(2, 10), datetime.time(2, 30)),
    ],
)
def test_it_moves_a_time_missing_on_spring_forward_day_to_the_next_valid_minute(zone_name, day, missing, first_valid):
    zone = zoneinfo.ZoneInfo(zone_name)
    moments = fires(day.weekday(), missing, zone)
    on_that_day = [m.astimezone(zone) for m in moments if m.astimezone(zone).date() == day]
    assert [m.time() for m in on_that_day] == [first_valid]
    # The week before and the week after keep the chosen time.
    around = [m.astimezone(zone) for m in moments if abs((m.astimezone(zone).date() - day).days) == 7]
    assert [m.time() for m in around] == [missing, missing]


@pytest.mark.parametrize(
    ("zone_name", "day", "repeated", "offset_of_first"),
    [
        ("America/New_York", datetime.date(2026, 11, 1), datetime.time(1, 30), datetime.timedelta(hours=-4)),
        ("Europe/London", datetime.date(2026, 10, 25), datetime.time(1, 30), datetime.timedelta(hours=1)),
        ("Australia/Sydney", datetime.date(2026, 4, 5), datetime.time(2, 30), datetime.timedelta(hours=11)),
        ("Australia/Lord_Howe", datetime.date(2026, 4, 5), datetime.time(1, 45), datetime.timedelta(hours=11)),
    ],
)
def test_it_fires_once_in_the_repeated_hour_of_fall_back_day(zone_name, day, repeated, offset_of_first):
    zone = zoneinfo.ZoneInfo(zone_name)
    moments = fires(day.weekday(), repeated, zone)
    on_that_day = [m for m in moments if m.astimezone(zone).date() == day]
    assert len(on_that_day) == 1
    # The first of the two (fold=0): still on summer time.
    assert on_that_day[0].astimezone(zone).utcoffset() == offset_of_first
    assert on_that_day[0].astimezone(zone).time() == repeated


def test_it_fires_once_when_a_dispatcher_checks_every_minute_through_fall_back():
    """A minute-by-minute run through New York's fall-back night, as beat would do it."""
    zone = zoneinfo.ZoneInfo("America/New_York")
    clock = datetime.datetime(2026, 10, 31, 12, 0, tzinfo=UTC)
    due = next_weekly(clock, SUNDAY, datetime.time(1, 30), zone)
    sent = []
    while clock < datetime.datetime(2026, 11, 2, 12, 0, tzinfo=UTC):
        if due <= clock:
            sent.append(clock)
            due = next_weekly(clock, SUNDAY, datetime.time(1, 30), zone)
        clock += datetime.timedelta(minutes=1)
    assert len(sent) == 1


def test_it_resolves_a_plain_wall_time_to_its_utc_instant():
    zone = zoneinfo.ZoneInfo("Europe/London")
    assert resolve_wall_time(datetime.date(2026, 7, 5), datetime.time(9, 0), zone) == datetime.datetime(
        2026, 7, 5, 8, 0, tzinfo=UTC
    )


def test_it_finds_a_time_later_the_same_day():
    zone = zoneinfo.ZoneInfo("Europe/London")
    after = datetime.datetime(2026, 7, 5, 7, 0, tzinfo=UTC)  # Sunday 08:00 in London
    assert next_weekly(after, SUNDAY, datetime.time(9, 0), zone) == datetime.datetime(2026, 7, 5, 8, 0, tzinfo=UTC)


def test_it_never_fires_at_the_instant_it_starts_from():
    zone = zoneinfo.ZoneInfo("Europe/London")
    exactly = datetime.datetime(2026, 7, 5, 8, 0, tzinfo=UTC)
    assert next_weekly(exactly, SUNDAY, datetime.time(9, 0), zone) == exactly + datetime.timedelta(days=7)


@pytest.mark.parametrize(
    ("local", "start", "end", "quiet"),
    [
        (datetime.time(23, 0), datetime.time(22, 0), datetime.time(7, 0), True),
        (datetime.time(6, 59), datetime.time(22, 0), datetime.time(7, 0), True),
        (datetime.time(7, 0), datetime.time(22, 0), datetime.time(7, 0), False),
        (datetime.time(14, 0), datetime.time(13, 0), datetime.time(15, 0), True),
        (datetime.time(15, 0), datetime.time(13, 0), datetime.time(15, 0), False),
        (datetime.time(3, 0), None, None, False),
    ],
)
def test_it_knows_quiet_hours_including_ones_that_span_midnight(local, start, end, quiet):
    assert in_quiet_hours(local, start, end) is quiet


def test_it_moves_a_reminder_in_quiet_hours_to_their_end_the_next_morning():
    zone = zoneinfo.ZoneInfo("Australia/Sydney")
    late = datetime.datetime(2026, 7, 5, 23, 30, tzinfo=zone)
    moved = after_quiet_hours(late.astimezone(UTC), zone, datetime.time(22, 0), datetime.time(7, 0))
    assert moved.astimezone(zone) == datetime.datetime(2026, 7, 6, 7, 0, tzinfo=zone)


def test_it_leaves_a_reminder_outside_quiet_hours_alone():
    zone = zoneinfo.ZoneInfo("Australia/Sydney")
    morning = datetime.datetime(2026, 7, 5, 9, 0, tzinfo=zone).astimezone(UTC)
    assert after_quiet_hours(morning, zone, datetime.time(22, 0), datetime.time(7, 0)) == morning
