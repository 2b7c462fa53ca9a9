"""When reminders fire: pure functions of wall times, weekdays and zones.

Every time a person chooses is a wall time in a zone. We turn it into a UTC
instant with zoneinfo, one week at a time, so a DST change never moves a
reminder off the chosen local time:

- a wall time that does not exist that day (spring forward) fires at the next
  minute that does exist (02:30 in New York on the spring-forward Sunday fires
  at 03:00);
- a wall time that happens twice (fall back) fires once, at its first
  occurrence (fold=0), because the next reminder is always computed strictly
  after the one before.
"""

import datetime
import zoneinfo

UTC = datetime.UTC
ONE_MINUTE = datetime.timedelta(minutes=1)
# The longest gap any zone has jumped over in the tz database is under a day;
# DST gaps are 30 minutes (Lord Howe) to 2 hours. Searching a day is plenty.
_LONGEST_GAP_MINUTES = 24 * 60


def zone_named(name) -> zoneinfo.ZoneInfo:
    return name if isinstance(name, zoneinfo.ZoneInfo) else zoneinfo.ZoneInfo(name)


def _exists(local: datetime.datetime) -> bool:
    """Whether this naive-in-zone wall time happens on the clock that day."""
    round_trip = local.astimezone(UTC).astimezone(local.tzinfo)
    return round_trip.replace(tzinfo=None) == local.replace(tzinfo=None)


def resolve_wall_time(day: datetime.date, wall_time: datetime.time, zone: zoneinfo.ZoneInfo) -> datetime.datetime:
    """The UTC instant of `wall_time` on local `day` in `zone`.

    Missing (spring forward): the next valid minute. Repeated (fall back): the
    first occurrence.
    """
    local = datetime.datetime.combine(day, wall_time.replace(second=0, microsecond=0, tzinfo=None))
    local = local.replace(tzinfo=zone, fold=0)
    for _ in range(_LONGEST_GAP_MINUTES):
        if _exists(local):
            return local.astimezone(UTC)
        local = (local.replace(tzinfo=None) + ONE_MINUTE).replace(tzinfo=zone, fold=0)
    raise ValueError(f"{wall_time} on {day} never happens in {zone}")  # pragma: no cover


def next_weekly(
    after: datetime.datetime, weekday: int, wall_time: datetime.time, zone: zoneinfo.ZoneInfo
) -> datetime.datetime:
    """The first instant strictly after `after` that is `weekday` (0=Monday) at
    `wall_time` in `zone`, as an aware UTC datetime."""
    local_day = after.astimezone(zone).date() - datetime.timedelta(days=1)
    for offset in range(9):
        day = local_day + datetime.timedelta(days=offset)
        if day.weekday() != weekday:
            continue
        candidate = resolve_wall_time(day, wall_time, zone)
        if candidate > after:
            return candidate
    raise AssertionError("a weekday comes round within nine days")  # pragma: no cover


def in_quiet_hours(
    local_time: datetime.time, quiet_start: datetime.time | None, quiet_end: datetime.time | None
) -> bool:
    if quiet_start is None or quiet_end is None or quiet_start == quiet_end:
        return False
    if quiet_start < quiet_end:
        return quiet_start <= local_time < quiet_end
    return local_time >= quiet_start or local_time < quiet_end  # the quiet night spans midnight


def after_quiet_hours(
    instant: datetime.datetime,
    zone: zoneinfo.ZoneInfo,
    quiet_start: datetime.time | None,
    quiet_end: datetime.time | None,
) -> datetime.datetime:
    """Move `instant` to the end of the person's quiet hours if it falls inside them."""
    local = instant.astimezone(zone)
    if not in_quiet_hours(local.time().replace(tzinfo=None), quiet_start, quiet_end):
        return instant
    day = local.date()
    if local.time() >= quiet_end:  # in the evening part of a night that ends tomorrow
        day += datetime.timedelta(days=1)
    return resolve_wall_time(day, quiet_end, zone)
