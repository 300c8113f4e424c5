"""Forecast accuracy on a synthetic history with known seasonality, and the fallbacks."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta

from tawasul.workforce.forecast import accuracy, backtest, forecast, seasonal_naive

WEEKDAY = [1.0, 1.1, 1.05, 0.95, 0.6, 0.4, 1.2]  # Monday … Sunday (Friday and Saturday quiet)


def shape(i: int) -> float:
    """Two peaks (09:30 and 19:00), nothing from 01:00 to 06:00."""
    h = i / 2
    if 1 <= h < 6:
        return 0.0
    return math.exp(-((h - 9.5) ** 2) / 6) + 0.6 * math.exp(-((h - 19) ** 2) / 4) + 0.05


def poisson(rng: random.Random, mean: float) -> int:
    # Knuth for small means, normal approximation above 30: exact enough for a test history.
    if mean <= 0:
        return 0
    if mean > 30:
        return max(0, round(rng.gauss(mean, math.sqrt(mean))))
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit:
            return k
        k += 1


def truth(d: date, n: int, *, base: float = 600.0, growth: float = 0.002) -> list[float]:
    total_shape = sum(shape(i) for i in range(48))
    level = base * (1 + growth * n) * WEEKDAY[d.weekday()]
    return [level * shape(i) / total_shape for i in range(48)]


def synthetic(days: int, *, seed: int = 7, base: float = 600.0, growth: float = 0.002,
              holidays=frozenset()):  # fmt: skip
    rng = random.Random(seed)
    start = date(2026, 1, 5)  # a Monday
    total_shape = sum(shape(i) for i in range(48))
    out = {}
    for n in range(days):
        d = start + timedelta(days=n)
        level = base * (1 + growth * n) * WEEKDAY[d.weekday()] * (0.3 if d in holidays else 1)
        out[d] = [float(poisson(rng, level * shape(i) / total_shape)) for i in range(48)]
    return out


def test_profile_beats_seasonal_naive_on_held_out_weeks():
    history = synthetic(12 * 7)
    result = backtest(history, held_out_weeks=2)
    assert result["method"] == "profile"
    mape, wape = result["profile"]
    naive_mape, naive_wape = result["seasonal_naive"]
    # Poisson noise is about 1/sqrt(count) per interval; same-day-last-week carries the noise
    # of two weeks, the weighted profile averages it out.
    assert wape < naive_wape * 0.85, (wape, naive_wape)
    assert mape < naive_mape, (mape, naive_mape)
    # … and it comes within 10 % of the best any forecast can do (the true means).
    start = min(history)
    held = {d: v for d, v in history.items() if d > max(history) - timedelta(days=14)}
    oracle = accuracy(held, {d: truth(d, (d - start).days) for d in held})
    assert wape < oracle[1] * 1.1, (wape, oracle)


def test_holidays_are_forecast_from_past_holidays():
    start = date(2026, 1, 5)
    holidays = frozenset({start + timedelta(days=n) for n in (16, 37, 58, 79)})
    history = synthetic(12 * 7, holidays=holidays)
    train = {d: v for d, v in history.items() if d < start + timedelta(days=79)}
    target = start + timedelta(days=79)
    fc = forecast(train, [target], special=holidays)
    normal = forecast(train, [target])
    assert sum(fc.days[target]) < 0.45 * sum(normal.days[target])
    assert abs(sum(fc.days[target]) - sum(history[target])) < 0.25 * sum(history[target])


def test_trend_is_followed():
    history = synthetic(10 * 7, growth=0.01, seed=3)
    last = max(history)
    target = last + timedelta(days=7)
    fc = forecast(history, [target])
    expected = sum(truth(target, (target - min(history)).days, growth=0.01))
    # 1 % a day: the true mean a week ahead is ~7 % above last week's; the forecast follows.
    assert abs(sum(fc.days[target]) - expected) < 0.03 * expected


def test_too_little_history_says_so_and_falls_back():
    history = synthetic(10)
    last = max(history)
    target = last + timedelta(days=1)
    fc = forecast(history, [target])
    assert fc.method == "seasonal_naive"
    assert "10 days of history" in fc.warning
    assert fc.days[target] == seasonal_naive(history, [target])[target]
    assert fc.days[target] == history[target - timedelta(days=7)]
    short = {d: v for d, v in history.items() if d < date(2026, 1, 8)}
    fc = forecast(short, [target])
    assert fc.method == "interval_mean" and "3 days" in fc.warning
    assert fc.days[target][20] == sum(v[20] for v in short.values()) / 3
    assert forecast({}, [target]).days[target] == [0.0] * 48


def test_a_queue_without_contacts_forecasts_zero():
    start = date(2026, 1, 5)
    history = {start + timedelta(days=n): [0.0] * 48 for n in range(28)}
    fc = forecast(history, [start + timedelta(days=28)])
    assert fc.method == "profile" and fc.days[start + timedelta(days=28)] == [0.0] * 48
