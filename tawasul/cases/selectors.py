"""Reads for cases, always through the caller's access scope."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone

from tawasul.accounts.access import scope_cases
from tawasul.accounts.models import AuditAction, User
from tawasul.accounts.services import audit_record
from tawasul.cases.choices import OPEN_STATUSES
from tawasul.cases.models import Case
from tawasul.errors import NotFound

MAX_REFERENCE_LENGTH = 40


def case_visible_to(user: User) -> QuerySet[Case]:
    return scope_cases(user, Case.objects.all())


def case_get(*, user: User, reference: str, for_update: bool = False) -> Case:
    """The case if the user may see it; otherwise 404, whether or not it exists."""
    reference = reference.strip().upper()
    # A reference is short printable text; anything else (a NUL byte from a URL, which
    # PostgreSQL cannot even compare) names no case.
    if not reference or len(reference) > MAX_REFERENCE_LENGTH or not reference.isprintable():
        raise NotFound("no such case", field="reference")
    case = (
        case_visible_to(user)
        .select_related("entity", "service", "department", "hotline", "assignee", "sla_policy")
        .filter(reference=reference)
        .first()
    )
    if case is None:
        raise NotFound("no such case", field="reference")
    return case


def case_read(
    *,
    user: User,
    reference: str,
    purpose: str,
    fields: Iterable[str],
    request: HttpRequest | None = None,
) -> Case:
    """:func:`case_get` for showing the case's content, with the audit entry that reading a
    resident's case needs (one per read, naming who, which case and why)."""
    case = case_get(user=user, reference=reference)
    audit_record(
        actor=user,
        action=AuditAction.READ,
        object_type="case",
        object_id=case.reference,
        resident_id=case.resident_id,
        fields=fields,
        purpose=purpose,
        request=request,
    )
    return case


def case_search(
    *,
    user: User,
    status: list[str] | None = None,
    kind: str | None = None,
    entity: str | None = None,
    department: str | None = None,
    priority: str | None = None,
    resident_id: int | None = None,
    overdue: bool | None = None,
    q: str | None = None,
    created_after: datetime | None = None,
    created_before: datetime | None = None,
    order: str = "-created_at",
) -> QuerySet[Case]:
    cases = case_visible_to(user).select_related("entity", "department")
    if status:
        cases = cases.filter(status__in=status)
    if kind:
        cases = cases.filter(kind=kind)
    if entity:
        cases = cases.filter(entity__code=entity)
    if department:
        cases = cases.filter(department__code=department)
    if priority:
        cases = cases.filter(priority=priority)
    if resident_id:
        cases = cases.filter(resident_id=resident_id)
    if overdue is not None:
        breached = Q(status__in=OPEN_STATUSES, resolution_due__lt=timezone.now())
        cases = cases.filter(breached) if overdue else cases.exclude(breached)
    if q:
        cases = cases.filter(
            Q(reference__iexact=q) | Q(subject__icontains=q) | Q(description__icontains=q)
        )
    if created_after:
        cases = cases.filter(created_at__gte=created_after)
    if created_before:
        cases = cases.filter(created_at__lt=created_before)
    return cases.order_by(order, "-id")


def case_is_breached(case: Case, now: datetime | None = None) -> bool:
    if case.status not in OPEN_STATUSES or case.resolution_due is None:
        return False
    if case.sla_paused_at is not None:
        return case.sla_paused_at > case.resolution_due
    return (now or timezone.now()) > case.resolution_due
