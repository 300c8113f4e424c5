"""SLA targets and due times on the handling department's business calendar."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from django.db.models import Q

from tawasul.cases.models import SlaPolicy
from tawasul.directory.hours import HoursSpec
from tawasul.directory.models import Department, Entity
from tawasul.directory.selectors import calendar_hours


def hours_for(*, entity: Entity, department: Department | None) -> HoursSpec:
    """Department calendar, else the entity's, else always open."""
    calendar_id = (department.calendar_id if department else None) or entity.calendar_id
    return calendar_hours(calendar_id)


def policy_for(*, entity: Entity, kind: str, priority: str) -> SlaPolicy | None:
    """The entity's own policy for this kind and priority, else the center default."""
    candidates = SlaPolicy.objects.filter(
        Q(entity=entity) | Q(entity__isnull=True), kind=kind, priority=priority
    )
    return min(candidates, key=lambda p: p.entity_id is None, default=None)


def due_after(spec: HoursSpec, start: datetime, business_hours: Decimal | float) -> datetime:
    return spec.add_business_time(start, timedelta(hours=float(business_hours)))
