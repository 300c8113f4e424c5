"""Vocabulary of the routing engine: states, events (in), decisions (out), configuration, snapshots.

Everything here is a plain data class so that the voice gateway, the web desk and the simulator can
build events and read decisions without knowing the engine's internals. Events and decisions are
mutable ``slots`` data classes rather than frozen ones only because they are created millions of
times by the simulator and frozen data classes are about twice as slow to build; treat them as
immutable. For the same reason the ones made for every contact write their own ``__init__``: a
compiled build (``scripts/build_native.py``) turns it into C, where the ``__init__`` that
``dataclass`` generates stays interpreted code even then. The engine never keeps an event once
``handle`` has returned (it copies what it needs), so a caller may refill one event object for the
next event instead of building a new one; the simulator does so for its two per-contact events.

Times are ``float`` seconds on one monotonic axis chosen by the caller (Unix time in production,
seconds since the start of the run in the simulator). The engine never reads a clock.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    from tawasul.routing.calendar import BusinessCalendar

ContactId: TypeAlias = Hashable
AgentId: TypeAlias = Hashable
Skills: TypeAlias = Mapping[str, int]
"""Skill name -> level, e.g. ``{"lang:ar": 5, "entity:phcc": 3, "pool:surge": 1}``.

For requirements the level is a minimum: an agent matches when it has every required skill at a
level greater than or equal to the required one."""


class AgentState(StrEnum):
    """Where an agent is in its working cycle; only ``AVAILABLE`` agents receive offers."""

    LOGGED_OUT = "logged_out"
    AVAILABLE = "available"
    RESERVED = "reserved"  # an offer is ringing on the agent's phone / desk
    ON_CONTACT = "on_contact"
    WRAP_UP = "wrap_up"
    BREAK = "break"  # not ready, with a reason ("lunch", "no_answer", ...)


class ContactStatus(StrEnum):
    """Exactly one of these holds for every contact that ever arrived (the "nothing lost" rule)."""

    WAITING = "waiting"  # in line (on hold, or as a call-back request)
    OFFERED = "offered"  # reserved for one agent, ringing
    CONNECTED = "connected"  # talking to / being handled by that agent
    ENDED = "ended"  # handled and finished
    ABANDONED = "abandoned"  # the resident hung up / withdrew before being connected
    REJECTED = "rejected"  # refused at arrival: queue full or closed


# --------------------------------------------------------------------------------------------
# Configuration


@dataclass(frozen=True, slots=True)
class Relax:
    """Overflow step: after ``after`` seconds of waiting, widen the contact's requirements.

    With ``keep`` the contact's original requirements are reduced to the skills whose name starts
    with one of the prefixes (``keep=("lang:",)`` = "any agent who speaks the language"). With
    ``requirements`` they are replaced outright. Each Relax applies to the *original*
    requirements; the last Relax reached wins.
    """

    after: float
    keep: tuple[str, ...] | None = ("lang:",)
    requirements: Mapping[str, int] | None = None

    def apply(self, original: Mapping[str, int]) -> dict[str, int]:
        """Requirements of a contact whose original requirements are ``original``."""
        if self.requirements is not None:
            return dict(self.requirements)
        keep = self.keep or ()
        return {k: v for k, v in original.items() if k.startswith(keep)}


@dataclass(frozen=True, slots=True)
class OpenPool:
    """Overflow step: after ``after`` seconds, also offer the contact to a pool of agents.

    Pool members are agents with skill ``"pool:<pool>"``; ``keep`` selects which of the contact's
    original requirements a pool member must still meet (by default the language: a surge agent
    must still speak the caller's language). The contact keeps its other requirements as an
    alternative, so opening a pool only ever widens who may answer.
    """

    after: float
    pool: str = "surge"
    keep: tuple[str, ...] = ("lang:",)

    def apply(self, original: Mapping[str, int]) -> dict[str, int]:
        """Requirements that make an agent of this pool eligible."""
        req = {k: v for k, v in original.items() if k.startswith(self.keep)}
        req["pool:" + self.pool] = 1
        return req


OverflowStep: TypeAlias = Relax | OpenPool


@dataclass(frozen=True, slots=True)
class Queue:
    """Configuration of one queue (a line residents wait in, usually per hotline x entity).

    - ``requirements`` are merged under each arriving contact's own requirements (a queue for
      PHCC would say ``{"entity:phcc": 1}`` and the gateway adds ``{"lang:ur": 1}``).
    - ``priority`` is added to each contact's priority; higher is served first across all queues
      (the emergency hotline and escalations get a higher number).
    - ``overflow`` steps must be sorted by ``after``.
    - ``max_size`` bounds the callers *holding a line* (call-back requests do not count); a new
      contact beyond it is ``Rejected(reason="queue_full")`` with a call-back offer.
    - ``max_wait``: after this many seconds in line the engine emits ``CallbackOffered`` once.
    - ``calendar``: opening hours; ``None`` = 24/7. A contact arriving while closed gets ``Closed``.
    - ``wrap_up``: seconds of after-contact work before the agent is available again; 0 = straight
      to available; ``None`` = until the agent says ``AgentReady``.
    - ``offer_timeout``: seconds an offer may ring before the engine itself treats it as
      ring-no-answer (for web-desk offers); ``None`` = the gateway reports ``OfferNotAnswered``.
    - ``aht``: initial guess of the average handle time, refined from observed contacts, used only
      for the expected-wait estimate in ``Queued``.
    """

    name: str
    requirements: Mapping[str, int] = field(default_factory=dict)
    priority: int = 0
    overflow: tuple[OverflowStep, ...] = ()
    max_size: int | None = None
    max_wait: float | None = None
    calendar: BusinessCalendar | None = None
    wrap_up: float | None = 0.0
    offer_timeout: float | None = None
    aht: float = 180.0

    def __post_init__(self) -> None:
        afters = [s.after for s in self.overflow]
        if afters != sorted(afters):
            raise ValueError(f"queue {self.name!r}: overflow steps must be sorted by 'after'")
        if self.max_size is not None and self.max_size < 0:
            raise ValueError(f"queue {self.name!r}: max_size must be >= 0")
        if self.wrap_up is not None and self.wrap_up < 0:
            raise ValueError(f"queue {self.name!r}: wrap_up must be >= 0 or None")


# --------------------------------------------------------------------------------------------
# Events (facts reported to the engine). Every event has a time ``t``.


@dataclass(slots=True)
class ContactArrived:
    """A contact asks to be served.

    ``since`` overrides the place in line (defaults to ``t``): a call-back request restored from
    storage keeps its original enqueue time. ``callback=True`` marks a call-back request: it holds
    no line, so it is never rejected for a full queue or closed hours.
    """

    t: float
    contact_id: ContactId
    queue: str
    requirements: Mapping[str, int] = field(default_factory=dict)
    priority: int = 0
    since: float | None = None
    callback: bool = False

    def __init__(
        self,
        t: float,
        contact_id: ContactId,
        queue: str,
        requirements: Mapping[str, int] | None = None,
        priority: int = 0,
        since: float | None = None,
        callback: bool = False,
    ) -> None:
        self.t = t
        self.contact_id = contact_id
        self.queue = queue
        self.requirements = {} if requirements is None else requirements
        self.priority = priority
        self.since = since
        self.callback = callback


@dataclass(slots=True)
class _ContactEvent:
    """Base of the events that name only a time and a contact."""

    t: float
    contact_id: ContactId

    def __init__(self, t: float, contact_id: ContactId) -> None:
        self.t = t
        self.contact_id = contact_id


@dataclass(slots=True, init=False)
class ContactAbandoned(_ContactEvent):
    """The resident hung up (or withdrew a digital contact) while waiting or ringing."""


@dataclass(slots=True, init=False)
class ContactAnswered(_ContactEvent):
    """The offered agent picked up / accepted: the contact is connected."""


@dataclass(slots=True)
class OfferNotAnswered:
    """Ring-no-answer (or the agent declined): the agent goes on break with ``reason`` and the
    contact goes back to the head of its line with its original place."""

    t: float
    contact_id: ContactId
    reason: str = "no_answer"


@dataclass(slots=True, init=False)
class ContactEnded(_ContactEvent):
    """A connected contact finished; the agent goes to wrap-up."""


@dataclass(slots=True, init=False)
class CallbackAccepted(_ContactEvent):
    """The caller accepted a call-back: it leaves the voice line but keeps its place."""


@dataclass(slots=True, init=False)
class CallbackDeclined(_ContactEvent):
    """The caller declined the call-back offer and keeps holding."""


@dataclass(slots=True)
class ContactReprioritized:
    """A supervisor escalated (or de-escalated) a contact; its place in line follows."""

    t: float
    contact_id: ContactId
    priority: int


@dataclass(slots=True)
class AgentLoggedIn:
    """An agent logs in with its skills and becomes available.

    With ``auto_answer`` (a phone or desk set to pick up by itself) an offer connects at once:
    the ``Offer`` still tells whom to connect, and no ``ContactAnswered`` is expected."""

    t: float
    agent_id: AgentId
    skills: Mapping[str, int]
    auto_answer: bool = False

    def __init__(
        self, t: float, agent_id: AgentId, skills: Mapping[str, int], auto_answer: bool = False
    ) -> None:
        self.t = t
        self.agent_id = agent_id
        self.skills = skills
        self.auto_answer = auto_answer


# The agent events are made for every shift and break of a simulated month (tens of thousands):
# hand-written ``__init__`` too.


@dataclass(slots=True)
class AgentLoggedOut:
    """Log out; during a contact it takes effect when the contact (and wrap-up) ends."""

    t: float
    agent_id: AgentId

    def __init__(self, t: float, agent_id: AgentId) -> None:
        self.t = t
        self.agent_id = agent_id


@dataclass(slots=True)
class AgentReady:
    """The agent is ready: ends a break or wrap-up, or cancels a pending break/logout."""

    t: float
    agent_id: AgentId

    def __init__(self, t: float, agent_id: AgentId) -> None:
        self.t = t
        self.agent_id = agent_id


@dataclass(slots=True)
class AgentBreak:
    """The agent goes not-ready with a reason; during a contact it takes effect after it."""

    t: float
    agent_id: AgentId
    reason: str = "break"

    def __init__(self, t: float, agent_id: AgentId, reason: str = "break") -> None:
        self.t = t
        self.agent_id = agent_id
        self.reason = reason


@dataclass(slots=True)
class AgentSkillsChanged:
    """A supervisor changed the agent's skills (takes effect at once for future offers)."""

    t: float
    agent_id: AgentId
    skills: Mapping[str, int]


@dataclass(slots=True)
class Tick:
    """Only advances time; send it at ``engine.next_deadline()`` so timers fire on time."""

    t: float

    def __init__(self, t: float) -> None:
        self.t = t


Event: TypeAlias = (
    ContactArrived
    | ContactAbandoned
    | ContactAnswered
    | OfferNotAnswered
    | ContactEnded
    | CallbackAccepted
    | CallbackDeclined
    | ContactReprioritized
    | AgentLoggedIn
    | AgentLoggedOut
    | AgentReady
    | AgentBreak
    | AgentSkillsChanged
    | Tick
)


# --------------------------------------------------------------------------------------------
# Decisions (what the engine wants done).


@dataclass(slots=True)
class Offer:
    """Ring ``agent_id`` with ``contact_id``; the agent is now reserved for it."""

    contact_id: ContactId
    agent_id: AgentId
    queue: str

    def __init__(self, contact_id: ContactId, agent_id: AgentId, queue: str) -> None:
        self.contact_id = contact_id
        self.agent_id = agent_id
        self.queue = queue


@dataclass(slots=True)
class Queued:
    """The contact waits (again): tell the caller its position and expected wait (seconds)."""

    contact_id: ContactId
    queue: str
    position: int
    expected_wait: float

    def __init__(
        self, contact_id: ContactId, queue: str, position: int, expected_wait: float
    ) -> None:
        self.contact_id = contact_id
        self.queue = queue
        self.position = position
        self.expected_wait = expected_wait


@dataclass(slots=True)
class Rejected:
    """The contact was refused (``reason="queue_full"``); the gateway offers a call-back."""

    contact_id: ContactId
    queue: str
    reason: str
    callback_offered: bool = True


@dataclass(slots=True)
class Closed:
    """The queue is closed: play the after-hours message and offer a call-back."""

    contact_id: ContactId
    queue: str
    callback_offered: bool = True


@dataclass(slots=True)
class CallbackOffered:
    """The contact waited ``max_wait``: offer the caller a call-back (answer with
    ``CallbackAccepted`` / ``CallbackDeclined``)."""

    contact_id: ContactId
    queue: str

    def __init__(self, contact_id: ContactId, queue: str) -> None:
        self.contact_id = contact_id
        self.queue = queue


@dataclass(slots=True)
class Overflowed:
    """Overflow step number ``step`` (0-based) of the queue was applied to the contact."""

    contact_id: ContactId
    queue: str
    step: int
    action: OverflowStep

    def __init__(self, contact_id: ContactId, queue: str, step: int, action: OverflowStep) -> None:
        self.contact_id = contact_id
        self.queue = queue
        self.step = step
        self.action = action


@dataclass(slots=True)
class OfferRevoked:
    """Stop ringing ``agent_id``: the offer was withdrawn (caller abandoned, ring timeout,
    agent went on break or logged out)."""

    contact_id: ContactId
    agent_id: AgentId
    reason: str

    def __init__(self, contact_id: ContactId, agent_id: AgentId, reason: str) -> None:
        self.contact_id = contact_id
        self.agent_id = agent_id
        self.reason = reason


@dataclass(slots=True)
class AgentStateChanged:
    """The engine moved the agent to ``state`` on its own (end of contact or wrap-up,
    ring-no-answer, a pending break applied, an offer withdrawn). Moves to ``reserved`` are
    announced by ``Offer``; states an agent asked for itself are not echoed."""

    agent_id: AgentId
    state: AgentState
    reason: str | None = None

    def __init__(self, agent_id: AgentId, state: AgentState, reason: str | None = None) -> None:
        self.agent_id = agent_id
        self.state = state
        self.reason = reason


Decision: TypeAlias = (
    Offer
    | Queued
    | Rejected
    | Closed
    | CallbackOffered
    | Overflowed
    | OfferRevoked
    | AgentStateChanged
)


# --------------------------------------------------------------------------------------------
# Snapshots (query results).


@dataclass(frozen=True, slots=True)
class QueueStats:
    """Live view of one queue for the wallboard; counters are since the engine started."""

    queue: str
    waiting: int  # all contacts in line, call-backs included
    callbacks_waiting: int
    longest_wait: float  # seconds the oldest contact in line has waited (0 if none)
    ringing: int
    connected: int
    arrived: int
    offered: int  # offers made (a contact re-offered after no-answer counts again)
    answered: int
    abandoned: int
    rejected: int
    closed: int
    ended: int
    callbacks_offered: int
    callbacks_accepted: int
    overflowed: int
    no_answer: int


@dataclass(frozen=True, slots=True)
class AgentSnapshot:
    """One agent as a supervisor sees it."""

    agent_id: AgentId
    state: AgentState
    reason: str | None
    since: float
    time_in_state: float
    idle_since: float | None  # when it last became available (None unless available)
    contact_id: ContactId | None
    pending: AgentState | None  # break/logout requested during a contact
    skills: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class ContactSnapshot:
    """One contact: where it is and what it needs."""

    contact_id: ContactId
    queue: str
    status: ContactStatus
    priority: int
    since: float
    position: int | None  # 1-based place in its queue while waiting
    agent_id: AgentId | None
    callback: bool
    overflow_step: int  # how many overflow steps applied
    eligible: tuple[Mapping[str, int], ...]  # alternative requirement sets (any one suffices)
