"""Reads of the workforce room: history per queue from Interaction rows, and the plan for a
day (forecast + staffing per queue and 30-minute interval). Aggregates only."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings

from tawasul.directory.models import Holiday
from tawasul.interactions.models import Direction, Interaction, Outcome
from tawasul.workforce import conf
from tawasul.workforce.forecast import INTERVALS, Forecast, forecast
from tawasul.workforce.models import ForecastOverride
from tawasul.workforce.staffing import Staffing, Target, staff_interval


@dataclass(frozen=True)
class QueueHistory:
    channel: str
    queue: str
    days: dict[date, list[float]]
    aht: float
    patience: float


@dataclass(frozen=True)
class QueuePlan:
    channel: str
    queue: str
    forecast: Forecast
    aht: float
    patience: float
    intervals: list[tuple[float, Staffing]]  # 48 × (contacts, staffing)
    overrides: dict[int, ForecastOverride]  # interval → newest override version


def _tz() -> ZoneInfo:
    return ZoneInfo(settings.TIME_ZONE)


def history(*, before: date, days: int | None = None) -> list[QueueHistory]:
    """Inbound contacts per (channel, queue) and local 30-minute interval over the ``days``
    days before ``before``, with each queue's mean handle time and the maximum-likelihood
    exponential patience (abandonments / total waiting time)."""
    days = days or conf.HISTORY_DAYS
    tz = _tz()
    start = datetime.combine(before - timedelta(days=days), time(), tz)
    end = datetime.combine(before, time(), tz)
    counts: dict[tuple[str, str], dict[date, list[float]]] = defaultdict(dict)
    handle: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    waits: dict[tuple[str, str], list[float]] = defaultdict(lambda: [0.0, 0])
    rows = (
        Interaction.objects.filter(
            direction=Direction.INBOUND, offered_at__gte=start, offered_at__lt=end
        )
        .values_list(
            "channel",
            "queue",
            "offered_at",
            "answered_at",
            "ended_at",
            "wrapup_ended_at",
            "outcome",
        )
        .order_by()
    )
    first_day: dict[tuple[str, str], date] = {}
    for channel, queue, offered, answered, ended, wrapped, outcome in rows.iterator(5000):
        key = (channel, queue)
        local = offered.astimezone(tz)
        day = local.date()
        slot = local.hour * 2 + local.minute // 30
        counts[key].setdefault(day, [0.0] * INTERVALS)[slot] += 1
        first_day[key] = min(first_day.get(key, day), day)
        if answered and ended:
            h = handle[key]
            h[0] += ((wrapped or ended) - answered).total_seconds()
            h[1] += 1
            waits[key][0] += (answered - offered).total_seconds()
        elif outcome == Outcome.ABANDONED and ended:
            waits[key][0] += (ended - offered).total_seconds()
            waits[key][1] += 1
    out = []
    for key in sorted(counts):
        # Days without contacts after the queue's first contact are real zeros.
        d = first_day[key]
        while d < before:
            counts[key].setdefault(d, [0.0] * INTERVALS)
            d += timedelta(days=1)
        total_handle, answered_n = handle[key]
        total_wait, abandoned_n = waits[key]
        out.append(
            QueueHistory(
                channel=key[0],
                queue=key[1],
                days=counts[key],
                aht=total_handle / answered_n if answered_n else conf.DEFAULT_AHT,
                patience=(total_wait / abandoned_n) if abandoned_n else conf.DEFAULT_PATIENCE,
            )
        )
    return out


def special_days() -> frozenset[date]:
    """Public holidays and special days (Eid, Ramadan hours) of the business calendars."""
    return frozenset(Holiday.objects.values_list("date", flat=True))


def default_target() -> Target:
    return Target(
        service_level=conf.SERVICE_LEVEL,
        threshold=conf.THRESHOLD,
        occupancy_cap=conf.OCCUPANCY_CAP,
        shrinkage=conf.SHRINKAGE,
    )


def latest_overrides(day: date) -> dict[tuple[str, str], dict[int, ForecastOverride]]:
    """The newest override version of every (queue, interval) of ``day``."""
    out: dict[tuple[str, str], dict[int, ForecastOverride]] = defaultdict(dict)
    for o in ForecastOverride.objects.filter(day=day).order_by("interval", "version"):
        out[(o.channel, o.queue)][o.interval] = o
    return out


def plan_queue(
    hist: QueueHistory,
    day: date,
    *,
    special: frozenset[date] = frozenset(),
    target: Target | None = None,
    overrides: dict[int, ForecastOverride] | None = None,
) -> QueuePlan:
    """Forecast of ``day`` for one queue, a planner's newest override replacing the forecast
    of its interval, and the staffing of each interval."""
    target = target or default_target()
    overrides = overrides or {}
    fc = forecast(hist.days, [day], special=special)
    contacts = [
        overrides[i].contacts if i in overrides else calls for i, calls in enumerate(fc.days[day])
    ]
    intervals = [
        (
            calls,
            staff_interval(
                channel=hist.channel,
                calls=calls,
                aht=hist.aht,
                patience=hist.patience,
                target=target,
            ),
        )
        for calls in contacts
    ]
    return QueuePlan(hist.channel, hist.queue, fc, hist.aht, hist.patience, intervals, overrides)


def plan_day(day: date) -> list[QueuePlan]:
    """Forecast and staffing of every queue with history, for ``day`` (local date)."""
    special = special_days()
    last_known = min(day, datetime.now(_tz()).date())
    overrides = latest_overrides(day)
    return [
        plan_queue(h, day, special=special, overrides=overrides.get((h.channel, h.queue)))
        for h in history(before=last_known)
    ]


def interval_label(i: int) -> str:
    return f"{i // 2:02d}:{(i % 2) * 30:02d}"
