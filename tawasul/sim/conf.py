"""Settings of the simulator room (environment variables, overridable in settings.py)."""

from __future__ import annotations

import os

from django.conf import settings


def demo_scale() -> float:
    """Share of "109" traffic the demo back-fill writes (default 1/20: ~580 contacts a day)."""
    return float(getattr(settings, "SIM_DEMO_SCALE", os.environ.get("SIM_DEMO_SCALE", 0.05)))


def demo_backfill_days() -> int:
    """Days of history ``tawasul seed demo`` back-fills (0 = none)."""
    return int(getattr(settings, "SIM_BACKFILL_DAYS", os.environ.get("SIM_BACKFILL_DAYS", 90)))


def live_rate() -> float:
    """Contacts per minute of the live demo stream."""
    return float(getattr(settings, "SIM_LIVE_PER_MINUTE", os.environ.get("SIM_LIVE_PER_MINUTE", 4)))


def live_enabled() -> bool:
    """Whether ``tawasul run`` starts the live stream (SIM_LIVE=0 turns it off)."""
    value = getattr(settings, "SIM_LIVE", os.environ.get("SIM_LIVE", "1"))
    return str(value).lower() not in ("0", "false", "no", "off", "")
