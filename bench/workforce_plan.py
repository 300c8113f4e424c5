"""Forecast + staffing for 35 queues x 48 intervals x 7 days, and the forecast's accuracy.

Pure Python, no database: a 12-week synthetic history per queue (weekday x time-of-day
seasonality, trend, Poisson noise, sizes from 50 to 3,000 contacts a day), the profile
forecast of the next 7 days, then Erlang C + Erlang A staffing of every interval. Also reports
MAPE/WAPE on the last two weeks held out, against seasonal naive, per queue size.

    PYTHONPATH=. .venv/bin/python bench/workforce_plan.py
"""

from __future__ import annotations

import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests" / "workforce"))

from test_forecast import synthetic

from tawasul.workforce.forecast import backtest, forecast
from tawasul.workforce.staffing import Target, staff_interval

QUEUES = 35


def main() -> None:
    sizes = [50 + (3000 - 50) * q / (QUEUES - 1) for q in range(QUEUES)]
    histories = [synthetic(84, seed=q, base=size) for q, size in enumerate(sizes)]
    target = Target()
    started = time.perf_counter()
    intervals = agents = 0
    for q, history in enumerate(histories):
        last = max(history)
        days = [last + timedelta(days=n) for n in range(1, 8)]
        fc = forecast(history, days)
        channel = "call" if q % 5 else "email"
        for day in days:
            for calls in fc.days[day]:
                agents += staff_interval(
                    channel=channel, calls=calls, aht=180, patience=120, target=target
                ).scheduled
                intervals += 1
    elapsed = time.perf_counter() - started
    print(f"forecast + staffing: {QUEUES} queues x 48 x 7 = {intervals} intervals "
          f"in {elapsed:.2f} s ({agents} agent-intervals scheduled)")  # fmt: skip
    print("held-out 2 weeks     profile MAPE  WAPE | seasonal naive MAPE  WAPE")
    for q in (0, 8, 17, 26, 34):
        r = backtest(histories[q])
        print(f"{sizes[q]:6.0f} contacts/day   {r['profile'][0]:.3f}  {r['profile'][1]:.3f} |"
              f"      {r['seasonal_naive'][0]:.3f}  {r['seasonal_naive'][1]:.3f}")  # fmt: skip


if __name__ == "__main__":
    main()
