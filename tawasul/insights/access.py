"""Who may see which numbers: the insights room's reading of :mod:`tawasul.accounts.policy`
(``WALLBOARD_READ``, ``AGGREGATES_READ``).

* **Wallboard** (live queues, agents by state): center staff — agents, supervisors, quality
  analysts, planners, administrators. Back-office staff of an entity get no wallboard: it
  shows the whole center's queues, and an entity's share of a shared queue is not a
  meaningful live view.
* **Reports and bulletins**: supervisors, planners, quality analysts and administrators see
  every entity; back-office staff see only their own entity (the entity filter is forced and
  slicing by agent or site is refused: staff performance is the center's business); agents
  see none (they have the wallboard).

Numbers are aggregates: no resident's personal data is read, so nothing here is audited. The
second factor is checked as everywhere else, by ``tawasul.accounts.mfa``.
"""

from __future__ import annotations

from dataclasses import dataclass

from tawasul.accounts.models import User
from tawasul.accounts.policy import Action, Scope, may, scope_of


def can_view_wallboard(user: User) -> bool:
    return may(user, Action.WALLBOARD_READ)


@dataclass(frozen=True)
class ReportScope:
    """What a person may report on: every entity, or one (``entity_id``)."""

    entity_id: int | None
    all_entities: bool
    staff_slices: bool  # may slice by agent and site


def report_scope(user: User) -> ReportScope | None:
    """None: no reports at all."""
    scope = scope_of(user, Action.AGGREGATES_READ)
    if scope is Scope.ALL:
        return ReportScope(entity_id=None, all_entities=True, staff_slices=True)
    if scope is Scope.OWN_ENTITY:
        return ReportScope(entity_id=user.entity_id, all_entities=False, staff_slices=False)
    return None
