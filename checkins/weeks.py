"""The check-in week of a relationship.

A week is the 7 local days, in the relationship's time zone, that begin at
local midnight on its check-in weekday. `week_start` is that local date.
Everything here goes through zoneinfo, so a DST change moves nothing.
"""

import datetime
import zoneinfo

from django.utils import timezone

WEEK = datetime.timedelta(days=7)


def relationship_zone(relationship) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(relationship.time_zone)


def week_start_for(relationship, moment: datetime.datetime) -> datetime.date:
    return week_start_of_day(relationship, moment.astimezone(relationship_zone(relationship)).date())


def week_start_of_day(relationship, local_date: datetime.date) -> datetime.date:
    """The start of the check-in week that holds this local date."""
    days_into_week = (local_date.weekday() - relationship.checkin_weekday) % 7
    return local_date - datetime.timedelta(days=days_into_week)


def current_week_start(relationship, now=None) -> datetime.date:
    return week_start_for(relationship, now or timezone.now())


def week_window(relationship, week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """When the week opens and closes, as aware UTC datetimes (local midnights)."""
    zone = relationship_zone(relationship)
    opens = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=zone)
    closes = datetime.datetime.combine(week_start + WEEK, datetime.time.min, tzinfo=zone)
    return opens.astimezone(datetime.UTC), closes.astimezone(datetime.UTC)


def has_ended(relationship, week_start: datetime.date, now=None) -> bool:
    return week_window(relationship, week_start)[1] <= (now or timezone.now())
