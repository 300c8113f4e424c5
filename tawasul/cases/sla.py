"""SLA targets and due times on the handling department's business calendar."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from tawasul.cases.models import SlaPolicy
from tawasul.directory.hours import HoursSpec
from tawasul.directory.models import Department, Entity
from tawasul.directory.selectors import calendar_hours


def hours_for(*, entity: Entity, department: Department | None) -> HoursSpec:
    """Department calendar, else the entity's, else always open."""
    calendar_id = (department.calendar_id if department else None) or entity.calendar_id
    return calendar_hours(calendar_id)


_POLICY_SECONDS = 60
_policies: dict[tuple, tuple[float, SlaPolicy | None]] = {}


def policy_for(*, entity: Entity, kind: str, priority: str) -> SlaPolicy | None:
    """The entity's own policy for this kind and priority, else the center default.

    Kept per process for a minute: every case creation asks, policies change rarely.
    """
    key = (entity.pk, kind, priority)
    now = time.monotonic()
    hit = _policies.get(key)
    if hit is not None and now - hit[0] < _POLICY_SECONDS:
        return hit[1]
    candidates = SlaPolicy.objects.filter(
        Q(entity=entity) | Q(entity__isnull=True), kind=kind, priority=priority
    )
    policy = min(candidates, key=lambda p: p.entity_id is None, default=None)
    _policies[key] = (now, policy)
    return policy


def _forget_policies(**_kwargs) -> None:
    _policies.clear()


post_save.connect(_forget_policies, sender=SlaPolicy, dispatch_uid="sla-policy-saved")
post_delete.connect(_forget_policies, sender=SlaPolicy, dispatch_uid="sla-policy-deleted")


def due_after(spec: HoursSpec, start: datetime, business_hours: Decimal | float) -> datetime:
    return spec.add_business_time(start, timedelta(hours=float(business_hours)))
