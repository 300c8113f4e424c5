"""Who may see what: the one place that scopes querysets by role and entity.

Center staff (agents, supervisors, quality analysts, administrators) serve every entity the
center answers for. Back-office staff see only their entity's cases, and only the residents
those cases concern. Planners work on aggregates and see no case or resident.
"""

from __future__ import annotations

from django.db.models import QuerySet

from tawasul.accounts.models import CENTER_ROLES, Role, User


class AccessDenied(Exception):
    """The user may not see or do this. Rendered as 404 for reads so ids do not leak."""


def is_center_staff(user: User) -> bool:
    return user.is_superuser or user.role in CENTER_ROLES


def scope_cases(user: User, cases: QuerySet) -> QuerySet:
    if is_center_staff(user):
        return cases
    if user.role == Role.BACKOFFICE and user.entity_id:
        cases = cases.filter(entity_id=user.entity_id)
        department_ids = list(user.departments.values_list("id", flat=True))
        if department_ids:
            cases = cases.filter(department_id__in=department_ids)
        return cases
    return cases.none()


def scope_residents(user: User, residents: QuerySet) -> QuerySet:
    if is_center_staff(user):
        return residents
    if user.role == Role.BACKOFFICE and user.entity_id:
        from tawasul.cases.models import Case

        visible_cases = scope_cases(user, Case.objects.all())
        return residents.filter(id__in=visible_cases.values("resident_id"))
    return residents.none()


def scope_interactions(user: User, interactions: QuerySet) -> QuerySet:
    if is_center_staff(user):
        return interactions
    if user.role == Role.BACKOFFICE and user.entity_id:
        from tawasul.cases.models import Case

        visible_cases = scope_cases(user, Case.objects.all())
        return interactions.filter(cases__in=visible_cases).distinct()
    return interactions.none()


def require_center_staff(user: User) -> None:
    if not is_center_staff(user):
        raise AccessDenied("center staff only")


def can_create_cases(user: User) -> bool:
    return is_center_staff(user) or user.role == Role.BACKOFFICE
