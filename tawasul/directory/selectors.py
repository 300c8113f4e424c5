"""Reads for the directory."""

from __future__ import annotations

import threading
import time

from django.db.models.signals import m2m_changed, post_delete, post_save

from tawasul.directory.hours import HoursSpec
from tawasul.directory.models import (
    BusinessCalendar,
    Department,
    Entity,
    Holiday,
    Hotline,
    Language,
    Service,
    WeeklyHours,
)

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


# --- per-process lookups of the directory by code --------------------------------------------
# Case creation looks up an entity, service and hotline by their codes on every request; the
# directory changes rarely, so each process keeps them for a minute (edits here clear at once).
_LOOKUP_SECONDS = 60
_lookups: dict[tuple, tuple[float, object]] = {}


def _cached(key: tuple, load):
    now = time.monotonic()
    hit = _lookups.get(key)
    if hit is not None and now - hit[0] < _LOOKUP_SECONDS:
        return hit[1]
    value = load()
    _lookups[key] = (now, value)
    return value


def entity_by_code(code: str) -> Entity | None:
    return _cached(("entity", code), lambda: Entity.objects.filter(code=code, active=True).first())


def service_by_code(code: str) -> Service | None:
    return _cached(
        ("service", code),
        lambda: (
            Service.objects.select_related("entity", "department", "department__entity")
            .filter(code=code, active=True)
            .first()
        ),
    )


def department_by_code(entity: Entity, code: str) -> Department | None:
    return _cached(
        ("department", entity.pk, code),
        lambda: Department.objects.filter(entity=entity, code=code, active=True).first(),
    )


def hotline_by_number(number: str) -> Hotline | None:
    return _cached(
        ("hotline", number), lambda: Hotline.objects.filter(number=number, active=True).first()
    )


def everyday_hotline_number(entity: Entity) -> str | None:
    """The entity's everyday line (lowest routing priority), not its emergency one."""

    def load():
        line = entity.hotlines.filter(active=True).order_by("priority", "number").first()
        return line.number if line else None

    return _cached(("everyday-line", entity.pk), load)


def language_name(code: str, ui_language: str) -> str:
    """The name of the language ``code`` in the UI language (Arabic or English), else the code.

    Agents read "العربية"/"Arabic", not "ar"; an unknown code is shown as it came.
    """
    language = _cached(("language", code), lambda: Language.objects.filter(code=code).first())
    if language is None:
        return code
    return language.name_ar if ui_language.startswith("ar") else language.name_en


def _forget_lookups(**_kwargs) -> None:
    _lookups.clear()


m2m_changed.connect(_forget_lookups, sender=Hotline.entities.through, dispatch_uid="lookup-m2m")


for _model in (Entity, Service, Department, Hotline, Language):
    post_save.connect(_forget_lookups, sender=_model, dispatch_uid=f"lookup-{_model.__name__}")
    post_delete.connect(_forget_lookups, sender=_model, dispatch_uid=f"lookup-d-{_model.__name__}")
