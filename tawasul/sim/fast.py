"""Fast mode: a discrete-event simulation of a whole center on the real routing engine.

The engine (:mod:`tawasul.routing`) makes every routing decision — which agent gets which
contact, overflow, call-back offers, wrap-up — exactly as in production; this module only plays
the world around it: residents arriving (:mod:`tawasul.sim.traffic`), agents logging in and out
on their shifts and taking breaks, conversations lasting their handle time, callers hanging up
when their patience runs out, accepting call-backs and redialling. Events go into the engine,
decisions come out and are carried out by scheduling the next events.

The loop is kept lean on purpose (one heap of ``(time, packed number)`` events, shift events in
a sorted list beside it, contacts as integer ids into lists, one reused list of decisions, no
per-event objects besides the engine's own events) because it is used for "what if" questions
over a month of national traffic: 356,000 contacts in under a second when compiled
(``scripts/build_native.py``; ``bench/sim_month.py`` measures it), about three interpreted.

Conventions of the simulated world:

* ``ring`` seconds between an offer and the answer (default 0: the agents log in with
  ``auto_answer``, so the engine connects the offer itself and no ``ContactAnswered`` is sent).
  With ``ring`` > 0 a caller whose patience runs out while it rings hangs up and the engine
  withdraws the offer.
* Handle time is talk time; wrap-up is the queue's ``wrap_up`` timer inside the engine (so the
  agent's wrap-up state and its deadline are the engine's, driven by ``next_deadline()`` and
  ``Tick`` like overflow and maximum wait).
* A waiting caller hangs up at arrival + patience unless answered or having accepted a call-back
  first; an abandoning caller may redial once (a new contact).
* A call-back request keeps its place in line; when an agent takes it, it is an *outbound*
  call (it never counts as answered, following the KPI module's conventions).
* KPIs count contacts that arrived after ``warmup`` seconds (to measure a steady state).
"""

from __future__ import annotations

import gc
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from operator import itemgetter
from typing import Any, Final, final

from tawasul.routing import (
    AgentBreak,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentState,
    AgentStateChanged,
    CallbackAccepted,
    CallbackOffered,
    Closed,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    Decision,
    Offer,
    OfferRevoked,
    Queue,
    Queued,
    Rejected,
    RoutingEngine,
    Tick,
)
from tawasul.sim import metrics
from tawasul.sim.traffic import Arrival

# Outcome codes of a simulated contact (Final: constants, not look-ups, in a compiled build).
PENDING: Final = 0
ANSWERED: Final = 1
ABANDONED: Final = 2
CALLBACK: Final = 3
REJECTED: Final = 4
CLOSED: Final = 5
OUTCOME_NAMES = ("pending", "answered", "abandoned", "callback", "rejected", "closed")

# Event kinds of the loop's heap.
_ARRIVE: Final = 0
_ANSWER: Final = 1
_END: Final = 2
_PATIENCE: Final = 3
_TICK: Final = 4
_LOGIN: Final = 5
_LOGOUT: Final = 6
_BREAK: Final = 7
_READY: Final = 8
# Layout of an event's packed number: seq << _SEQ | (x + 1) << _X | kind (x + 1 < 2**32 contacts).
_SEQ: Final = 36
_X: Final = 4
_X_MASK: Final = (1 << 32) - 1
_KIND_MASK: Final = 15


@dataclass(slots=True)
class AgentSpec:
    """One simulated agent: skills (``lang:ar``, ``entity:phcc`` …) and working time.

    ``shifts`` are ``(login, logout)`` and ``breaks`` ``(start, end)`` in simulated seconds;
    ``logout`` may be ``math.inf`` (always on duty)."""

    name: str
    skills: dict[str, int]
    shifts: list[tuple[float, float]] = field(default_factory=list)
    breaks: list[tuple[float, float]] = field(default_factory=list)


@dataclass(slots=True)
class Center:
    """Queues, agents and how a contact finds its queue and requirements.

    A contact goes to the queue named ``queue_of[entity]`` (default: the entity code) and
    carries ``{"lang:<language>": 1}`` when ``language_skill`` is set."""

    queues: list[Queue]
    agents: list[AgentSpec]
    queue_of: dict[str, str] = field(default_factory=dict)
    language_skill: bool = True


@dataclass
class SimResult:
    """What a run produced. ``outcomes``/``waits`` are per contact id (arrivals, then redials)."""

    contacts: list[Arrival]
    outcomes: list[int]
    waits: list[float]
    agent_of: list[Any]  # index of the agent that answered (None if never answered)
    served_callbacks: int
    handling_seconds: float
    staffed_seconds: float
    events: int
    engine_counts: dict[str, int]
    warmup: float
    wrap_of: dict[str, float]
    queue_of: dict[str, str]
    short_abandon_seconds: float = metrics.SHORT_ABANDON_SECONDS

    @property
    def unfinished(self) -> int:
        """Contacts still waiting/ringing/connected when the run ended (0 when drained)."""
        return sum(1 for o in self.outcomes if o == PENDING)

    def totals(self, *, entity: str | None = None, language: str | None = None) -> Any:
        """KPI totals (``tawasul.insights.kpis.Totals``) of the contacts after ``warmup``,
        optionally for one entity or language only."""
        tot = metrics.new_totals()
        thresholds = tuple(tot.answered_within)
        short = self.short_abandon_seconds
        warm = self.warmup
        answer_waits: list[float] = []
        abandon_waits: list[float] = []
        sum_talk = sum_wrap = 0.0
        max_wait = 0.0
        wrap_of = self.wrap_of
        queue_of = self.queue_of
        for a, o, w in zip(self.contacts, self.outcomes, self.waits, strict=False):
            if a[0] < warm or o == PENDING:
                continue
            if (entity is not None and a[1] != entity) or (
                language is not None and a[2] != language
            ):
                continue
            if o == ANSWERED:
                answer_waits.append(w)
                sum_talk += a[4]
                sum_wrap += wrap_of[queue_of.get(a[1], a[1])]
            elif o == ABANDONED:
                if w < short:
                    tot.short_abandoned += 1
                    continue
                abandon_waits.append(w)
            elif o == CALLBACK:
                tot.callbacks += 1
                tot.offered += 1
            elif o == REJECTED:
                tot.offered += 1
            else:  # closed: the after-hours message (IVR only)
                tot.ivr_handled += 1
                continue
            if w > max_wait:
                max_wait = w
        tot.answered = len(answer_waits)
        tot.abandoned = len(abandon_waits)
        tot.offered += tot.answered + tot.abandoned
        tot.outbound = self.served_callbacks
        tot.sum_answer_wait = math.fsum(answer_waits)
        tot.sum_talk = sum_talk
        tot.sum_wrap = sum_wrap
        tot.max_wait = max_wait
        for t in thresholds:
            tot.answered_within[t] = sum(1 for w in answer_waits if w <= t)
            tot.abandoned_within[t] = sum(1 for w in abandon_waits if w <= t)
        return tot

    def kpis(self, *, threshold: int = 20) -> dict[str, float | int | None]:
        """Offered, answered, abandoned, service level, ASA, AHT, occupancy … (see
        :func:`tawasul.sim.metrics.summary`)."""
        return metrics.summary(
            self.totals(),
            handling_seconds=self.handling_seconds,
            staffed_seconds=self.staffed_seconds,
            threshold=threshold,
        )


def simulate(
    center: Center,
    arrivals: Sequence[Arrival],
    *,
    ring: float = 0.0,
    warmup: float = 0.0,
    horizon: float | None = None,
    engine_wrap: bool = False,
) -> SimResult:
    """Run ``arrivals`` (sorted by time) through a fresh engine configured with ``center``.

    Runs until nothing is left to happen: every contact has been answered and ended, abandoned,
    rejected or closed, unless no agent can ever serve it (then it stays ``PENDING`` and
    ``SimResult.unfinished`` says how many; schedule shifts after the horizon to drain the
    queues). Redials falling after ``horizon`` (default: the last arrival) are not generated;
    occupancy counts staffed and handling time up to the horizon only.

    Wrap-up: by default the engine is told the contact ended at the end of its wrap-up (the
    queues are given ``wrap_up=0``), which makes the agent available at exactly the same moment
    as the engine's own wrap-up timer would and saves one timer and one ``Tick`` per contact;
    ``engine_wrap=True`` uses the engine's timers instead (agent snapshots then show
    ``wrap_up``; a break or logout asked for during wrap-up then starts at once, cutting the
    wrap-up short, where by default it waits for the end of the wrap-up). A queue with
    ``wrap_up=None`` (until the agent says ready) counts as 0 here.

    Python's cyclic garbage collector is paused for the run: the run makes no reference cycle
    per contact (the engine unlinks a finished contact from its agent; the one cyclic structure
    is the engine itself, freed by the next collection after the run), so the collector would
    free nothing and only walk the growing per-contact lists again and again (a quarter of the
    run's time over a month).
    """
    paused = gc.isenabled()
    gc.disable()
    try:
        return _run(center, arrivals, ring, warmup, horizon, engine_wrap)
    finally:
        if paused:
            gc.enable()


def _run(
    center: Center,
    arrivals: Sequence[Arrival],
    ring: float,
    warmup: float,
    horizon: float | None,
    engine_wrap: bool,
) -> SimResult:
    wrap_of = {q.name: (q.wrap_up or 0.0) for q in center.queues}
    queues = center.queues
    if not engine_wrap:
        queues = [replace(q, wrap_up=0.0) for q in queues]
    engine = RoutingEngine(queues)
    offer_timeouts = any(q.offer_timeout is not None for q in queues)
    queue_of = center.queue_of
    contacts: list[Arrival] = list(arrivals)
    n = len(contacts)
    hz: float = horizon if horizon is not None else (contacts[-1][0] if contacts else 0.0)
    outcomes: list[int] = [PENDING] * n
    waits: list[float] = [0.0] * n
    is_callback: list[bool] = [False] * n
    agent_of: list[int | None] = [None] * n
    # Per distinct (entity, language), a route: the queue name, the requirements mapping
    # (shared) and the wrap-up; ``route_of[contact]`` is the contact's route. Found through
    # a dict per entity keyed by language: two string look-ups, no key tuple per contact.
    route_ids: dict[str, dict[str, int]] = {}
    route_queue: list[str] = []
    route_req: list[dict[str, int]] = []
    route_wrap: list[float] = []
    route_of: list[int] = []
    lang_skill = center.language_skill
    for a in contacts:
        by_lang = route_ids.get(a[1])
        if by_lang is None:
            by_lang = route_ids[a[1]] = {}
        route = by_lang.get(a[2])
        if route is None:
            route = by_lang[a[2]] = len(route_queue)
            qname = queue_of.get(a[1], a[1])
            route_queue.append(qname)
            route_req.append({"lang:" + a[2]: 1} if lang_skill else {})
            route_wrap.append(wrap_of.get(qname, 0.0))  # an unknown queue: the engine says so
        route_of.append(route)

    # The world's own events: (time, packed), packed = seq, x + 1 and kind packed in one int (two
    # numbers to box and compare instead of four); x is a contact or agent index, an index
    # into ``ringing`` for _ANSWER, -1 for _TICK. ``seq`` keeps equal times in push order.
    # Shift events are known in advance: they wait in a sorted list (``shifts``, consumed from
    # ``si``) rather than in the heap, which then holds only the few hundred pending events of
    # the contacts in progress. They take the first ``seq`` numbers, so on equal times they still
    # come before the heap's events, as if they had all been pushed first.
    seq = 0
    skills = [spec.skills for spec in center.agents]
    inf = math.inf
    shifts: list[tuple[float, int]] = []
    for i, spec in enumerate(center.agents):
        for start, end in spec.shifts:
            seq += 1
            shifts.append((start, seq << _SEQ | (i + 1) << _X | _LOGIN))
            if end < inf:
                seq += 1
                shifts.append((end, seq << _SEQ | (i + 1) << _X | _LOGOUT))
        for start, end in spec.breaks:
            seq += 1
            shifts.append((start, seq << _SEQ | (i + 1) << _X | _BREAK))
            seq += 1
            shifts.append((end, seq << _SEQ | (i + 1) << _X | _READY))
    # By time only, and stable: the list is in ``seq`` order, so ties stay in it (the order of
    # sorting the tuples themselves), with float keys compared natively by the sort.
    shifts.sort(key=itemgetter(0))
    n_shifts = len(shifts)
    si = 0
    shift_t = shifts[0][0] if shifts else inf
    ev = _Agenda()

    n_agents = len(center.agents)
    logged_in = [False] * n_agents
    ready = _ReadyTime(n_agents, hz)
    # Per agent, as flags (cheaper than sets of agent numbers):
    on_break = [False] * n_agents
    ringing: list[tuple[int, int]] = []  # (contact, agent) offers ringing (ring > 0)
    revoked: set[tuple[int, int]] = set()  # of those, withdrawn while ringing
    wrapping = [False] * n_agents  # in the engine's wrap-up (engine_wrap only)
    busy = [False] * n_agents  # reserved, on contact or in wrap-up (as decisions told)
    handling = 0.0
    served_callbacks = 0
    events = 0
    next_tick = inf
    wrap_extra = 0.0 if engine_wrap else 1.0  # the end event includes the wrap-up?
    # One list of decisions for the whole run (no list per event): a step's decisions are
    # out[first:], and the list is emptied now and then.
    out: list[Decision] = []
    first = 0
    x: int
    cid: int
    ag: int

    # The two events sent for every contact are one object each, refilled before every use:
    # the engine never keeps an event once it has handled it (see tawasul.routing.model).
    arrived = ContactArrived(0.0, -1, "", {})
    ended = ContactEnded(0.0, -1)

    ai = 0
    arr_t = contacts[0][0] if n else inf
    while True:
        if len(out) > 1024:
            out.clear()
        first = len(out)
        t_ev = ev.first()
        if shift_t <= t_ev:
            t_ev = shift_t
        if arr_t <= t_ev:
            if arr_t == inf:
                break
            t = arr_t
            cid = ai
            ai += 1
            arr_t = contacts[ai][0] if ai < n else inf
            a = contacts[cid]
            route = route_of[cid]
            arrived.t = t
            arrived.contact_id = cid
            arrived.queue = route_queue[route]
            arrived.requirements = route_req[route]
            engine.handle_into(arrived, out)
            events += 1
            if len(out) > first and isinstance(out[first], Queued) and a[5] < inf:
                # Waiting: the caller's patience runs from arrival.
                seq += 1
                ev.push(t + a[5], seq << _SEQ | (cid + 1) << _X | _PATIENCE)
        else:
            if t_ev == shift_t:
                t, packed = shifts[si]
                si += 1
                shift_t = shifts[si][0] if si < n_shifts else inf
            else:
                pending = ev.pop()
                t = pending.t
                packed = pending.key
            kind = packed & _KIND_MASK
            x = (packed >> _X & _X_MASK) - 1
            if kind == _END:
                ended.t = t
                ended.contact_id = x if pending.ref is None else pending.ref
                engine.handle_into(ended, out)
            elif kind == _PATIENCE:
                if outcomes[x] != PENDING or is_callback[x]:
                    continue
                outcomes[x] = ABANDONED
                a = contacts[x]
                waits[x] = t - a[0]
                engine.handle_into(ContactAbandoned(t, x), out)
                redial = t + a[7]
                if redial <= hz:
                    # Same resident and question; one redial at most.
                    cid = len(contacts)
                    contacts.append(a._replace(t=redial, redial_after=inf))
                    outcomes.append(PENDING)
                    waits.append(0.0)
                    is_callback.append(False)
                    agent_of.append(None)
                    route_of.append(route_of[x])
                    seq += 1
                    ev.push(redial, seq << _SEQ | (cid + 1) << _X | _ARRIVE)
            elif kind == _TICK:
                if t == next_tick:
                    next_tick = inf
                engine.handle_into(Tick(t), out)
                nd = engine.next_deadline()
                if nd is not None and nd < next_tick:
                    next_tick = nd
                    seq += 1
                    ev.push(nd, seq << _SEQ | _TICK)
                if len(out) == first:
                    events += 1
                    continue
            elif kind == _ARRIVE:  # a redial
                a = contacts[x]
                route = route_of[x]
                arrived.t = t
                arrived.contact_id = x
                arrived.queue = route_queue[route]
                arrived.requirements = route_req[route]
                engine.handle_into(arrived, out)
                if len(out) > first and isinstance(out[first], Queued) and a[5] < inf:
                    seq += 1
                    ev.push(t + a[5], seq << _SEQ | (x + 1) << _X | _PATIENCE)
            elif kind == _ANSWER:  # only with ring > 0
                offer = ringing[x]
                if offer in revoked:  # withdrawn while it rang (hang-up, agent left)
                    revoked.discard(offer)
                    continue
                x, agent_of[x] = offer
                engine.handle_into(ContactAnswered(t, x), out)
                a = contacts[x]
                if is_callback[x]:
                    served_callbacks += 1
                else:
                    outcomes[x] = ANSWERED
                    waits[x] = t - a[0]
                wrap = route_wrap[route_of[x]]
                if t <= hz:
                    handling += ring + a[4] + wrap
                seq += 1
                ev.push(t + a[4] + wrap * wrap_extra, seq << _SEQ | (x + 1) << _X | _END)
            elif kind == _LOGIN:
                if logged_in[x]:
                    continue
                logged_in[x] = True
                ready.start(x, t)
                on_break[x] = False
                engine.handle_into(AgentLoggedIn(t, x, skills[x], auto_answer=not ring), out)
            elif kind == _LOGOUT:
                if not logged_in[x]:
                    continue
                logged_in[x] = False
                engine.handle_into(AgentLoggedOut(t, x), out)
                if wrapping[x]:  # the engine cuts the wrap-up short: logged out now
                    wrapping[x] = False
                    busy[x] = False
                if on_break[x]:
                    on_break[x] = False
                elif not busy[x]:
                    ready.stop(x, t)
                # else: the engine logs it out after the contact (AgentStateChanged below)
            elif kind == _BREAK:
                if not logged_in[x] or on_break[x]:
                    continue
                engine.handle_into(AgentBreak(t, x, "rest"), out)
                if wrapping[x]:  # the engine cuts the wrap-up short: on break now
                    wrapping[x] = False
                    busy[x] = False
                if not busy[x]:
                    on_break[x] = True
                    ready.stop(x, t)
            else:  # _READY
                if not logged_in[x]:
                    continue
                engine.handle_into(AgentReady(t, x), out)
                if on_break[x]:
                    on_break[x] = False
                    ready.start(x, t)
                elif busy[x] and engine.agent(x).state is AgentState.AVAILABLE:
                    # The pending break was cancelled and wrap-up cut short: available now.
                    busy[x] = False
            events += 1
        if len(out) == first:
            continue
        # Carry out the decisions, including those appended meanwhile (accepting a call-back
        # and answering add the engine's follow-up decisions).
        arm = False  # only a contact put in line (or an engine wrap-up) can arm a new timer
        i = first
        while i < len(out):
            d = out[i]
            i += 1
            if isinstance(d, Offer):
                cid = d.contact_id  # type: ignore[assignment]  # the simulator's ids are ints
                ag = d.agent_id  # type: ignore[assignment]
                busy[ag] = True
                if ring:
                    ringing.append((cid, ag))
                    seq += 1
                    ev.push(t + ring, seq << _SEQ | len(ringing) << _X | _ANSWER)
                    continue
                agent_of[cid] = ag  # connected with the offer (auto-answer)
                a = contacts[cid]
                if is_callback[cid]:
                    served_callbacks += 1
                else:
                    outcomes[cid] = ANSWERED
                    waits[cid] = t - a[0]
                talk = a[4]
                wrap = route_wrap[route_of[cid]]
                if t <= hz:
                    handling += talk + wrap
                seq += 1
                ev.push(
                    t + talk + wrap * wrap_extra, seq << _SEQ | (cid + 1) << _X | _END, d.contact_id
                )
            elif isinstance(d, AgentStateChanged):
                st = d.state
                ag = d.agent_id  # type: ignore[assignment]
                if st is AgentState.AVAILABLE:
                    busy[ag] = False
                    wrapping[ag] = False
                elif st is AgentState.BREAK or st is AgentState.LOGGED_OUT:
                    busy[ag] = False
                    wrapping[ag] = False
                    if st is AgentState.BREAK:
                        on_break[ag] = True
                    ready.stop(ag, t)
                else:  # wrap-up (engine_wrap): its timer
                    wrapping[ag] = True
                    arm = True
            elif isinstance(d, CallbackOffered):
                cid = d.contact_id  # type: ignore[assignment]
                if contacts[cid][6] and outcomes[cid] == PENDING:
                    is_callback[cid] = True
                    outcomes[cid] = CALLBACK
                    waits[cid] = t - contacts[cid][0]
                    engine.handle_into(CallbackAccepted(t, cid), out)
                    events += 1
            elif isinstance(d, Rejected):
                cid = d.contact_id  # type: ignore[assignment]
                outcomes[cid] = REJECTED
            elif isinstance(d, Closed):
                cid = d.contact_id  # type: ignore[assignment]
                outcomes[cid] = CLOSED
            elif isinstance(d, OfferRevoked):
                arm = True
                cid = d.contact_id  # type: ignore[assignment]
                ag = d.agent_id  # type: ignore[assignment]
                revoked.add((cid, ag))
                busy[ag] = False
                if d.reason != "abandoned":  # the agent went on break / logged out while ringing
                    if d.reason == "agent_break":
                        on_break[ag] = True
                    ready.stop(ag, t)
            else:  # Queued, Overflowed: waiting contacts have overflow / max-wait timers
                arm = True
        if arm or offer_timeouts:
            nd = engine.next_deadline()
            if nd is not None and nd < next_tick:
                next_tick = nd
                seq += 1
                ev.push(nd, seq << _SEQ | _TICK)

    ready.stop_all()  # agents still on duty when the run ends (always-on agents)
    counts = {str(k): v for k, v in engine.counts().items()}
    return SimResult(
        contacts=contacts,
        outcomes=outcomes,
        waits=waits,
        agent_of=agent_of,
        served_callbacks=served_callbacks,
        handling_seconds=handling,
        staffed_seconds=ready.staffed,
        events=events,
        engine_counts=counts,
        warmup=warmup,
        wrap_of=wrap_of,
        queue_of=queue_of,
    )


class _ReadyTime:
    """Staffed time: the ready time of logged-in agents (available or handling), up to the
    horizon, summed when an agent goes on break or logs out."""

    def __init__(self, agents: int, horizon: float) -> None:
        self.since: list[float | None] = [None] * agents
        self.horizon = horizon
        self.staffed = 0.0

    def start(self, agent: int, t: float) -> None:
        self.since[agent] = t

    def stop(self, agent: int, t: float) -> None:
        since = self.since[agent]
        if since is not None:
            self.staffed += min(t, self.horizon) - min(since, self.horizon)
            self.since[agent] = None

    def stop_all(self) -> None:
        for since in self.since:
            if since is not None:
                self.staffed += max(self.horizon - since, 0.0)
        self.since = [None] * len(self.since)


@final
class _Pending:
    """One event of the world waiting in ``_Agenda``: its time, packed number and, for a
    contact's end, the contact id object the engine was given (see ``_Agenda.push``)."""

    __slots__ = ("key", "ref", "t")

    def __init__(self, t: float, key: int, ref: object) -> None:
        self.t = t
        self.key = key
        self.ref = ref


@final
class _Agenda:
    """The world's pending events, earliest first; equal times in order of ``key`` (whose high
    bits are the push sequence, so: in push order).

    A binary heap like ``heapq``'s, written out because ``heapq`` compares its entries as Python
    objects: with ``(time, key)`` tuples every comparison is two generic float comparisons and a
    tuple comparison, which made the heap the largest single cost of a compiled run. Here the
    comparisons are on native fields.
    """

    __slots__ = ("heap", "spare")

    def __init__(self) -> None:
        self.heap: list[_Pending] = []
        self.spare: list[_Pending] = []  # popped entries, reused by the next pushes

    def first(self) -> float:
        """Time of the earliest event (``inf`` when there is none)."""
        heap = self.heap
        return heap[0].t if heap else math.inf

    def push(self, t: float, key: int, ref: object = None) -> None:
        """Schedule ``key`` at ``t``. ``ref``: the contact id *object* of an end, so that the
        ``ContactEnded`` carries the very object the engine keys the contact by (its look-up
        then matches by identity, without comparing two equal ints or boxing a new one)."""
        heap = self.heap
        spare = self.spare
        if spare:
            new = spare.pop()
            new.t = t
            new.key = key
            new.ref = ref
        else:
            new = _Pending(t, key, ref)
        heap.append(new)
        i = len(heap) - 1
        while i > 0:
            up = (i - 1) >> 1
            parent = heap[up]
            if parent.t < t or (parent.t == t and parent.key < key):
                break
            heap[i] = parent
            i = up
        heap[i] = new

    def pop(self) -> _Pending:
        """Remove and return the earliest event (the agenda must not be empty); read it before
        the next ``push``, which may reuse it."""
        heap = self.heap
        last = heap.pop()
        n = len(heap)
        if not n:
            self.spare.append(last)
            return last
        top = heap[0]
        t = last.t
        key = last.key
        i = 0
        while True:
            child = 2 * i + 1
            if child >= n:
                break
            e = heap[child]
            if child + 1 < n:
                f = heap[child + 1]
                if f.t < e.t or (f.t == e.t and f.key < e.key):
                    child += 1
                    e = f
            if t < e.t or (t == e.t and key < e.key):
                break
            heap[i] = e
            i = child
        heap[i] = last
        self.spare.append(top)
        return top
