"""Business-hours arithmetic on a calendar: pure Python, no Django, no database.

SLA due times count only the hours a department works. A calendar is a weekly pattern of opening
intervals per weekday plus dated exceptions (public holidays: closed, or special holiday hours
such as Oman MoH's 09:30–16:30). Intervals are minutes of the local day, ``(start, end)`` with
``end`` up to 1440 so "until midnight" needs no 23:59:59 trick. All public functions take and
return timezone-aware datetimes; the arithmetic happens in the calendar's local time.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

Interval = tuple[int, int]
MINUTES_PER_DAY = 1440
# A calendar with no open hour at all would loop forever; no SLA reaches this far.
_SEARCH_HORIZON_DAYS = 3 * 366


def parse_hhmm(text: str) -> int:
    """Minutes after midnight for "HH:MM"; "24:00" is the end of the day."""
    hours, _, minutes = text.partition(":")
    value = int(hours) * 60 + int(minutes or 0)
    if not 0 <= value <= MINUTES_PER_DAY or not 0 <= int(minutes or 0) < 60:
        raise ValueError(f"not a time of day: {text!r}")
    return value


def minutes_of(t: time) -> int:
    return t.hour * 60 + t.minute


@dataclass(frozen=True)
class HoursSpec:
    """Opening hours of one calendar.

    ``weekly`` maps Python weekday numbers (0 = Monday) to sorted, non-overlapping intervals;
    ``exceptions`` maps dates to the intervals that replace the weekly ones that day (an empty
    sequence means closed all day).
    """

    timezone: str = "UTC"
    weekly: Mapping[int, Sequence[Interval]] = field(default_factory=dict)
    exceptions: Mapping[date, Sequence[Interval]] = field(default_factory=dict)
    always_open: bool = False

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def intervals_on(self, day: date) -> Sequence[Interval]:
        if self.always_open:
            return ((0, MINUTES_PER_DAY),)
        if day in self.exceptions:
            return self.exceptions[day]
        return self.weekly.get(day.weekday(), ())

    def is_open(self, moment: datetime) -> bool:
        local = _aware(moment).astimezone(self.tz)
        minute = local.hour * 60 + local.minute
        return any(start <= minute < end for start, end in self.intervals_on(local.date()))

    def open_periods(self, start: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Open periods (aware datetimes) from ``start`` on, clipped at ``start``."""
        tz = self.tz
        local_start = _aware(start).astimezone(tz)
        day = local_start.date()
        for _ in range(_SEARCH_HORIZON_DAYS):
            for begin_min, end_min in self.intervals_on(day):
                begin = _local(day, begin_min, tz)
                end = _local(day, end_min, tz)
                if end <= local_start:
                    continue
                yield max(begin, local_start), end
            day += timedelta(days=1)

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """The moment when ``duration`` of open time has passed since ``start``."""
        remaining = duration
        if remaining <= timedelta(0):
            return _aware(start)
        for begin, end in self.open_periods(start):
            span = end - begin
            if span >= remaining:
                return (begin + remaining).astimezone(UTC)
            remaining -= span
        raise ValueError("the calendar has no open hours within three years")

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Open time between two moments (zero if ``end`` is not after ``start``)."""
        total = timedelta(0)
        end = _aware(end)
        if end <= _aware(start):
            return total
        for begin, finish in self.open_periods(start):
            if begin >= end:
                break
            total += min(finish, end) - begin
        return total


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: business-hours arithmetic needs an aware datetime")
    return moment


def _local(day: date, minute: int, tz: ZoneInfo) -> datetime:
    if minute >= MINUTES_PER_DAY:
        return datetime.combine(day + timedelta(days=1), time(0), tzinfo=tz)
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=tz)
