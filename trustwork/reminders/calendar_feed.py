"""A private iCalendar feed: the couple's weekly check-in as one recurring event.

Built with the icalendar package. The event recurs in the rhythm's zone (where
the couple's check-in time is defined), with a VTIMEZONE that icalendar builds
from zoneinfo, so calendar apps show it at the right local time on both sides
of every DST change; icalendar also does the escaping and the line folding.
It says nothing but "weekly check-in".
"""

import datetime

import icalendar
from django.conf import settings
from django.urls import reverse

from trustwork.rhythm import Rhythm

EVENT_LENGTH = datetime.timedelta(minutes=30)
ICS_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# The VTIMEZONE spells out each change of offset from a year before the first
# event to three years on; calendar apps fetch the feed again long before then.
YEARS_BACK, YEARS_ON = 1, 3


def feed(rhythm: Rhythm | None, token, now: datetime.datetime) -> bytes:
    """The feed for one person: their couple's weekly check-in, or an empty
    calendar when they are not in a complete couple."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//trustwork//reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", "trustwork")
    if rhythm is not None:
        week_start = rhythm.current_week_start(now)
        calendar.add("x-wr-timezone", str(rhythm.zone))
        event = icalendar.Event()
        event.add("uid", f"checkin-{token}@trustwork")
        event.add("dtstamp", now.astimezone(datetime.UTC))
        event.add("dtstart", datetime.datetime.combine(week_start, rhythm.time, tzinfo=rhythm.zone))
        event.add("duration", EVENT_LENGTH)
        event.add("rrule", {"freq": "weekly", "byday": ICS_DAYS[rhythm.weekday]})
        event.add("summary", "Weekly check-in")
        event.add("description", "Time for your weekly check-in on trustwork.")
        event.add("url", f"{settings.SITE_URL}{reverse('home')}")
        calendar.add_component(event)
        calendar.add_missing_timezones(
            first_date=datetime.date(week_start.year - YEARS_BACK, 1, 1),
            last_date=datetime.date(week_start.year + YEARS_ON, 1, 1),
        )
    return calendar.to_ical()
