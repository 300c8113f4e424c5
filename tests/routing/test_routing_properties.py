"""Property tests: random event sequences never break the routing invariants.

After every event: nothing is lost (each arrived contact is in exactly one status), no contact is
offered to two agents and no agent holds two contacts, no available agent idles while a contact
it could serve waits, overflow steps are applied on time, and each offer picks the longest-idle
agent (for a new contact) or the best waiting contact (for an agent that became available), as a
brute-force oracle computes from the state just before the event.
"""

from __future__ import annotations

import random

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from tawasul.routing import (
    AgentBreak,
    AgentLoggedIn,
    AgentLoggedOut,
    AgentReady,
    AgentSkillsChanged,
    AgentState,
    CallbackAccepted,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    ContactReprioritized,
    ContactStatus,
    Offer,
    OfferNotAnswered,
    OpenPool,
    Queue,
    Relax,
    RoutingEngine,
    Tick,
)


class HalfOpen:
    """Open during the first half of every 100 s."""

    def is_open(self, t: float) -> bool:
        return t % 100 < 50


OVERFLOW = (Relax(10, keep=("lang:",)), OpenPool(20, pool="surge"))
QUEUES = [
    Queue("plain"),
    Queue("ovf", requirements={"entity:x": 1}, overflow=OVERFLOW, wrap_up=5, max_wait=25),
    Queue("small", max_size=2, wrap_up=None, offer_timeout=7),
    Queue("hours", calendar=HalfOpen(), priority=3, wrap_up=3),
]
QUEUE_CFG = {q.name: q for q in QUEUES}
SKILL_NAMES = ["lang:ar", "lang:en", "entity:x", "entity:y", "pool:surge"]

skills_st = st.dictionaries(st.sampled_from(SKILL_NAMES), st.integers(1, 3), max_size=4)
reqs_st = st.dictionaries(st.sampled_from(SKILL_NAMES[:4]), st.integers(1, 3), max_size=2)


def satisfies(skills: dict, req: dict) -> bool:
    return all(skills.get(k, -1) >= v for k, v in req.items())


def expected_eligible(queue: str, base: dict, stage: int) -> tuple:
    primary, extra = base, []
    for step in QUEUE_CFG[queue].overflow[:stage]:
        if isinstance(step, Relax):
            primary = step.apply(base)
        else:
            extra.append(step.apply(base))
    alts: list = []
    for alt in [primary, *extra]:
        if alt not in alts:
            alts.append(alt)
    return tuple(alts)


class Driver:
    """Feeds events to an engine and checks every invariant and oracle after each one."""

    def __init__(self) -> None:
        self.engine = RoutingEngine(QUEUES, retain_finished=True)
        self.t = 0.0
        self.arrivals: dict[int, int] = {}  # contact id -> arrival order
        self.base: dict[int, tuple[str, dict]] = {}
        self.next_id = 0

    # -- helpers
    def ids(self, *statuses: ContactStatus) -> list[int]:
        return sorted(c.contact_id for c in self.engine.contacts() if c.status in statuses)

    def agents_in(self, *states: AgentState) -> list:
        return [a.agent_id for a in self.engine.agents() if a.state in states]

    def send(self, event: object, new: tuple[int, str, dict] | None = None) -> list:
        """Handle one event and check its offers against a brute-force oracle computed from the
        state just before it. (Every action leaves no timer due at ``self.t``, so only the
        event's own timers fire: a Tick sent by ``advance``.)"""
        if new is not None:  # a contact arrives with this event
            cid, queue, base = new
            self.arrivals[cid] = cid
            self.base[cid] = (queue, base)
        before_agents = {a.agent_id: a for a in self.engine.agents()}
        idle = {k: a for k, a in before_agents.items() if a.state is AgentState.AVAILABLE}
        waiting = {c.contact_id: c for c in self.engine.contacts(ContactStatus.WAITING)}
        out = self.engine.handle(event)
        for d in out:
            if not isinstance(d, Offer):
                continue
            agent_was_idle = d.agent_id in idle and not isinstance(event, AgentSkillsChanged)
            if agent_was_idle:
                # Contact side: the longest-idle agent that can serve the contact now.
                elig = self.engine.contact(d.contact_id).eligible
                fits = [a for a in idle.values() if any(satisfies(a.skills, r) for r in elig)]
                best = min(a.idle_since for a in fits)
                assert idle[d.agent_id].idle_since == best, "not the longest-idle agent"
            else:
                # Agent side: the best contact among those waiting before that it can serve.
                skills = self.engine.agent(d.agent_id).skills
                fits = [
                    c for c in waiting.values() if any(satisfies(skills, r) for r in c.eligible)
                ]
                if fits and d.contact_id in waiting:
                    best = min(
                        fits, key=lambda c: (-c.priority, c.since, self.arrivals[c.contact_id])
                    )
                    assert d.contact_id == best.contact_id, "agent did not get the best contact"
            idle.pop(d.agent_id, None)
            waiting.pop(d.contact_id, None)
        self.check()
        return out

    def check(self) -> None:
        e = self.engine
        e.check_invariants()
        counts = e.counts()
        assert sum(counts.values()) == len(self.arrivals), "a contact was lost"
        snaps = {cid: e.contact(cid) for cid in self.arrivals}
        for status in ContactStatus:
            assert counts[status] == sum(1 for s in snaps.values() if s.status is status)
        holders: dict = {}
        for a in e.agents():
            if a.contact_id is not None:
                assert a.contact_id not in holders, "contact offered to two agents"
                holders[a.contact_id] = a.agent_id
                assert a.state in (AgentState.RESERVED, AgentState.ON_CONTACT)
        for cid, s in snaps.items():
            if s.status in (ContactStatus.OFFERED, ContactStatus.CONNECTED):
                assert holders.get(cid) == s.agent_id
            elif s.status is ContactStatus.WAITING:
                queue, base = self.base[cid]
                stage = sum(1 for st_ in QUEUE_CFG[queue].overflow if s.since + st_.after <= self.t)
                assert s.overflow_step == stage, "overflow step not applied on time"
                assert s.eligible == expected_eligible(queue, base, stage)
                for a in e.agents():
                    if a.state is AgentState.AVAILABLE:
                        assert not any(satisfies(a.skills, r) for r in s.eligible), (
                            f"agent {a.agent_id} idles while {cid} waits"
                        )

    # -- actions
    def advance(self, dt: float) -> None:
        self.t += dt
        self.send(Tick(self.t))

    def login(self, agent: int, skills: dict) -> None:
        if agent not in self.agents_in(AgentState.LOGGED_OUT) and agent in {
            a.agent_id for a in self.engine.agents()
        }:
            return
        self.send(AgentLoggedIn(self.t, agent, skills))

    def agent_event(self, kind: str, pick: int, skills: dict | None = None) -> None:
        logged = [a for a in self.agents_in(*[s for s in AgentState if s != "logged_out"])]
        if not logged:
            return
        agent = logged[pick % len(logged)]
        event = {
            "logout": AgentLoggedOut(self.t, agent),
            "break": AgentBreak(self.t, agent, "rest"),
            "ready": AgentReady(self.t, agent),
            "skills": AgentSkillsChanged(self.t, agent, skills or {}),
        }[kind]
        self.send(event)

    def arrive(self, queue: str, reqs: dict, priority: int, callback: bool) -> None:
        self.next_id += 1
        cid = self.next_id
        base = {**QUEUE_CFG[queue].requirements, **reqs}
        # A call-back request restored from storage keeps its older place in line.
        since = self.t - 25 if callback and cid % 2 else None
        event = ContactArrived(
            self.t, cid, queue, reqs, priority=priority, since=since, callback=callback
        )
        self.send(event, new=(cid, queue, base))

    def contact_event(self, kind: str, pick: int, priority: int = 0) -> None:
        statuses = {
            "abandon": (ContactStatus.WAITING, ContactStatus.OFFERED),
            "answer": (ContactStatus.OFFERED,),
            "no_answer": (ContactStatus.OFFERED,),
            "end": (ContactStatus.CONNECTED,),
            "callback": (ContactStatus.WAITING,),
            "escalate": (ContactStatus.WAITING, ContactStatus.OFFERED),
        }[kind]
        ids = self.ids(*statuses)
        if not ids:
            return
        cid = ids[pick % len(ids)]
        event = {
            "abandon": ContactAbandoned,
            "answer": ContactAnswered,
            "no_answer": OfferNotAnswered,
            "end": ContactEnded,
            "callback": CallbackAccepted,
        }.get(kind)
        self.send(event(self.t, cid) if event else ContactReprioritized(self.t, cid, priority))


class RoutingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.d = Driver()

    @rule(dt=st.floats(0, 15, allow_nan=False))
    def advance(self, dt: float) -> None:
        self.d.advance(dt)

    @rule(agent=st.integers(0, 5), skills=skills_st)
    def login(self, agent: int, skills: dict) -> None:
        self.d.login(agent, skills)

    @rule(kind=st.sampled_from(["logout", "break", "ready", "ready"]), pick=st.integers(0, 99))
    def agent_event(self, kind: str, pick: int) -> None:
        self.d.agent_event(kind, pick)

    @rule(pick=st.integers(0, 99), skills=skills_st)
    def change_skills(self, pick: int, skills: dict) -> None:
        self.d.agent_event("skills", pick, skills)

    @rule(
        queue=st.sampled_from([q.name for q in QUEUES]),
        reqs=reqs_st,
        priority=st.integers(0, 2),
        callback=st.booleans(),
    )
    def arrive(self, queue: str, reqs: dict, priority: int, callback: bool) -> None:
        self.d.arrive(queue, reqs, priority, callback)

    @rule(
        kind=st.sampled_from(["abandon", "answer", "answer", "no_answer", "end", "end"]),
        pick=st.integers(0, 99),
    )
    def contact_event(self, kind: str, pick: int) -> None:
        self.d.contact_event(kind, pick)

    @rule(kind=st.sampled_from(["callback", "escalate"]), pick=st.integers(0, 99))
    def rare_contact_event(self, kind: str, pick: int) -> None:
        self.d.contact_event(kind, pick, priority=5)

    @invariant()
    def consistent(self) -> None:
        self.d.check()


RoutingMachine.TestCase.settings = settings(
    max_examples=60,
    stateful_step_count=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
TestRoutingMachine = RoutingMachine.TestCase


CONTACT_KINDS = ["abandon", "answer", "answer", "answer", "no_answer", "end", "end", "end"]
CONTACT_KINDS += ["callback", "escalate"]


def random_skills(rng: random.Random) -> dict:
    names = rng.sample(SKILL_NAMES, rng.randint(0, 4))
    return {n: rng.randint(1, 3) for n in names}


def test_long_random_runs_keep_invariants() -> None:
    """Longer horizons than the state machine reaches: queues build up and drain."""
    for seed in range(4):
        rng = random.Random(seed)
        d = Driver()

        for _ in range(700):
            x = rng.random()
            if x < 0.2:
                d.advance(rng.uniform(0, 8))
            elif x < 0.45:
                reqs = {
                    n: rng.randint(1, 2) for n in rng.sample(SKILL_NAMES[:4], rng.randint(0, 2))
                }
                d.arrive(rng.choice(QUEUES).name, reqs, rng.randint(0, 2), rng.random() < 0.1)
            elif x < 0.52:
                d.login(rng.randrange(8), random_skills(rng))
            elif x < 0.62:
                kind = rng.choice(["logout", "break", "ready", "ready", "ready", "skills"])
                d.agent_event(kind, rng.randrange(100), random_skills(rng))
            else:
                kind = rng.choice(CONTACT_KINDS)
                d.contact_event(kind, rng.randrange(100), priority=rng.randint(0, 4))
        assert len(d.arrivals) > 100
