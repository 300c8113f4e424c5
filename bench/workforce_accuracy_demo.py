"""Forecast accuracy on the demo center's own traffic (the model the demo back-fill writes):
91 days of "109" arrivals at the back-fill's scale, counted per (channel, queue) and 30-minute
interval, the last two weeks held out; MAPE/WAPE of the profile forecast against seasonal
naive, per queue and in total. No database: the same arrivals the back-fill would write.

    PYTHONPATH=. .venv/bin/python bench/workforce_accuracy_demo.py
"""

from __future__ import annotations

import os
from collections import defaultdict
from datetime import date, datetime, time, timedelta

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tawasul.settings")
django.setup()  # the back-fill module imports models

from tawasul.sim.backfill import DEMO_SCALE  # noqa: E402
from tawasul.sim.traffic import TrafficModel  # noqa: E402
from tawasul.workforce.forecast import accuracy, forecast, seasonal_naive  # noqa: E402

DAYS = 91
FIRST = date(2026, 1, 5)


def main() -> None:
    model = TrafficModel.center_109(scale=DEMO_SCALE, start=datetime.combine(FIRST, time(0)))
    counts: dict = defaultdict(dict)
    for a in model.arrivals(DAYS, 42):
        day = FIRST + timedelta(days=int(a.t // 86400))
        slot = int(a.t % 86400 // 1800)
        counts[(a.channel, a.entity)].setdefault(day, [0.0] * 48)[slot] += 1
    cut = FIRST + timedelta(days=DAYS - 15)
    tot = {"profile": [0.0, 0.0], "naive": [0.0, 0.0]}
    print(f"{'queue':24} {'per day':>8} | profile MAPE WAPE | naive MAPE WAPE")
    for key in sorted(counts, key=lambda k: -sum(map(sum, counts[k].values()))):
        days = counts[key]
        for n in range(DAYS):
            days.setdefault(FIRST + timedelta(days=n), [0.0] * 48)
        train = {d: v for d, v in days.items() if d <= cut}
        test = {d: v for d, v in days.items() if d > cut}
        fc = forecast(train, sorted(test)).days
        nv = seasonal_naive(train, sorted(test))
        p, n = accuracy(test, fc), accuracy(test, nv)
        volume = sum(map(sum, test.values()))
        for name, pred in (("profile", fc), ("naive", nv)):
            tot[name][0] += sum(
                abs(a - b) for d in test for a, b in zip(test[d], pred[d], strict=True)
            )
        tot["profile"][1] += volume
        per_day = volume / len(test)
        if per_day < 20:  # the long tail of tiny queues is in the total only
            continue
        print(f"{key[0] + ':' + key[1]:24} {per_day:8.1f} |  {p[0]:.3f} {p[1]:.3f} |"
              f"  {n[0]:.3f} {n[1]:.3f}")  # fmt: skip
    print(f"all queues WAPE: profile {tot['profile'][0] / tot['profile'][1]:.3f}, "
          f"seasonal naive {tot['naive'][0] / tot['profile'][1]:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
