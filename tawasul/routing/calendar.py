"""Business hours and holidays, as pure functions of time.

The engine only needs ``is_open(t)``; anything with that method is a calendar. ``WeeklyCalendar``
covers what the centers describe: weekly opening hours, public holidays that close the line or run
reduced hours (Oman's Ministry of Health: 07:30-21:30, holidays 09:30-16:30), and special dates
with their own hours (Ramadan, a storm duty day).

Engine time ``t`` is mapped to wall-clock time as Unix seconds ``t + epoch``; the simulator sets
``epoch`` to the Unix time of its ``t = 0``. Local time uses a fixed UTC offset (Qatar and Oman
have no daylight saving time, and this path is fast) or any ``tzinfo`` such as
``zoneinfo.ZoneInfo("Asia/Qatar")``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Protocol, TypeAlias, runtime_checkable

Hours: TypeAlias = Iterable[tuple[str, str]]
"""Opening intervals of one day as ``("HH:MM", "HH:MM")`` pairs, end exclusive; ``"24:00"`` is the
end of the day. An interval over midnight is written as two intervals on the two days."""

_DAY = 86400.0
_UNIX_DAY0 = dt.date(1970, 1, 1)


@runtime_checkable
class BusinessCalendar(Protocol):
    """Anything that can tell whether a queue is open at engine time ``t``."""

    def is_open(self, t: float) -> bool: ...


class AlwaysOpen:
    """24/7 (the 109 line)."""

    __slots__ = ()

    def is_open(self, t: float) -> bool:
        return True


ALWAYS_OPEN = AlwaysOpen()


def _parse_clock(text: str) -> float:
    parts = text.strip().split(":")
    if not 2 <= len(parts) <= 3 or not all(p.isdigit() for p in parts):
        raise ValueError(f"bad time of day {text!r}; expected HH:MM or HH:MM:SS")
    h, m = int(parts[0]), int(parts[1])
    s = int(parts[2]) if len(parts) == 3 else 0
    if m > 59 or s > 59 or h > 24 or (h == 24 and (m or s)):
        raise ValueError(f"bad time of day {text!r}")
    return h * 3600.0 + m * 60.0 + s


def _parse_hours(hours: Hours) -> tuple[tuple[float, float], ...]:
    out = []
    for start, end in hours:
        a, b = _parse_clock(start), _parse_clock(end)
        if a >= b:
            raise ValueError(f"opening interval {start}-{end} is empty or crosses midnight")
        out.append((a, b))
    out.sort()
    return tuple(out)


class WeeklyCalendar:
    """Weekly opening hours + holidays + special dates.

    ``weekly`` maps a weekday (0 = Monday … 6 = Sunday, as ``datetime.weekday()``) to that day's
    opening intervals; a missing weekday is closed. On a date in ``holidays`` the line follows
    ``holiday_hours`` (closed if empty). A date in ``special`` uses its own intervals and wins over
    both. Results are cached per local day, so calling ``is_open`` per arrival is cheap.
    """

    __slots__ = (
        "_cache",
        "_epoch",
        "_holiday_hours",
        "_holidays",
        "_offset",
        "_special",
        "_tz",
        "_weekly",
    )

    def __init__(
        self,
        weekly: Mapping[int, Hours],
        *,
        holidays: Iterable[dt.date] = (),
        holiday_hours: Hours = (),
        special: Mapping[dt.date, Hours] | None = None,
        utc_offset_hours: float = 0.0,
        tz: dt.tzinfo | None = None,
        epoch: float = 0.0,
    ) -> None:
        bad = [d for d in weekly if d not in range(7)]
        if bad:
            raise ValueError(f"weekday keys must be 0..6 (Monday=0), got {bad}")
        self._weekly = {d: _parse_hours(h) for d, h in weekly.items()}
        self._holidays = frozenset(holidays)
        self._holiday_hours = _parse_hours(holiday_hours)
        self._special = {d: _parse_hours(h) for d, h in (special or {}).items()}
        self._offset = utc_offset_hours * 3600.0
        self._tz = tz
        self._epoch = epoch
        self._cache: dict[int, tuple[tuple[float, float], ...]] = {}

    def hours_on(self, day: dt.date) -> tuple[tuple[float, float], ...]:
        """Opening intervals of a local date, in seconds since local midnight."""
        if day in self._special:
            return self._special[day]
        if day in self._holidays:
            return self._holiday_hours
        return self._weekly.get(day.weekday(), ())

    def _local(self, t: float) -> tuple[int, float]:
        """(local day number since 1970-01-01, seconds since local midnight)."""
        if self._tz is None:
            local = t + self._epoch + self._offset
            day = int(local // _DAY)
            return day, local - day * _DAY
        when = dt.datetime.fromtimestamp(t + self._epoch, self._tz)
        secs = when.hour * 3600.0 + when.minute * 60.0 + when.second + when.microsecond / 1e6
        return (when.date() - _UNIX_DAY0).days, secs

    def is_open(self, t: float) -> bool:
        day, secs = self._local(t)
        hours = self._cache.get(day)
        if hours is None:
            hours = self._cache[day] = self.hours_on(_UNIX_DAY0 + dt.timedelta(days=day))
        return any(a <= secs < b for a, b in hours)
