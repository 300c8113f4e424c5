"""Who may see workforce plans: planners, supervisors and administrators (aggregates only,
no resident or case data)."""

from __future__ import annotations

from tawasul.accounts.models import Role, User

PLANNING_ROLES = frozenset({Role.PLANNER, Role.SUPERVISOR, Role.ADMIN})


def can_plan(user: User) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.role in PLANNING_ROLES))
