"""The routing engine: one object, events in, decisions out.

Data structures (why the hot path never scans all agents or all contacts):

- A *requirement set* (``_Req``) is an interned, sorted tuple of ``(skill, min_level)``. Every
  distinct set seen in a contact (after merging queue requirements and applying overflow) gets one
  ``_Req`` — a center has a few hundred (language x entity, plus relaxed ones).
- Agents with identical skills share a ``_Profile`` holding the list of ``_Req`` it satisfies; it
  is computed once per (profile, requirement set), not per event.
- Each ``_Req`` keeps ``idle``: the available agents that satisfy it, as a list of ``_Idle``
  entries (one per spell of availability, shared by all the lists the agent is in) in the order
  the agents became available. Agents become available at the current time, and time never goes
  backwards, so list order *is* idle-since order: the first live entry is the longest-idle
  agent. An agent that stops being available is not searched for in the ~17 lists it is in: its
  ``idle`` entry is dropped, which makes every copy of it dead, so leaving is O(1) and joining is
  one append per list; dead entries are skipped from the head (``first_idle``) or swept every
  ``_SWEEP_EVERY`` joins, so a list holds about twice as many entries as it has agents at most,
  plus what one sweep interval adds.
- Each ``_Req`` keeps ``waiting``: a heap of contacts that may be served under it, keyed by
  ``(-priority, since, seq)``, with lazy deletion (an entry is live only if the contact is still
  waiting with the same ``version``); a heap whose dead entries dominate is compacted.
- Per queue, a sorted list of the same keys gives a contact's position by bisection.
- Timers (overflow steps, maximum wait, wrap-up end, offer timeout) live in one heap of deadlines
  with lazy invalidation; ``next_deadline()`` tells the caller when to send a ``Tick``.

Matching rules: a contact that starts waiting (arrival, ring-no-answer, overflow widening) takes
the longest-idle available agent over all its alternative requirement sets; an agent that becomes
available takes the best waiting contact (highest priority, then earliest ``since``) over all the
requirement sets it satisfies. Because both sides are matched the moment they appear, no available
agent ever idles while a contact it could serve is waiting.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping
from heapq import heapify, heappop, heappush
from typing import Final, NoReturn

from tawasul.routing.model import (
    AgentBreak,
    AgentId,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentSkillsChanged,
    AgentSnapshot,
    AgentState,
    AgentStateChanged,
    CallbackAccepted,
    CallbackDeclined,
    CallbackOffered,
    Closed,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    ContactId,
    ContactReprioritized,
    ContactSnapshot,
    ContactStatus,
    Decision,
    Offer,
    OfferNotAnswered,
    OfferRevoked,
    Overflowed,
    Queue,
    Queued,
    QueueStats,
    Rejected,
    Relax,
    Tick,
)

__all__ = ["RoutingEngine", "RoutingError"]

# Final: a compiled build makes these C constants instead of module-dictionary look-ups.
_LOGGED_OUT: Final = AgentState.LOGGED_OUT
_AVAILABLE: Final = AgentState.AVAILABLE
_RESERVED: Final = AgentState.RESERVED
_ON_CONTACT: Final = AgentState.ON_CONTACT
_WRAP_UP: Final = AgentState.WRAP_UP
_BREAK: Final = AgentState.BREAK

_WAITING: Final = ContactStatus.WAITING
_OFFERED: Final = ContactStatus.OFFERED
_CONNECTED: Final = ContactStatus.CONNECTED
_ENDED: Final = ContactStatus.ENDED
_ABANDONED: Final = ContactStatus.ABANDONED
_REJECTED: Final = ContactStatus.REJECTED

_DL_OVERFLOW: Final = 0
_DL_MAXWAIT: Final = 1
_DL_WRAP: Final = 2
_DL_OFFER: Final = 3

_AHT_ALPHA: Final = 0.05  # weight of one observed handle time in the running average
_SWEEP_EVERY: Final = 4096  # agents made available between sweeps of dead idle entries
_INF: Final = float("inf")
_MEMO_SIZE: Final = 64  # requirement mappings remembered by identity, per queue
_PROFILE_MEMO_SIZE: Final = 4096  # skills mappings remembered by identity


class RoutingError(ValueError):
    """An event that cannot apply (unknown id, wrong state, unknown queue).

    The engine state is unchanged by the faulty event itself, but timers that were due before it
    did fire; their decisions are in ``decisions`` and must still be carried out.
    """

    def __init__(self, message: str, decisions: list[Decision] | None = None) -> None:
        super().__init__(message)
        self.decisions: list[Decision] = decisions if decisions is not None else []


class _Req:
    __slots__ = ("head", "idle", "key", "n_waiting", "ovf", "skills", "staffed", "waiting")

    def __init__(self, key: tuple[tuple[str, int], ...]) -> None:
        self.key = key
        self.skills = dict(key)
        self.idle: list[_Idle] = []  # oldest first; see the module docstring
        self.head = 0  # entries before it are dead
        self.waiting: list[tuple[int, float, int, int, _Contact]] = []
        self.n_waiting = 0  # live entries in ``waiting``
        self.staffed = 0  # logged-in agents that satisfy it
        self.ovf: dict[tuple[_QueueState, int], tuple[_Req, ...]] = {}

    def first_idle(self) -> _Agent | None:
        """The longest-idle available agent that satisfies this set, or None."""
        idle = self.idle
        i = self.head
        n = len(idle)
        while i < n:
            e = idle[i]
            if e.live:
                self.head = i
                return e.agent
            i += 1
        self.head = n  # all dead: left to the next sweep rather than freed and regrown now
        return None

    def idle_agents(self) -> list[_Agent]:
        """The available agents that satisfy this set, longest idle first."""
        return [e.agent for e in self.idle[self.head :] if e.live]

    def sweep(self) -> None:
        """Drop the dead entries."""
        self.idle = [e for e in self.idle[self.head :] if e.live]
        self.head = 0


class _Idle:
    """One spell of availability of one agent, as listed in the idle index."""

    __slots__ = ("agent", "live", "seq")

    def __init__(self, seq: int, agent: _Agent) -> None:
        self.seq = seq  # the agent's avail_seq: the order of the spells
        self.agent = agent
        # While the spell lasts (``agent.idle is self``); kept here so that skipping dead
        # entries reads one field of the entry rather than its agent's.
        self.live = True


class _Profile:
    __slots__ = ("members", "reqs", "skills")

    def __init__(self, skills: dict[str, int]) -> None:
        self.skills = skills
        self.reqs: list[_Req] = []
        self.members: dict[_Agent, None] = {}  # logged-in agents with exactly these skills


class _Agent:
    __slots__ = (
        "auto_answer",
        "avail_seq",
        "contact",
        "epoch",
        "id",
        "idle",
        "idle_since",
        "pending",
        "profile",
        "reason",
        "since",
        "state",
    )

    def __init__(self, agent_id: AgentId, profile: _Profile, now: float) -> None:
        self.id = agent_id
        self.profile = profile
        self.state = _LOGGED_OUT
        self.reason: str | None = None
        self.since = now
        self.idle_since = now
        self.avail_seq = 0
        self.auto_answer = False
        self.idle: _Idle | None = None  # its live idle entry while available
        self.contact: _Contact | None = None
        self.pending: tuple[AgentState, str | None] | None = None
        self.epoch = 0


class _Contact:
    __slots__ = (
        "agent",
        "alts",
        "answered_at",
        "base",
        "callback",
        "cb_offered",
        "id",
        "offers",
        "queue",
        "rank",
        "seq",
        "since",
        "stage",
        "state",
        "version",
    )

    def __init__(
        self, cid: ContactId, q: _QueueState, base: _Req, rank: int, since: float, seq: int
    ) -> None:
        self.id = cid
        self.queue = q
        self.base = base
        self.alts: tuple[_Req, ...] = (base,)
        # The place in line is (rank, since, seq), rank = -priority; kept as three fields and
        # made a tuple (``place()``) only for a contact that waits: most never do.
        self.rank = rank
        self.since = since
        self.seq = seq
        self.state = _WAITING
        self.version = 0
        self.agent: _Agent | None = None
        self.stage = 0
        self.callback = False
        self.cb_offered = False
        self.offers = 0
        self.answered_at = 0.0

    def place(self) -> tuple[int, float, int]:
        """The key of its place in line (lower first), as kept in its queue's ``line``."""
        return (self.rank, self.since, self.seq)


class _QueueState:
    __slots__ = (
        "abandoned",
        "aht",
        "answered",
        "arrived",
        "callbacks_accepted",
        "callbacks_offered",
        "cfg",
        "closed",
        "ended",
        "line",
        "n_connected",
        "n_held",
        "n_offered",
        "name",
        "no_answer",
        "offered",
        "overflowed",
        "rejected",
        "req_cache",
        "req_memo",
    )

    def __init__(self, cfg: Queue) -> None:
        self.cfg = cfg
        self.req_cache: dict[tuple, _Req] = {}  # contact requirements (as given) -> merged _Req
        # id(requirements mapping) -> (that mapping, a copy of it, its merged _Req)
        self.req_memo: dict[int, tuple[Mapping[str, int], dict[str, int], _Req]] = {}
        self.name = cfg.name
        self.line: list[tuple] = []  # sorted keys of waiting contacts
        self.n_held = 0  # waiting contacts holding a line (not call-backs)
        self.n_offered = 0
        self.n_connected = 0
        self.aht = cfg.aht
        self.arrived = self.offered = self.answered = self.abandoned = 0
        self.rejected = self.closed = self.ended = self.no_answer = 0
        self.callbacks_offered = self.callbacks_accepted = self.overflowed = 0


# Typed ``dict`` (both are the engine's own copies): a compiled build then calls the dict's C
# functions instead of looking up ``items`` and ``get`` as methods of a generic mapping.
def _satisfies(skills: dict[str, int], req: dict[str, int]) -> bool:
    for name, level in req.items():
        have = skills.get(name)
        if have is None or have < level:
            return False
    return True


def _req_key(skills: Mapping[str, int]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(skills.items()))


def _entry_seq(entry: _Idle) -> int:
    return entry.seq


class RoutingEngine:
    """Automatic contact distribution for one center. Not thread-safe: feed it from one loop.

    ``handle(event)`` first fires every timer due at or before ``event.t`` (in time order, each at
    its own time), then applies the event, and returns the decisions in the order they were made.
    Event times earlier than the last one are treated as "now" (time never goes backwards).

    With ``retain_finished=True`` the engine remembers ended/abandoned/rejected contacts so that
    ``contact()`` can report them (tests, small deployments); by default it forgets them and only
    counts them, so a year of traffic fits in memory.
    """

    def __init__(self, queues: Iterable[Queue] = (), *, retain_finished: bool = False) -> None:
        self._now = float("-inf")
        self._retain = retain_finished
        self._queues: dict[str, _QueueState] = {}
        self._reqs: dict[tuple[tuple[str, int], ...], _Req] = {}
        self._profiles: dict[tuple[tuple[str, int], ...], _Profile] = {}
        # id(skills mapping) -> (that mapping, a copy of it, its profile), like ``req_memo``
        self._profile_memo: dict[int, tuple[Mapping[str, int], dict[str, int], _Profile]] = {}
        self._agents: dict[AgentId, _Agent] = {}
        self._contacts: dict[ContactId, _Contact] = {}
        self._deadlines: list[tuple] = []
        self._due = _INF  # never later than the earliest deadline (a cheap first check)
        self._seq = 0  # tie-breaker for contacts and deadlines
        self._avail_seq = 0  # order in which agents became available
        self._joins = 0  # idle-index joins since the last sweep
        self._n_waiting = 0  # contacts in line, all queues
        # Finished contacts, counted in plain ints (enum members hash in Python code).
        self._n_ended = self._n_abandoned = self._n_rejected = 0
        for q in queues:
            self.configure_queue(q)

    # ------------------------------------------------------------------ public API

    @property
    def now(self) -> float:
        """Time of the last event handled (``-inf`` before the first)."""
        return self._now

    def configure_queue(self, queue: Queue) -> list[Decision]:
        """Add a queue or replace its configuration (an administrator edits hours, limits,
        overflow). Contacts already in line keep their place and requirements; the new overflow
        steps apply to them at once (which may produce offers, returned here), everything else
        applies to contacts arriving from now on."""
        qs = self._queues.get(queue.name)
        if qs is None:
            self._queues[queue.name] = _QueueState(queue)
            return []
        qs.cfg = queue
        qs.req_cache.clear()
        qs.req_memo.clear()
        for r in self._reqs.values():
            r.ovf.clear()
        out: list[Decision] = []
        line = [c for c in self._contacts.values() if c.queue is qs and c.state is _WAITING]
        for c in line:
            self._unwait(c)
            c.stage = min(c.stage, len(queue.overflow))
            c.alts = self._alts(c.base, qs, c.stage)
            self._requeue(c, self._now, out, announce=False)
        return out

    # ``event`` is typed ``object``, not ``Event``: anything else must raise RoutingError, and a
    # compiled build would refuse a non-Event argument with a TypeError before the body runs.
    def handle(self, event: object) -> list[Decision]:
        """Apply one event (an ``Event``); return what must be done now. Raises ``RoutingError``
        if invalid."""
        out: list[Decision] = []
        self.handle_into(event, out)
        return out

    def handle_into(self, event: object, out: list[Decision]) -> None:
        """``handle``, appending the decisions to ``out`` instead of returning a new list (for a
        loop that reuses one list, like the simulator's)."""
        start = len(out)
        # An isinstance chain, most frequent first, rather than a table of bound methods: it
        # is what a compiled build turns into pointer comparisons and direct calls.
        try:
            if isinstance(event, ContactArrived):
                self._on_arrived(event, self._advance(event.t, out), out)
            elif isinstance(event, ContactEnded):
                self._on_ended(event, self._advance(event.t, out), out)
            elif isinstance(event, ContactAnswered):
                self._on_answered(event, self._advance(event.t, out), out)
            elif isinstance(event, Tick):
                self._advance(event.t, out)
            elif isinstance(event, ContactAbandoned):
                self._on_abandoned(event, self._advance(event.t, out), out)
            elif isinstance(event, CallbackAccepted):
                self._on_callback_accepted(event, self._advance(event.t, out), out)
            elif isinstance(event, OfferNotAnswered):
                self._on_not_answered(event, self._advance(event.t, out), out)
            elif isinstance(event, AgentBreak):
                self._on_break(event, self._advance(event.t, out), out)
            elif isinstance(event, AgentReady):
                self._on_ready(event, self._advance(event.t, out), out)
            elif isinstance(event, AgentLoggedIn):
                self._on_login(event, self._advance(event.t, out), out)
            elif isinstance(event, AgentLoggedOut):
                self._on_logout(event, self._advance(event.t, out), out)
            elif isinstance(event, CallbackDeclined):
                self._on_callback_declined(event, self._advance(event.t, out), out)
            elif isinstance(event, ContactReprioritized):
                self._on_reprioritized(event, self._advance(event.t, out), out)
            elif isinstance(event, AgentSkillsChanged):
                self._on_skills(event, self._advance(event.t, out), out)
            else:
                raise RoutingError(f"not a routing event: {event!r}")
        except RoutingError as exc:
            exc.decisions = out[start:]
            raise

    def _advance(self, t: float, out: list[Decision]) -> float:
        """Move time to ``t`` (never backwards), firing the timers due until then into ``out``."""
        if t < self._now:
            t = self._now
        if self._due <= t:
            dls = self._deadlines
            if dls and dls[0][0] <= t:
                self._fire_deadlines(t, out)
            self._due = dls[0][0] if dls else _INF
        self._now = t
        return t

    def next_deadline(self) -> float | None:
        """Earliest time at which a timer is due (send ``Tick(t)`` then), or None.

        A ``handle`` call that returned no decisions never makes the next deadline earlier
        (every timer is armed together with a decision), so a tight loop may skip asking then.
        """
        dls = self._deadlines
        while dls:
            if self._deadline_valid(dls[0]):
                return dls[0][0]
            heappop(dls)
        return None

    def queue_stats(self, queue: str | None = None) -> list[QueueStats]:
        """Snapshot of one queue (or all), for the wallboard."""
        names = [queue] if queue is not None else list(self._queues)
        out = []
        now = self._now
        for name in names:
            q = self._queue(name)
            oldest = min((k[1] for k in q.line), default=None)
            waiting = len(q.line)
            out.append(
                QueueStats(
                    queue=name,
                    waiting=waiting,
                    callbacks_waiting=waiting - q.n_held,
                    longest_wait=0.0 if oldest is None else max(0.0, now - oldest),
                    ringing=q.n_offered,
                    connected=q.n_connected,
                    arrived=q.arrived,
                    offered=q.offered,
                    answered=q.answered,
                    abandoned=q.abandoned,
                    rejected=q.rejected,
                    closed=q.closed,
                    ended=q.ended,
                    callbacks_offered=q.callbacks_offered,
                    callbacks_accepted=q.callbacks_accepted,
                    overflowed=q.overflowed,
                    no_answer=q.no_answer,
                )
            )
        return out

    def agent(self, agent_id: AgentId) -> AgentSnapshot:
        """Snapshot of one agent (raises ``RoutingError`` if it never logged in)."""
        return self._agent_snapshot(self._agent(agent_id))

    def agents(self) -> list[AgentSnapshot]:
        """Snapshots of every agent known to the engine, in order of first login."""
        return [self._agent_snapshot(a) for a in self._agents.values()]

    def contact(self, contact_id: ContactId) -> ContactSnapshot | None:
        """Snapshot of a contact, or None if unknown (or finished and not retained)."""
        c = self._contacts.get(contact_id)
        return None if c is None else self._contact_snapshot(c)

    def contacts(self, status: ContactStatus | None = None) -> Iterator[ContactSnapshot]:
        """Snapshots of the contacts the engine holds, optionally filtered by status."""
        for c in list(self._contacts.values()):
            if status is None or c.state is status:
                yield self._contact_snapshot(c)

    def position(self, contact_id: ContactId) -> int | None:
        """1-based place of a waiting contact in its queue; None if it is not waiting."""
        c = self._contacts.get(contact_id)
        if c is None or c.state is not _WAITING:
            return None
        return bisect_left(c.queue.line, c.place()) + 1

    def counts(self) -> dict[ContactStatus, int]:
        """How many contacts are in each status, finished ones included (nothing is lost: the
        sum equals the number of ``ContactArrived`` events that did not raise)."""
        out = dict.fromkeys(ContactStatus, 0)
        for c in self._contacts.values():
            if c.state in (_WAITING, _OFFERED, _CONNECTED):
                out[c.state] += 1
        out[_ENDED] += self._n_ended
        out[_ABANDONED] += self._n_abandoned
        out[_REJECTED] += self._n_rejected
        return out

    def check_invariants(self) -> None:
        """Verify every index against a brute-force recomputation (slow; for tests and
        debugging). Raises ``AssertionError`` describing the first violation."""

        def fail(msg: str) -> NoReturn:
            raise AssertionError(msg)

        live = [c for c in self._contacts.values() if c.state in (_WAITING, _OFFERED, _CONNECTED)]
        holders: dict[int, _Agent] = {}
        for a in self._agents.values():
            c = a.contact
            if a.state in (_RESERVED, _ON_CONTACT):
                if c is None or c.agent is not a:
                    fail(f"agent {a.id} is {a.state} without a matching contact")
                want = _OFFERED if a.state is _RESERVED else _CONNECTED
                if c.state is not want:
                    fail(f"agent {a.id} is {a.state} but contact {c.id} is {c.state}")
                if id(c) in holders:
                    fail(f"contact {c.id} held by two agents")
                holders[id(c)] = a
            elif c is not None:
                fail(f"agent {a.id} is {a.state} but holds contact {c.id}")
            if a.pending is not None and a.state not in (_ON_CONTACT, _WRAP_UP):
                fail(f"agent {a.id} has a pending state while {a.state}")
            if (a.idle is not None) != (a.state is _AVAILABLE) or (
                a.idle is not None and (a.idle.seq != a.avail_seq or a.idle.agent is not a)
            ):
                fail(f"idle entry of agent {a.id} is wrong ({a.state})")
        idle_of = {r: r.idle_agents() for r in self._reqs.values()}
        for a in self._agents.values():
            for r, idle in idle_of.items():
                should = a.state is _AVAILABLE and _satisfies(a.profile.skills, r.skills)
                if should != (a in idle):
                    fail(f"idle index of {r.key} wrong for agent {a.id} ({a.state})")
            if a.state is not _LOGGED_OUT and a not in a.profile.members:
                fail(f"agent {a.id} missing from its profile")
        for r in self._reqs.values():
            if any(e.live != (e.agent.idle is e) for e in r.idle[r.head :]):
                fail(f"an idle entry of {r.key} is live for an agent it is not the entry of")
            order = [e.seq for e in r.idle[r.head :]]
            if order != sorted(order):
                fail(f"idle order of {r.key} is not longest-idle first")
            staffed = sum(
                1
                for a in self._agents.values()
                if a.state is not _LOGGED_OUT and _satisfies(a.profile.skills, r.skills)
            )
            if staffed != r.staffed:
                fail(f"staffed count of {r.key} is {r.staffed}, expected {staffed}")
            n = sum(1 for e in r.waiting if e[4].state is _WAITING and e[4].version == e[3])
            if n != r.n_waiting:
                fail(f"waiting count of {r.key} is {r.n_waiting}, expected {n}")
        if self._n_waiting != sum(1 for c in live if c.state is _WAITING):
            fail("total waiting count is wrong")
        for q in self._queues.values():
            keys = sorted(c.place() for c in live if c.queue is q and c.state is _WAITING)
            if keys != q.line:
                fail(f"line of queue {q.name} is inconsistent")
            held = sum(1 for c in live if c.queue is q and c.state is _WAITING and not c.callback)
            if held != q.n_held:
                fail(f"held count of queue {q.name} is {q.n_held}, expected {held}")
        for c in live:
            if c.state is _WAITING:
                if c.agent is not None:
                    fail(f"waiting contact {c.id} has an agent")
                if c.alts != self._alts(c.base, c.queue, c.stage):
                    fail(f"contact {c.id} has stale alternatives")
                for r in c.alts:
                    entries = [e for e in r.waiting if e[4] is c and e[3] == c.version]
                    if len(entries) != 1:
                        fail(f"contact {c.id} has {len(entries)} live entries in {r.key}")
                    if idle_of[r]:
                        a = idle_of[r][0]
                        fail(f"agent {a.id} idles while contact {c.id} it can serve waits")
            elif id(c) not in holders:
                fail(f"{c.state} contact {c.id} has no agent")

    # ------------------------------------------------------------------ lookups

    def _queue(self, name: str) -> _QueueState:
        q = self._queues.get(name)
        if q is None:
            raise RoutingError(f"unknown queue {name!r}")
        return q

    def _agent(self, agent_id: AgentId) -> _Agent:
        a = self._agents.get(agent_id)
        if a is None:
            raise RoutingError(f"unknown agent {agent_id!r}")
        return a

    def _live_contact(self, contact_id: ContactId, *states: ContactStatus) -> _Contact:
        c = self._contacts.get(contact_id)
        if c is None:
            raise RoutingError(f"unknown contact {contact_id!r}")
        if c.state not in states:
            want = "/".join(states)
            raise RoutingError(f"contact {contact_id!r} is {c.state}, expected {want}")
        return c

    def _req(self, key: tuple[tuple[str, int], ...]) -> _Req:
        r = self._reqs.get(key)
        if r is not None:
            return r
        r = self._reqs[key] = _Req(key)
        idle: list[_Idle] = []
        for p in self._profiles.values():
            if _satisfies(p.skills, r.skills):
                p.reqs.append(r)
                r.staffed += len(p.members)
                idle.extend(a.idle for a in p.members if a.idle is not None)
        idle.sort(key=_entry_seq)
        r.idle = idle
        return r

    def _profile(self, skills: Mapping[str, int]) -> _Profile:
        # An agent logs in with the same skills mapping shift after shift: recognise it by
        # identity, checked against a copy, before sorting its items into a key.
        memo = self._profile_memo.get(id(skills))
        if memo is not None and memo[0] is skills and memo[1] == skills:
            return memo[2]
        key = _req_key(skills)
        p = self._profiles.get(key)
        if p is None:
            p = self._profiles[key] = _Profile(dict(key))
            p.reqs = [r for r in self._reqs.values() if _satisfies(p.skills, r.skills)]
        if len(self._profile_memo) >= _PROFILE_MEMO_SIZE:  # callers that build new mappings
            self._profile_memo.clear()
        self._profile_memo[id(skills)] = (skills, dict(skills), p)
        return p

    def _alts(self, base: _Req, q: _QueueState, stage: int) -> tuple[_Req, ...]:
        """Alternative requirement sets of a contact after ``stage`` overflow steps."""
        if stage == 0:
            return (base,)
        alts = base.ovf.get((q, stage))
        if alts is None:
            primary = base
            extra: list[_Req] = []
            for step in q.cfg.overflow[:stage]:
                r = self._req(_req_key(step.apply(base.skills)))
                if isinstance(step, Relax):
                    primary = r
                else:
                    extra.append(r)
            seen: dict[_Req, None] = dict.fromkeys([primary, *extra])
            alts = base.ovf[(q, stage)] = tuple(seen)
        return alts

    # ------------------------------------------------------------------ contact side

    def _on_arrived(self, ev: ContactArrived, now: float, out: list[Decision]) -> None:
        q = self._queues.get(ev.queue)
        if q is None:
            raise RoutingError(f"unknown queue {ev.queue!r}")
        cid = ev.contact_id
        old = self._contacts.get(cid)
        if old is not None and old.state in (_WAITING, _OFFERED, _CONNECTED):
            raise RoutingError(f"contact {cid!r} is already {old.state}")
        cfg = q.cfg
        q.arrived += 1
        if not ev.callback:
            cal = cfg.calendar
            if cal is not None and not cal.is_open(now):
                q.closed += 1
                out.append(Closed(cid, q.name))
                self._reject(cid, q)
                return
            if cfg.max_size is not None and q.n_held >= cfg.max_size:
                q.rejected += 1
                out.append(Rejected(cid, q.name, "queue_full"))
                self._reject(cid, q)
                return
        # The same mapping object (a gateway's per-language dict, the simulator's per-route one)
        # comes again and again: recognise it by identity, checked against a copy, before
        # building a key from its items.
        req = ev.requirements
        memo = q.req_memo.get(id(req))
        if memo is not None and memo[0] is req and memo[1] == req:
            base = memo[2]
        else:
            base = self._base_req(q, req)
        self._seq += 1
        since = now if ev.since is None else ev.since
        c = _Contact(cid, q, base, -(cfg.priority + ev.priority), since, self._seq)
        c.callback = ev.callback
        self._contacts[cid] = c
        if since < now and cfg.overflow:
            self._catch_up_overflow(c, now, out)
        best = self._longest_idle(c)
        if best is not None:
            self._offer(c, best, now, out)
            return
        self._wait(c, now, out)

    @staticmethod
    def _longest_idle(c: _Contact) -> _Agent | None:
        """The available agent idle the longest over all of ``c``'s alternatives, or None."""
        alts = c.alts
        if len(alts) == 1:
            return alts[0].first_idle()
        best = None
        for r in alts:
            a = r.first_idle()
            if a is not None and (best is None or a.avail_seq < best.avail_seq):
                best = a
        return best

    def _base_req(self, q: _QueueState, req: Mapping[str, int]) -> _Req:
        """The requirement set of a contact of ``q`` that asks for ``req``."""
        given = tuple(req.items())
        base = q.req_cache.get(given)
        if base is None:
            base = q.req_cache[given] = self._req(_req_key({**q.cfg.requirements, **dict(given)}))
        if len(q.req_memo) >= _MEMO_SIZE:  # callers that build a new mapping every time
            q.req_memo.clear()
        q.req_memo[id(req)] = (req, dict(req), base)
        return base

    def _reject(self, cid: ContactId, q: _QueueState) -> None:
        self._n_rejected += 1
        if self._retain:
            c = _Contact(cid, q, _Req(()), 0, self._now, 0)
            c.state = _REJECTED
            self._contacts[cid] = c
        else:
            self._contacts.pop(cid, None)

    def _wait(
        self,
        c: _Contact,
        now: float,
        out: list[Decision],
        *,
        announce: bool = True,
        maxwait: bool = True,
    ) -> None:
        """Put ``c`` in line under its alternatives (no idle agent may serve it), schedule its
        timers (the max-wait timer only if ``maxwait``) and, if ``announce``, its position."""
        c.state = _WAITING
        c.agent = None
        c.version += 1
        self._n_waiting += 1
        entry = (c.rank, c.since, c.seq, c.version, c)
        for r in c.alts:
            h = r.waiting
            heappush(h, entry)
            r.n_waiting += 1
            if len(h) > 64 and len(h) > 4 * r.n_waiting:
                r.waiting = [e for e in h if e[4].state is _WAITING and e[4].version == e[3]]
                heapify(r.waiting)
        q = c.queue
        line = q.line
        insort(line, c.place())
        if not c.callback:
            q.n_held += 1
        cfg = q.cfg
        since = c.since
        steps = cfg.overflow
        if c.stage < len(steps):
            self._deadline(since + steps[c.stage].after, _DL_OVERFLOW, c, c.version)
        if maxwait and cfg.max_wait is not None and not c.callback and not c.cb_offered:
            due = since + cfg.max_wait
            if due <= now:
                self._offer_callback(c, out)
            else:
                self._deadline(due, _DL_MAXWAIT, c, 0)
        if announce:
            out.append(self._queued(c))

    @staticmethod
    def _queued(c: _Contact) -> Queued:
        """Position and a simple expected wait: position * average handle time / agents staffed
        for the contact's primary requirements."""
        q = c.queue
        pos = bisect_left(q.line, c.place()) + 1
        staffed = c.alts[0].staffed
        return Queued(c.id, q.name, pos, pos * q.aht / (staffed if staffed else 1))

    def _unwait(self, c: _Contact) -> None:
        self._n_waiting -= 1
        for r in c.alts:
            r.n_waiting -= 1
        q = c.queue
        line = q.line
        del line[bisect_left(line, c.place())]
        if not c.callback:
            q.n_held -= 1

    def _requeue(
        self, c: _Contact, now: float, out: list[Decision], *, announce: bool = True
    ) -> None:
        """Back in line with its original key (so ahead of everyone who came later), unless a
        longest-idle agent can take it at once; overflow steps that fell due meanwhile apply."""
        c.agent = None
        if c.queue.cfg.overflow:
            self._catch_up_overflow(c, now, out)
        best = self._longest_idle(c)
        if best is not None:
            self._offer(c, best, now, out)
        else:
            self._wait(c, now, out, announce=announce, maxwait=announce)

    def _catch_up_overflow(self, c: _Contact, now: float, out: list[Decision]) -> None:
        """Apply every overflow step already due (contact not in line while this runs)."""
        q = c.queue
        steps = q.cfg.overflow
        since = c.since
        stage = c.stage
        # Same expression as the timer's due time, so a timer firing exactly on time applies.
        while stage < len(steps) and since + steps[stage].after <= now:
            out.append(Overflowed(c.id, q.name, stage, steps[stage]))
            q.overflowed += 1
            stage += 1
        if stage != c.stage:
            c.stage = stage
            c.alts = self._alts(c.base, q, stage)

    def _offer(self, c: _Contact, a: _Agent, now: float, out: list[Decision]) -> None:
        """Reserve ``a`` for ``c`` (``c`` is not in line; ``a`` leaves the idle index if in it);
        an auto-answer agent is connected to it at once."""
        self._leave_idle(a)
        c.state = _OFFERED
        c.agent = a
        c.offers += 1
        a.state = _RESERVED
        a.reason = None
        a.since = now
        a.contact = c
        q = c.queue
        q.offered += 1
        q.n_offered += 1
        out.append(Offer(c.id, a.id, q.name))
        if a.auto_answer:
            self._connect(c, a, now)
            return
        timeout = q.cfg.offer_timeout
        if timeout is not None:
            self._deadline(now + timeout, _DL_OFFER, c, c.offers)

    def _offer_callback(self, c: _Contact, out: list[Decision]) -> None:
        c.cb_offered = True
        c.queue.callbacks_offered += 1
        out.append(CallbackOffered(c.id, c.queue.name))

    def _finish(self, c: _Contact, status: ContactStatus) -> None:
        c.state = status
        c.agent = None
        if status is _ENDED:
            self._n_ended += 1
        else:
            self._n_abandoned += 1
        if not self._retain:
            del self._contacts[c.id]

    def _on_abandoned(self, ev: ContactAbandoned, now: float, out: list[Decision]) -> None:
        c = self._live_contact(ev.contact_id, _WAITING, _OFFERED)
        c.queue.abandoned += 1
        if c.state is _WAITING:
            self._unwait(c)
            self._finish(c, _ABANDONED)
            return
        a = c.agent
        assert a is not None
        c.queue.n_offered -= 1
        self._finish(c, _ABANDONED)
        a.contact = None
        out.append(OfferRevoked(c.id, a.id, "abandoned"))
        self._release(a, now, out)

    def _on_answered(self, ev: ContactAnswered, now: float, out: list[Decision]) -> None:
        c = self._contacts.get(ev.contact_id)
        if c is None or c.state is not _OFFERED:
            c = self._live_contact(ev.contact_id, _OFFERED)  # raises the right error
        a = c.agent
        assert a is not None
        self._connect(c, a, now)

    @staticmethod
    def _connect(c: _Contact, a: _Agent, now: float) -> None:
        """The offered contact ``c`` is answered by its agent ``a``."""
        c.state = _CONNECTED
        c.answered_at = now
        q = c.queue
        q.answered += 1
        q.n_offered -= 1
        q.n_connected += 1
        a.state = _ON_CONTACT
        a.since = now

    def _on_not_answered(self, ev: OfferNotAnswered, now: float, out: list[Decision]) -> None:
        c = self._live_contact(ev.contact_id, _OFFERED)
        self._no_answer(c, now, out, ev.reason, revoke=False)

    def _no_answer(
        self, c: _Contact, now: float, out: list[Decision], reason: str, *, revoke: bool
    ) -> None:
        a = c.agent
        assert a is not None
        q = c.queue
        q.no_answer += 1
        q.n_offered -= 1
        if revoke:
            out.append(OfferRevoked(c.id, a.id, reason))
        a.contact = None
        a.state = _BREAK
        a.reason = reason
        a.since = now
        out.append(AgentStateChanged(a.id, _BREAK, reason))
        self._requeue(c, now, out)

    def _on_ended(self, ev: ContactEnded, now: float, out: list[Decision]) -> None:
        c = self._contacts.get(ev.contact_id)
        if c is None or c.state is not _CONNECTED:
            c = self._live_contact(ev.contact_id, _CONNECTED)  # raises the right error
        a = c.agent
        assert a is not None
        q = c.queue
        q.ended += 1
        q.n_connected -= 1
        # ``wrap`` is narrowed to a float before any arithmetic or comparison: a compiled
        # build then does both natively instead of comparing Python objects.
        wrap = q.cfg.wrap_up
        no_wrap = wrap is not None and wrap == 0.0
        q.aht += _AHT_ALPHA * (
            now - c.answered_at + (0.0 if wrap is None or no_wrap else wrap) - q.aht
        )
        self._finish(c, _ENDED)
        a.contact = None
        if no_wrap:
            self._end_wrap(a, now, out)
            return
        a.state = _WRAP_UP
        a.since = now
        out.append(AgentStateChanged(a.id, _WRAP_UP))
        if wrap is not None:
            a.epoch += 1
            self._deadline(now + wrap, _DL_WRAP, a, a.epoch)

    def _on_callback_accepted(self, ev: CallbackAccepted, now: float, out: list[Decision]) -> None:
        c = self._live_contact(ev.contact_id, _WAITING, _OFFERED)
        if c.callback:
            return
        c.callback = True
        c.cb_offered = True
        q = c.queue
        q.callbacks_accepted += 1
        if c.state is _WAITING:
            q.n_held -= 1
            out.append(self._queued(c))

    def _on_callback_declined(self, ev: CallbackDeclined, now: float, out: list[Decision]) -> None:
        c = self._live_contact(ev.contact_id, _WAITING, _OFFERED)
        c.cb_offered = True

    def _on_reprioritized(self, ev: ContactReprioritized, now: float, out: list[Decision]) -> None:
        c = self._live_contact(ev.contact_id, _WAITING, _OFFERED, _CONNECTED)
        rank = -(c.queue.cfg.priority + ev.priority)
        if rank == c.rank:
            return
        if c.state is _WAITING:
            self._unwait(c)
            c.rank = rank
            self._wait(c, now, out, maxwait=False)
        else:
            c.rank = rank

    # ------------------------------------------------------------------ agent side

    def _on_login(self, ev: AgentLoggedIn, now: float, out: list[Decision]) -> None:
        a = self._agents.get(ev.agent_id)
        if a is not None and a.state is not _LOGGED_OUT:
            raise RoutingError(f"agent {ev.agent_id!r} is already logged in ({a.state})")
        p = self._profile(ev.skills)
        if a is None:
            a = self._agents[ev.agent_id] = _Agent(ev.agent_id, p, now)
        a.profile = p
        a.auto_answer = ev.auto_answer
        p.members[a] = None
        for r in p.reqs:
            r.staffed += 1
        self._make_available(a, now, out, announce=False)

    def _on_logout(self, ev: AgentLoggedOut, now: float, out: list[Decision]) -> None:
        a = self._agent(ev.agent_id)
        state = a.state
        if state is _LOGGED_OUT:
            return
        if state is _ON_CONTACT:
            a.pending = (_LOGGED_OUT, None)
            return
        if state is _AVAILABLE:
            self._leave_idle(a)
        elif state is _RESERVED:
            self._revoke(a, now, out, "agent_logged_out")
        self._logout_now(a, now)

    def _logout_now(self, a: _Agent, now: float) -> None:
        a.state = _LOGGED_OUT
        a.reason = None
        a.pending = None
        a.since = now
        p = a.profile
        del p.members[a]
        for r in p.reqs:
            r.staffed -= 1

    def _on_ready(self, ev: AgentReady, now: float, out: list[Decision]) -> None:
        a = self._agent(ev.agent_id)
        state = a.state
        if state is _LOGGED_OUT:
            raise RoutingError(f"agent {ev.agent_id!r} is logged out; log in first")
        if state is _ON_CONTACT:
            a.pending = None
        elif state is _BREAK or state is _WRAP_UP:
            a.pending = None
            self._make_available(a, now, out, announce=False)

    def _on_break(self, ev: AgentBreak, now: float, out: list[Decision]) -> None:
        a = self._agent(ev.agent_id)
        state = a.state
        if state is _LOGGED_OUT:
            raise RoutingError(f"agent {ev.agent_id!r} is logged out; log in first")
        if state is _ON_CONTACT:
            a.pending = (_BREAK, ev.reason)
            return
        if state is _AVAILABLE:
            self._leave_idle(a)
        elif state is _RESERVED:
            self._revoke(a, now, out, "agent_break")
        a.state = _BREAK
        a.reason = ev.reason
        a.pending = None
        a.since = now

    def _on_skills(self, ev: AgentSkillsChanged, now: float, out: list[Decision]) -> None:
        a = self._agent(ev.agent_id)
        old = a.profile
        new = self._profile(ev.skills)
        if new is old:
            return
        if a.state is _LOGGED_OUT:
            a.profile = new
            return
        del old.members[a]
        for r in old.reqs:
            r.staffed -= 1
        new.members[a] = None
        for r in new.reqs:
            r.staffed += 1
        a.profile = new
        if a.state is not _AVAILABLE:
            return
        # Keep its idle-since: leave the old indexes, join the new ones in idle order.
        kept = set(new.reqs)
        for r in old.reqs:
            if r not in kept:
                r.idle = [e for e in r.idle[r.head :] if e.agent is not a]
                r.head = 0
        had = set(old.reqs)
        entry = a.idle
        assert entry is not None
        for r in new.reqs:
            if r not in had:
                insort(r.idle, entry, lo=r.head, key=_entry_seq)
        best = self._best_waiting(a)
        if best is not None:
            self._offer(best, a, now, out)

    def _best_waiting(self, a: _Agent) -> _Contact | None:
        """Take the best waiting contact ``a`` can serve out of line (or None)."""
        best = None
        for r in a.profile.reqs:
            if r.n_waiting:
                h = r.waiting
                while True:  # n_waiting > 0 guarantees a live entry
                    e = h[0]
                    c = e[4]
                    if c.state is _WAITING and c.version == e[3]:
                        if best is None or e < best:
                            best = e
                        break
                    heappop(h)
        if best is None:
            return None
        c = best[4]
        self._unwait(c)
        return c

    def _make_available(
        self, a: _Agent, now: float, out: list[Decision], *, announce: bool
    ) -> None:
        """``a`` becomes available now: take the best waiting contact or join the idle index."""
        a.state = _AVAILABLE
        a.reason = None
        a.since = now
        a.idle_since = now
        self._avail_seq += 1
        a.avail_seq = self._avail_seq
        if announce:
            out.append(AgentStateChanged(a.id, _AVAILABLE))
        p = a.profile
        if self._n_waiting:  # (_best_waiting inlined: hot path)
            best = None
            for r in p.reqs:
                if r.n_waiting:
                    h = r.waiting
                    while True:  # n_waiting > 0 guarantees a live entry
                        e = h[0]
                        c = e[4]
                        if c.state is _WAITING and c.version == e[3]:
                            if best is None or e < best:
                                best = e
                            break
                        heappop(h)
            if best is not None:
                c = best[4]
                self._unwait(c)
                self._offer(c, a, now, out)
                return
        entry = a.idle = _Idle(a.avail_seq, a)
        for r in p.reqs:
            r.idle.append(entry)
        self._joins += 1
        if self._joins >= _SWEEP_EVERY:
            self._joins = 0
            for r in self._reqs.values():
                if r.head > 64 or len(r.idle) > 2 * r.staffed + 16:
                    r.sweep()

    @staticmethod
    def _leave_idle(a: _Agent) -> None:
        """``a`` stops being available: its idle entry, so every copy of it, is dead now."""
        e = a.idle
        if e is not None:
            e.live = False
            a.idle = None

    def _release(self, a: _Agent, now: float, out: list[Decision]) -> None:
        """A reserved agent lost its offer through no fault of its own (caller abandoned)."""
        self._make_available(a, now, out, announce=True)

    def _revoke(self, a: _Agent, now: float, out: list[Decision], reason: str) -> None:
        """The agent leaves while reserved: withdraw the offer, contact back to its line."""
        c = a.contact
        assert c is not None
        c.queue.n_offered -= 1
        a.contact = None
        a.state = _BREAK  # not available, so _requeue cannot offer it back; caller sets the state
        out.append(OfferRevoked(c.id, a.id, reason))
        self._requeue(c, now, out)

    def _end_wrap(self, a: _Agent, now: float, out: list[Decision]) -> None:
        p = a.pending
        if p is None:
            self._make_available(a, now, out, announce=True)
            return
        a.pending = None
        state, reason = p
        if state is _LOGGED_OUT:
            self._logout_now(a, now)
        else:
            a.state = state
            a.reason = reason
            a.since = now
        out.append(AgentStateChanged(a.id, state, reason))

    # ------------------------------------------------------------------ timers

    def _deadline(self, when: float, kind: int, obj: object, token: int) -> None:
        self._seq += 1
        heappush(self._deadlines, (when, self._seq, kind, obj, token))
        if when < self._due:
            self._due = when

    @staticmethod
    def _deadline_valid(d: tuple) -> bool:
        kind = d[2]
        obj = d[3]
        if kind == _DL_WRAP:
            return obj.state is _WRAP_UP and obj.epoch == d[4]
        if kind == _DL_OVERFLOW:
            return obj.state is _WAITING and obj.version == d[4]
        if kind == _DL_MAXWAIT:
            return obj.state is _WAITING and not obj.callback and not obj.cb_offered
        return obj.state is _OFFERED and obj.offers == d[4]

    def _fire_deadlines(self, until: float, out: list[Decision]) -> None:
        dls = self._deadlines
        while dls and dls[0][0] <= until:
            d = heappop(dls)
            when, _, kind, obj, token = d
            if kind == _DL_WRAP:  # the common timer, checked inline
                if obj.state is not _WRAP_UP or obj.epoch != token:
                    continue
            elif not self._deadline_valid(d):  # (called on self: a direct call when compiled)
                continue
            if when > self._now:
                self._now = when
            now = self._now
            if kind == _DL_WRAP:
                if obj.pending is None:
                    self._make_available(obj, now, out, announce=True)
                else:
                    self._end_wrap(obj, now, out)
            elif kind == _DL_OVERFLOW:
                self._overflow(obj, now, out)
            elif kind == _DL_MAXWAIT:
                self._offer_callback(obj, out)
            else:
                self._no_answer(obj, now, out, "no_answer", revoke=True)

    def _overflow(self, c: _Contact, now: float, out: list[Decision]) -> None:
        """Widen a waiting contact's alternatives and look for an idle agent under them; its
        max-wait timer is still scheduled, so it is not re-armed."""
        self._unwait(c)
        self._requeue(c, now, out, announce=False)

    # ------------------------------------------------------------------ snapshots

    def _agent_snapshot(self, a: _Agent) -> AgentSnapshot:
        c = a.contact
        return AgentSnapshot(
            agent_id=a.id,
            state=a.state,
            reason=a.reason,
            since=a.since,
            time_in_state=max(0.0, self._now - a.since),
            idle_since=a.idle_since if a.state is _AVAILABLE else None,
            contact_id=None if c is None else c.id,
            pending=None if a.pending is None else a.pending[0],
            skills=dict(a.profile.skills),
        )

    def _contact_snapshot(self, c: _Contact) -> ContactSnapshot:
        return ContactSnapshot(
            contact_id=c.id,
            queue=c.queue.name,
            status=c.state,
            priority=-c.rank,
            since=c.since,
            position=self.position(c.id) if c.state is _WAITING else None,
            agent_id=None if c.agent is None else c.agent.id,
            callback=c.callback,
            overflow_step=c.stage,
            eligible=tuple(dict(r.skills) for r in c.alts),
        )
