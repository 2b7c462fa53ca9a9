import datetime

import pytest

from trustwork.couples.models import Relationship, Weekday

UTC = datetime.UTC


def _relationship(weekday=Weekday.SUNDAY, time_zone="Europe/London"):
    return Relationship(checkin_weekday=weekday, time_zone=time_zone)


def test_it_starts_the_week_on_the_checkin_day():
    relationship = _relationship(Weekday.SUNDAY)
    wednesday = datetime.datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert relationship.rhythm.current_week_start(wednesday) == datetime.date(2026, 11, 22)


def test_it_counts_the_checkin_day_itself_as_the_first_day():
    relationship = _relationship(Weekday.WEDNESDAY)
    wednesday_morning = datetime.datetime(2026, 11, 25, 0, 30, tzinfo=UTC)
    assert relationship.rhythm.current_week_start(wednesday_morning) == datetime.date(2026, 11, 25)


def test_it_uses_the_relationships_time_zone_not_utc():
    relationship = _relationship(Weekday.MONDAY, "Pacific/Auckland")
    # Sunday 20:00 UTC is already Monday 09:00 in Auckland: a new week there.
    sunday_evening_utc = datetime.datetime(2026, 11, 22, 20, tzinfo=UTC)
    assert relationship.rhythm.current_week_start(sunday_evening_utc) == datetime.date(2026, 11, 23)


def test_it_opens_and_closes_the_week_at_local_midnight():
    relationship = _relationship(Weekday.SUNDAY, "America/New_York")
    opens, closes = relationship.rhythm.week_window(datetime.date(2026, 11, 22))
    assert opens == datetime.datetime(2026, 11, 22, 5, tzinfo=UTC)
    assert closes == datetime.datetime(2026, 11, 29, 5, tzinfo=UTC)


def test_it_keeps_local_midnights_across_a_dst_change():
    # Europe/London leaves summer time on Sunday 25 October 2026: that week is 169 hours long.
    relationship = _relationship(Weekday.SATURDAY, "Europe/London")
    opens, closes = relationship.rhythm.week_window(datetime.date(2026, 10, 24))
    assert opens == datetime.datetime(2026, 10, 23, 23, tzinfo=UTC)
    assert closes == datetime.datetime(2026, 10, 31, 0, tzinfo=UTC)
    assert closes - opens == datetime.timedelta(hours=169)


@pytest.mark.parametrize("weekday", list(Weekday))
def test_it_places_every_moment_inside_its_own_week(weekday):
    relationship = _relationship(weekday, "Australia/Sydney")
    moment = datetime.datetime(2026, 4, 5, 15, 30, tzinfo=UTC)  # Sydney leaves DST that day
    week_start = relationship.rhythm.current_week_start(moment)
    assert week_start.weekday() == weekday
    opens, closes = relationship.rhythm.week_window(week_start)
    assert opens <= moment < closes
