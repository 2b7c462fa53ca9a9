"""A private iCalendar feed: the couple's weekly check-in as one recurring event.

The event recurs in the relationship's zone (where the couple's check-in time
is defined), with a VTIMEZONE built from zoneinfo, so calendar apps show it at
the right local time on both sides of every DST change. It says nothing but
"weekly check-in".
"""

import datetime
import zoneinfo

from django.conf import settings
from django.urls import reverse

UTC = datetime.UTC
ICS_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
EVENT_LENGTH = "PT30M"


def _offset(delta: datetime.timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    minutes = abs(minutes)
    return f"{sign}{minutes // 60:02d}{minutes % 60:02d}"


def _transitions(zone: zoneinfo.ZoneInfo, start: datetime.datetime, end: datetime.datetime):
    """(instant, offset before, offset after, is_dst) for each change of offset."""
    step = datetime.timedelta(hours=1)
    moment = start
    before = moment.astimezone(zone).utcoffset()
    while moment < end:
        following = moment + step
        after = following.astimezone(zone).utcoffset()
        if after != before:
            low, high = moment, following
            while high - low > datetime.timedelta(minutes=1):
                middle = low + (high - low) / 2
                if middle.astimezone(zone).utcoffset() == before:
                    low = middle
                else:
                    high = middle
            yield high, before, after, bool(high.astimezone(zone).dst())
            before = after
        moment = following


def vtimezone(name: str, around: datetime.date) -> list[str]:
    zone = zoneinfo.ZoneInfo(name)
    start = datetime.datetime(around.year - 1, 1, 1, tzinfo=UTC)
    end = datetime.datetime(around.year + 3, 1, 1, tzinfo=UTC)
    lines = ["BEGIN:VTIMEZONE", f"TZID:{name}"]
    changes = list(_transitions(zone, start, end))
    if not changes:
        offset = _offset(start.astimezone(zone).utcoffset())
        lines += [
            "BEGIN:STANDARD",
            "DTSTART:19700101T000000",
            f"TZOFFSETFROM:{offset}",
            f"TZOFFSETTO:{offset}",
            "END:STANDARD",
        ]
    for instant, before, after, is_dst in changes:
        part = "DAYLIGHT" if is_dst else "STANDARD"
        local_onset = (instant + before).replace(tzinfo=None)
        lines += [
            f"BEGIN:{part}",
            f"DTSTART:{local_onset:%Y%m%dT%H%M%S}",
            f"TZOFFSETFROM:{_offset(before)}",
            f"TZOFFSETTO:{_offset(after)}",
            f"END:{part}",
        ]
    lines.append("END:VTIMEZONE")
    return lines


def _fold(line: str) -> str:
    """RFC 5545 folds lines longer than 75 octets."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, chunk = [], b""
    for char in line:
        piece = char.encode()
        if len(chunk) + len(piece) > (75 if not parts else 74):
            parts.append(chunk.decode())
            chunk = b""
        chunk += piece
    parts.append(chunk.decode())
    return "\r\n ".join(parts)


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", r"\;").replace(",", r"\,").replace("\n", r"\n")


def feed(relationship, token, now: datetime.datetime) -> str:
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//trustwork//reminders//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        "X-WR-CALNAME:trustwork",
    ]
    if relationship is not None:
        week_start = relationship.rhythm.current_week_start(now)
        first = datetime.datetime.combine(week_start, relationship.checkin_time)
        lines += [f"X-WR-TIMEZONE:{relationship.time_zone}", *vtimezone(str(relationship.time_zone), week_start)]
        lines += [
            "BEGIN:VEVENT",
            f"UID:checkin-{token}@trustwork",
            f"DTSTAMP:{now.astimezone(UTC):%Y%m%dT%H%M%SZ}",
            f"DTSTART;TZID={relationship.time_zone}:{first:%Y%m%dT%H%M%S}",
            f"DURATION:{EVENT_LENGTH}",
            f"RRULE:FREQ=WEEKLY;BYDAY={ICS_DAYS[relationship.checkin_weekday]}",
            "SUMMARY:Weekly check-in",
            "DESCRIPTION:" + _escape("Time for your weekly check-in on trustwork."),
            f"URL:{settings.SITE_URL}{reverse('home')}",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
