"""Demo content of the simulator: 90 days of demo-scaled history so reports have data."""

from __future__ import annotations

from tawasul.sim import conf


def seed_demo() -> str:
    """Back-fill ``SIM_BACKFILL_DAYS`` days at ``SIM_DEMO_SCALE`` of "109" traffic (idempotent:
    days that already have simulated history are skipped)."""
    from tawasul.sim.backfill import backfill

    days = conf.demo_backfill_days()
    if days <= 0:
        return "history back-fill off (SIM_BACKFILL_DAYS=0)"
    return backfill(days=days, scale=conf.demo_scale()).summary()
