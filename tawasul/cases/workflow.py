"""The case lifecycle as data: which action moves a case from which status to which.

new → assigned (routed to a department) → in progress → awaiting resident → resolved → closed,
with reopen from resolved or closed. Kept free of Django so it can be read, tested and drawn
on its own; :mod:`tawasul.cases.services` applies it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Action(StrEnum):
    ROUTE = "route"
    RETURN_TO_CENTER = "return_to_center"
    START = "start"
    REQUEST_INFO = "request_info"
    RESUME = "resume"
    RESOLVE = "resolve"
    CLOSE = "close"
    REOPEN = "reopen"


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str
    needs_reason: bool = False


TRANSITIONS: dict[Action, Transition] = {
    Action.ROUTE: Transition(frozenset({"new", "assigned", "in_progress"}), "assigned"),
    # The department says the case is not theirs: back to the center's triage, unassigned.
    Action.RETURN_TO_CENTER: Transition(
        frozenset({"assigned", "in_progress"}), "new", needs_reason=True
    ),
    Action.START: Transition(frozenset({"new", "assigned"}), "in_progress"),
    Action.REQUEST_INFO: Transition(
        frozenset({"assigned", "in_progress"}), "awaiting_resident", needs_reason=True
    ),
    Action.RESUME: Transition(frozenset({"awaiting_resident"}), "in_progress"),
    Action.RESOLVE: Transition(
        frozenset({"new", "assigned", "in_progress", "awaiting_resident"}),
        "resolved",
        needs_reason=True,
    ),
    Action.CLOSE: Transition(frozenset({"resolved"}), "closed"),
    Action.REOPEN: Transition(frozenset({"resolved", "closed"}), "in_progress", needs_reason=True),
}


class IllegalTransition(Exception):
    def __init__(self, action: str, status: str) -> None:
        self.action, self.status = action, status
        super().__init__(f"cannot {action} a case that is {status}")


def next_status(status: str, action: str) -> str:
    """The status after ``action``, or :class:`IllegalTransition`."""
    try:
        transition = TRANSITIONS[Action(action)]
    except ValueError:
        raise IllegalTransition(action, status) from None
    if status not in transition.sources:
        raise IllegalTransition(action, status)
    return transition.target


def allowed_actions(status: str) -> list[str]:
    return [action.value for action, t in TRANSITIONS.items() if status in t.sources]
