"""Demo content of the simulator: 90 days of demo-scaled history so reports have data."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date

from django.utils import timezone

from tawasul.sim import conf

# Set by `tawasul demo`: the history is written by a process of its own once the center is
# up (newest day first), so the wallboard is live without waiting for 90 days of rows.
AFTER_START_ENV = "SIM_BACKFILL_AFTER_START"


def seed_demo() -> str:
    """Back-fill ``SIM_BACKFILL_DAYS`` days at ``SIM_DEMO_SCALE`` of "109" traffic, and today
    up to now (idempotent: days that already have simulated history are skipped)."""
    days = conf.demo_backfill_days()
    if days <= 0:
        return "history back-fill off (SIM_BACKFILL_DAYS=0)"
    if os.environ.get(AFTER_START_ENV) == "1":
        return f"{days} days of history and today so far are written once the center is up"
    return demo_history().summary()


def demo_history(*, on_day: Callable[[date, int], None] | None = None):
    """The demo's history: ``SIM_BACKFILL_DAYS`` days and today up to now, newest first."""
    from tawasul.sim.backfill import backfill

    return backfill(
        days=conf.demo_backfill_days(),
        scale=conf.demo_scale(),
        through=timezone.now(),
        on_day=on_day,
    )
