"""Reads for the directory."""

from __future__ import annotations

import threading
import time

from django.db.models.signals import post_delete, post_save

from tawasul.directory.hours import HoursSpec
from tawasul.directory.models import BusinessCalendar, Holiday, WeeklyHours

ALWAYS_OPEN = HoursSpec(always_open=True)
_CACHE_SECONDS = 300
_cache: dict[int, tuple[float, HoursSpec]] = {}
_cache_lock = threading.Lock()


def calendar_hours(calendar_id: int | None) -> HoursSpec:
    """A calendar's hours, cached per process: a case create must not reload every holiday.

    Edits in this process clear the cache at once; other processes pick them up within
    five minutes.
    """
    if calendar_id is None:
        return ALWAYS_OPEN
    now = time.monotonic()
    with _cache_lock:
        hit = _cache.get(calendar_id)
    if hit and now - hit[0] < _CACHE_SECONDS:
        return hit[1]
    spec = BusinessCalendar.objects.get(pk=calendar_id).hours_spec()
    with _cache_lock:
        _cache[calendar_id] = (now, spec)
    return spec


def _forget_calendars(**_kwargs) -> None:
    with _cache_lock:
        _cache.clear()


for _model in (BusinessCalendar, WeeklyHours, Holiday):
    post_save.connect(_forget_calendars, sender=_model, dispatch_uid=f"hours-{_model.__name__}")
    post_delete.connect(_forget_calendars, sender=_model, dispatch_uid=f"hours-d-{_model.__name__}")
