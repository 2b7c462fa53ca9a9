"""A couple's check-in rhythm, and the check-in week it gives.

A week is the seven local days, in the rhythm's zone, that begin at local
midnight on its weekday; `week_start` is that local date. Everything goes
through zoneinfo, so a DST change moves nothing.

The rhythm is a value: the couple's record has one (`Relationship.rhythm`),
and the reminders keep a copy of it for each partner (trustwork.reminders),
so both compute weeks the same way.
"""

import datetime
import zoneinfo
from dataclasses import dataclass

from django.utils import timezone

WEEK = datetime.timedelta(days=7)


@dataclass(frozen=True)
class Rhythm:
    weekday: int  # 0 is Monday
    time: datetime.time  # a good time to sit down together, on the weekday, in `zone`
    zone: zoneinfo.ZoneInfo

    def week_start_of_day(self, local_date: datetime.date) -> datetime.date:
        """The start of the check-in week that holds this local date."""
        return local_date - datetime.timedelta(days=(local_date.weekday() - self.weekday) % 7)

    def week_start_for(self, moment: datetime.datetime) -> datetime.date:
        return self.week_start_of_day(moment.astimezone(self.zone).date())

    def current_week_start(self, now: datetime.datetime | None = None) -> datetime.date:
        return self.week_start_for(now or timezone.now())

    def week_window(self, week_start: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
        """When the week opens and closes, as aware UTC datetimes (local midnights)."""
        opens = datetime.datetime.combine(week_start, datetime.time.min, tzinfo=self.zone)
        closes = datetime.datetime.combine(week_start + WEEK, datetime.time.min, tzinfo=self.zone)
        return opens.astimezone(datetime.UTC), closes.astimezone(datetime.UTC)

    def has_ended(self, week_start: datetime.date, now: datetime.datetime | None = None) -> bool:
        return self.week_window(week_start)[1] <= (now or timezone.now())
