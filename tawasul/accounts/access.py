"""Who may see what: the query side of :mod:`tawasul.accounts.policy`.

Each function narrows a queryset to what the policy's read action allows: ``Scope.ALL``
(center staff: agents, supervisors, quality analysts, administrators) sees every entity;
``Scope.OWN_ENTITY`` (back-office staff) sees only their entity's cases — and only their
departments' when they are limited to some — and only the residents and contacts those cases
concern; a role without the read action (planners) sees nothing.
"""

from __future__ import annotations

from django.apps import apps
from django.db.models import QuerySet

from tawasul.accounts.models import CENTER_ROLES, User
from tawasul.accounts.policy import Action, Scope, may, scope_of


class AccessDenied(Exception):
    """The user may not see or do this. Rendered as 404 for reads so ids do not leak."""


def is_center_staff(user: User) -> bool:
    return user.is_superuser or user.role in CENTER_ROLES


def scope_cases(user: User, cases: QuerySet) -> QuerySet:
    scope = scope_of(user, Action.CASE_READ)
    if scope is Scope.ALL:
        return cases
    if scope is Scope.OWN_ENTITY:
        cases = cases.filter(entity_id=user.entity_id)
        department_ids = list(user.departments.values_list("id", flat=True))
        if department_ids:
            cases = cases.filter(department_id__in=department_ids)
        return cases
    return cases.none()


def _case_model():
    # Case lives in a room above accounts (cases imports accounts): ask the model registry.
    return apps.get_model("cases", "Case")


def scope_residents(user: User, residents: QuerySet) -> QuerySet:
    scope = scope_of(user, Action.RESIDENT_READ)
    if scope is Scope.ALL:
        return residents
    if scope is Scope.OWN_ENTITY:
        visible_cases = scope_cases(user, _case_model().objects.all())
        return residents.filter(id__in=visible_cases.values("resident_id"))
    return residents.none()


def scope_interactions(user: User, interactions: QuerySet) -> QuerySet:
    scope = scope_of(user, Action.INTERACTION_READ)
    if scope is Scope.ALL:
        return interactions
    if scope is Scope.OWN_ENTITY:
        visible_cases = scope_cases(user, _case_model().objects.all())
        return interactions.filter(cases__in=visible_cases).distinct()
    return interactions.none()


def require_center_staff(user: User) -> None:
    if not is_center_staff(user):
        raise AccessDenied("center staff only")


def can_create_cases(user: User) -> bool:
    return may(user, Action.CASE_CREATE)
