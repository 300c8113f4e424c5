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
        # Today only (a second or so): the wallboard has the day's numbers the moment the web
        # server answers; the older days follow in the background.
        today = demo_history(days=0)
        return (
            f"today so far: {today.interactions:,} simulated contacts; {days} older days are "
            "written once the center is up"
        )
    return demo_history().summary()


def demo_history(*, days: int | None = None, on_day: Callable[[date, int], None] | None = None):
    """The demo's history: ``days`` (default ``SIM_BACKFILL_DAYS``) days and today up to now,
    newest first."""
    from tawasul.sim.backfill import backfill

    return backfill(
        days=conf.demo_backfill_days() if days is None else days,
        scale=conf.demo_scale(),
        through=timezone.now(),
        on_day=on_day,
    )
