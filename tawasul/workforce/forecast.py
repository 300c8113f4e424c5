"""Forecast of contacts per 30-minute interval from a queue's own history. Pure Python.

History is a list of days, each 48 counts (local time), with the day's date. The method
("profile"): the day's total is a level × weekday factor × damped linear trend, and the
intraday shape is the exponentially weighted mean share of each interval on the same weekday:

* special days (holidays and the days in ``special``) are left out of the fit and forecast
  from their own kind when history has one (their mean ratio to a normal day), else as normal
  days; intervals the calendar closes are set to 0 by the caller;
* weekday factor = mean total of that weekday / mean daily total over the last ``weeks``;
* level and trend: least squares over the deseasonalised daily totals of the last ``weeks``
  weeks, the trend damped by ``damping`` per day ahead.

The baseline is seasonal naive: the same interval one week before (for a horizon beyond a
week, the last observed week repeated). With fewer than 14 days of history the profile
method is not fitted: seasonal naive is used from 7 days, and with fewer than 7 days the mean
of each interval over the days there are (``Forecast.method`` and ``.warning`` say so).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

INTERVALS = 48
MIN_DAYS_PROFILE = 14
MIN_DAYS_NAIVE = 7


@dataclass(frozen=True)
class Forecast:
    method: str  # "profile", "seasonal_naive" or "interval_mean"
    warning: str  # "" or why a fallback was used
    days: dict[date, list[float]]


def seasonal_naive(history: dict[date, Sequence[float]], targets: Sequence[date]) -> dict:
    """The same interval on the latest observed day of the same weekday."""
    out = {}
    last = max(history)
    for day in targets:
        back = day - timedelta(days=7 * max(1, -(-(day - last).days // 7)))
        while back not in history and back > min(history):
            back -= timedelta(days=7)
        out[day] = [float(v) for v in history.get(back, [0.0] * INTERVALS)]
    return out


def forecast(
    history: dict[date, Sequence[float]],
    targets: Sequence[date],
    *,
    special: frozenset[date] = frozenset(),
    weeks: int = 8,
    decay: float = 0.8,
    damping: float = 0.98,
) -> Forecast:
    """Forecast ``targets`` from ``history`` (date → 48 counts); see the module text."""
    if not history:
        empty = {d: [0.0] * INTERVALS for d in targets}
        return Forecast("interval_mean", "no history: forecast is zero", empty)
    if len(history) < MIN_DAYS_NAIVE:
        mean = [sum(day[i] for day in history.values()) / len(history) for i in range(INTERVALS)]
        return Forecast(
            "interval_mean",
            f"only {len(history)} days of history (< {MIN_DAYS_NAIVE}): mean of each interval",
            {d: list(mean) for d in targets},
        )
    if len(history) < MIN_DAYS_PROFILE:
        return Forecast(
            "seasonal_naive",
            f"only {len(history)} days of history (< {MIN_DAYS_PROFILE}): same day last week",
            seasonal_naive(history, targets),
        )
    last = max(history)
    start = last - timedelta(days=7 * weeks - 1)
    normal = {d: v for d, v in history.items() if d >= start and d not in special}
    if len(normal) < MIN_DAYS_NAIVE:
        normal = {d: v for d, v in history.items() if d not in special}
    totals = {d: float(sum(v)) for d, v in normal.items()}
    overall = sum(totals.values()) / len(totals) or 1.0
    factor = {}
    for wd in range(7):
        vals = [t for d, t in totals.items() if d.weekday() == wd]
        factor[wd] = (sum(vals) / len(vals) / overall) if vals and overall else 1.0
    # Least squares of deseasonalised totals on the day index (0 = last day).
    xs, ys = [], []
    for d, t in totals.items():
        if factor[d.weekday()] > 0:
            xs.append(float((d - last).days))
            ys.append(t / factor[d.weekday()])
    if not xs:  # no contacts at all in the fitting window: nothing to forecast
        return Forecast("profile", "", {d: [0.0] * INTERVALS for d in targets})
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    sxx = sum((x - mx) ** 2 for x in xs)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sxx if sxx else 0.0
    level = my - slope * mx  # value at day index 0
    # Intraday shape per weekday: exponentially weighted shares, newest week heaviest.
    shape: dict[int, list[float]] = {}
    for wd in range(7):
        acc = [0.0] * INTERVALS
        weight_sum = 0.0
        for d, v in normal.items():
            if d.weekday() != wd or totals[d] <= 0:
                continue
            w = decay ** ((last - d).days // 7)
            weight_sum += w
            for i in range(INTERVALS):
                acc[i] += w * v[i] / totals[d]
        shape[wd] = [a / weight_sum for a in acc] if weight_sum else [1 / INTERVALS] * INTERVALS
    # Special days seen in history: their mean ratio to the normal forecast of that day.
    ratios = []
    for d in special:
        if d in history and d < last:
            expect = factor[d.weekday()] * (level + slope * (d - last).days)
            if expect > 0:
                ratios.append(sum(history[d]) / expect)
    special_ratio = sum(ratios) / len(ratios) if ratios else 1.0
    out = {}
    for day in targets:
        h = (day - last).days
        trend = slope * sum(damping**k for k in range(1, h + 1)) if h > 0 else slope * h
        total = max(0.0, factor[day.weekday()] * (level + trend))
        if day in special:
            total *= special_ratio
        out[day] = [total * s for s in shape[day.weekday()]]
    return Forecast("profile", "", out)


def accuracy(actual: dict[date, Sequence[float]], predicted: dict[date, Sequence[float]]):
    """(MAPE over intervals with contacts, WAPE = Σ|error| / Σ actual), both as fractions."""
    abs_err = total = 0.0
    ape = []
    for d, row in actual.items():
        for a, p in zip(row, predicted[d], strict=True):
            abs_err += abs(a - p)
            total += a
            if a > 0:
                ape.append(abs(a - p) / a)
    mape = sum(ape) / len(ape) if ape else 0.0
    return mape, (abs_err / total if total else 0.0)


def backtest(history: dict[date, Sequence[float]], *, held_out_weeks: int = 2, special=frozenset()):
    """Fit on all but the last ``held_out_weeks`` weeks, forecast them, and return
    {"profile": (MAPE, WAPE), "seasonal_naive": (MAPE, WAPE), "method": ...}."""
    last = max(history)
    cut = last - timedelta(days=7 * held_out_weeks)
    train = {d: v for d, v in history.items() if d <= cut}
    test = {d: v for d, v in history.items() if d > cut}
    fitted = forecast(train, sorted(test), special=special)
    naive = seasonal_naive(train, sorted(test))
    return {
        "method": fitted.method,
        "profile": accuracy(test, fitted.days),
        "seasonal_naive": accuracy(test, naive),
    }
