"""Settings of the insights room: getattr(settings, NAME, default), overridable by env vars."""

from __future__ import annotations

import os

from django.conf import settings


def _number(name: str, default: float) -> float:
    return float(getattr(settings, name, os.environ.get(name, default)))


def short_abandon_seconds() -> float:
    """Callers who hang up sooner than this are short abandons: out of offered and abandoned.

    The roll-ups are counted with the value in force when each contact ended; after changing
    it, run ``tawasul rollups_rebuild`` so history is counted the same way.
    """
    return _number("INSIGHTS_SHORT_ABANDON_SECONDS", 5)


def service_level_seconds() -> int:
    """The default service-level threshold T (seconds) shown on screens and bulletins."""
    return int(_number("INSIGHTS_SERVICE_LEVEL_SECONDS", 20))


def service_level_variant() -> str:
    """How abandons count in the service level: ``against`` (default), ``ignored`` or ``for``."""
    return str(getattr(settings, "INSIGHTS_SERVICE_LEVEL_VARIANT", None)
               or os.environ.get("INSIGHTS_SERVICE_LEVEL_VARIANT", "against"))  # fmt: skip


def bulletin_top_entities() -> int:
    """Entities listed by name in a bulletin's "calls by entity" table; the rest are "others"."""
    return int(_number("INSIGHTS_BULLETIN_TOP_ENTITIES", 4))


def wallboard_min_push_seconds() -> float:
    """Fewest seconds between two wallboard pushes caused by contacts changing (per process)."""
    return _number("INSIGHTS_WALLBOARD_MIN_PUSH_SECONDS", 1)


def wallboard_refresh_seconds() -> float:
    """Each open wallboard also refreshes itself this often, catching changes a throttled
    push skipped."""
    return _number("INSIGHTS_WALLBOARD_REFRESH_SECONDS", 10)


def waiting_horizon_hours() -> float:
    """A contact still pending after this long is treated as a stale row, not as waiting."""
    return _number("INSIGHTS_WAITING_HORIZON_HOURS", 12)
