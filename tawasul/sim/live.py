"""Live mode: a light stream of realistic contacts through the real system, so the demo lives.

At a demo rate (a few contacts a minute) residents call and write in: each contact is drawn
from the traffic model (entity, hotline, language, channel, handle time, patience), its
resident is found or created from a (fictitious) phone number with ``resident_find_or_create``,
and it is recorded with ``interaction_record``. The contact is then queued in the routing engine
(the same ``tawasul.routing`` the gateway uses) and the demo's agent accounts answer it through
the staff desk's services — ``contact_offer`` (their screen pops), ``contact_accept``,
``contact_end``, ``wrapup_end`` — so the wallboard and the desk show a center at work. Callers
who wait longer than their patience hang up (``interaction_update_timings`` with outcome
abandoned). A few answered contacts open a case with ``case_create``.

Voice: placing real SIP calls needs the voice gateway's SIP front; this generator records calls
through the services with realistic timings instead (see the room's report).

Robust by design: every action is wrapped, logged and skipped on failure, never raised out of
the loop; it sleeps between steps and does a few queries per contact. Time comes from an
injectable ``clock`` (aware datetimes) and ``sleep`` so tests run it without waiting.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import random
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

from django.utils import timezone

from tawasul.interactions.models import Interaction
from tawasul.routing import (
    AgentLoggedIn,
    AgentReady,
    AgentStateChanged,
    ContactAbandoned,
    ContactAnswered,
    ContactArrived,
    ContactEnded,
    Offer,
    OfferNotAnswered,
    Queue,
    Queued,
    RoutingEngine,
    RoutingError,
    Tick,
)
from tawasul.sim.traffic import Arrival, TrafficModel

log = logging.getLogger("tawasul.sim.live")

LIVE_PREFIX = "simlive:"
CASE_SHARE = 0.1  # answered contacts that open a case
RING_SECONDS = 4.0
WRAP_SECONDS = 15.0
HANDLE_SPEEDUP = 4.0  # demo: conversations 4x shorter than real ones, so the floor moves


class LiveSimulator:
    """Generates contacts at ``per_minute`` and plays callers and agents around them."""

    def __init__(
        self,
        *,
        per_minute: float = 4.0,
        seed: int | None = None,
        clock: Callable[[], datetime] = timezone.now,
        sleep: Callable[[float], None] | None = None,
        max_agents: int = 6,
    ) -> None:
        import time as _time

        self.rng = random.Random(seed)
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep or _time.sleep
        self.model = TrafficModel.center_109()
        self.engine = RoutingEngine([Queue("live", wrap_up=WRAP_SECONDS)])
        self.timers: list[tuple[float, int, str, object]] = []
        self.seq = itertools.count()
        self.contacts: dict[str, dict] = {}
        self.agents: dict[int, object] = {}
        self.max_agents = max_agents
        self.next_arrival: float | None = None
        self._pool: list[Arrival] = []
        self.stats = {"arrived": 0, "answered": 0, "abandoned": 0, "cases": 0, "errors": 0}

    # ------------------------------------------------------------------ plumbing

    def _safe(self, what: str, fn: Callable, *args, **kwargs):
        """Run one action; on any error log it and carry on (the demo must not stop)."""
        try:
            return fn(*args, **kwargs)
        except Exception:
            self.stats["errors"] += 1
            log.exception("live simulator: %s failed", what)
            return None

    def _at(self, when: float, kind: str, payload: object) -> None:
        heapq.heappush(self.timers, (when, next(self.seq), kind, payload))

    def _draw(self) -> Arrival:
        if not self._pool:
            self._pool = self.model.arrivals(1, self.rng)[:500]
            self.rng.shuffle(self._pool)
        return self._pool.pop()

    # ------------------------------------------------------------------ agents

    def start(self) -> None:
        """Log the demo agents in (desk state available) and into the engine."""
        from tawasul.accounts.models import Role, User

        now = self.clock()
        # The last accounts: the first ones (shown in the README) stay free for people.
        users = list(
            User.objects.filter(role=Role.AGENT, is_active=True)
            .exclude(username="integration")
            .order_by("-pk")[: self.max_agents]
        )
        for user in users:
            self._safe("recovery", self._recover, user, now)
        for user in users:
            if self._safe("agent login", self._desk_state, user, "available", now) is None:
                continue
            self.agents[user.pk] = user
            self._route(AgentLoggedIn(now.timestamp(), user.pk, {}))
        self.next_arrival = now.timestamp() + self._gap()
        log.info("live simulator: %d agents on duty, %.1f contacts/min", len(self.agents),
                 self.per_minute)  # fmt: skip

    def _recover(self, user, now: datetime) -> None:
        """Close what a previous run left open for this agent (the process was stopped in
        the middle of a contact): end accepted contacts, finish the wrap-up, and mark the
        simulated contacts nobody answered as abandoned."""
        from tawasul.desk.choices import AgentStatus, OfferStatus
        from tawasul.desk.models import AgentState, ContactOffer
        from tawasul.desk.services import contact_decline, contact_end, wrapup_end
        from tawasul.interactions.services import interaction_update_timings

        for offer in ContactOffer.objects.filter(
            agent=user, status__in=[OfferStatus.RINGING, OfferStatus.ACCEPTED]
        ):
            if offer.status == OfferStatus.ACCEPTED:
                contact_end(offer=offer, agent=user, now=now)
            else:
                contact_decline(offer=offer, agent=user, now=now)
        state = AgentState.objects.filter(agent=user).first()
        if state is not None and state.state == AgentStatus.WRAP_UP:
            wrapup_end(agent=user, now=now)
        stale = Interaction.objects.filter(
            external_id__startswith=LIVE_PREFIX, outcome="pending", answered_at__isnull=True
        )
        for interaction in stale:
            interaction_update_timings(interaction=interaction, ended_at=now, outcome="abandoned")
        for interaction in Interaction.objects.filter(
            external_id__startswith=LIVE_PREFIX, outcome="pending", answered_at__isnull=False
        ):
            interaction_update_timings(
                interaction=interaction,
                ended_at=interaction.ended_at or now,
                outcome="resolved",
            )

    def _desk_state(self, user, state: str, now: datetime):
        from tawasul.desk.services import agent_set_state

        return agent_set_state(agent=user, state=state, now=now)

    def _gap(self) -> float:
        return self.rng.expovariate(self.per_minute / 60.0) if self.per_minute > 0 else math.inf

    # ------------------------------------------------------------------ one step

    def step(self) -> None:
        """Do everything due by now: arrivals, answers, hang-ups, ends, wrap-ups."""
        now = self.clock()
        t = now.timestamp()
        while self.next_arrival is not None and self.next_arrival <= t:
            self._safe("arrival", self._arrive, self.next_arrival)
            self.next_arrival += self._gap()
        while self.timers and self.timers[0][0] <= t:
            when, _, kind, payload = heapq.heappop(self.timers)
            self._safe(kind, getattr(self, "_on_" + kind), when, payload)
        deadline = self.engine.next_deadline()
        if deadline is not None and deadline <= t:
            self._route(Tick(t))

    def run(self, *, steps: int | None = None, interval: float = 1.0) -> None:
        """Start, then step every ``interval`` seconds (forever, or ``steps`` times)."""
        self.start()
        for _ in itertools.count() if steps is None else range(steps):
            self._safe("step", self.step)
            self.sleep(interval)

    # ------------------------------------------------------------------ routing

    def _route(self, event) -> None:
        try:
            decisions = self.engine.handle(event)
        except RoutingError as exc:
            log.warning("live simulator: routing refused %r: %s", event, exc)
            decisions = exc.decisions
        for d in decisions:
            if isinstance(d, Offer):
                if self._safe("offer", self._offer, d) is None:
                    # The desk refused (someone is using this account): ring-no-answer, the
                    # contact goes back to the head of the line and the agent on a break.
                    self._at(self.engine.now + 30.0, "retry_agent", d.agent_id)
                    self._route(OfferNotAnswered(self.engine.now, d.contact_id, "desk_refused"))
            elif isinstance(d, AgentStateChanged) and d.state == "available":
                self._safe("wrap-up end", self._wrap_end, d.agent_id)
            elif isinstance(d, Queued):
                c = self.contacts.get(d.contact_id)
                if c is not None and c["patience"] < math.inf and not c["patience_armed"]:
                    c["patience_armed"] = True
                    self._at(c["offered"] + c["patience"], "patience", d.contact_id)

    def _arrive(self, ts: float) -> None:
        from tawasul.directory.models import Entity, Hotline
        from tawasul.interactions.services import interaction_record
        from tawasul.residents.services import normalize_contacts, resident_find_or_create

        a = self._draw()
        when = _aware(ts)
        phone = f"+974 55{self.rng.randrange(10**6):06d}"
        email = f"resident{self.rng.randrange(10**5)}@example.qa" if a.channel == "email" else None
        resident, _ = resident_find_or_create(
            contacts=normalize_contacts(phone=phone, email=email), preferred_language=a.language
        )
        interaction, _ = interaction_record(
            channel=a.channel,
            external_id=f"{LIVE_PREFIX}{uuid.uuid4()}",
            hotline=Hotline.objects.filter(number=a.hotline).first(),
            entity=Entity.objects.filter(code=a.entity).first(),
            resident=resident,
            language=a.language,
            queue=a.entity,
            address=email or phone,
            offered_at=when,
        )
        cid = str(interaction.pk)
        self.contacts[cid] = {
            "interaction": interaction,
            "arrival": a,
            "offered": ts,
            "patience": a.patience,
            "patience_armed": False,
            "agent": None,
            "offer": None,
        }
        self.stats["arrived"] += 1
        self._route(ContactArrived(ts, cid, "live", {}))

    def _offer(self, d: Offer) -> None:
        from tawasul.desk.services import contact_offer

        c = self.contacts[d.contact_id]
        user = self.agents[d.agent_id]
        now = self.engine.now
        c["agent"] = user
        c["offer"] = contact_offer(
            agent=user,
            interaction=c["interaction"],
            path={"channel": c["arrival"].channel, "hotline": c["arrival"].hotline},
            language=c["arrival"].language,
            now=_aware(now),
        )
        self._at(now + RING_SECONDS, "answer", d.contact_id)
        return c["offer"]

    def _on_retry_agent(self, when: float, agent_id: int) -> None:
        self._route(AgentReady(when, agent_id))

    def _on_answer(self, when: float, cid: str) -> None:
        from tawasul.desk.services import contact_accept

        c = self.contacts.get(cid)
        if c is None:
            return
        self._route(ContactAnswered(when, cid))
        contact_accept(offer=c["offer"], agent=c["agent"], now=_aware(when))
        self.stats["answered"] += 1
        self._at(when + c["arrival"].handle / HANDLE_SPEEDUP, "end", cid)

    def _on_end(self, when: float, cid: str) -> None:
        from tawasul.desk.services import contact_end

        c = self.contacts.pop(cid, None)
        if c is None:
            return
        contact_end(offer=c["offer"], agent=c["agent"], now=_aware(when))
        if self.rng.random() < CASE_SHARE:
            self._safe("case", self._open_case, c, when)
        else:
            from tawasul.interactions.services import interaction_update_timings

            interaction = c["interaction"]
            interaction.refresh_from_db()
            interaction_update_timings(interaction=interaction, outcome="resolved")
        self._route(ContactEnded(when, cid))

    def _open_case(self, c: dict, when: float) -> None:
        from tawasul.cases.services import case_create
        from tawasul.directory import demo_data

        interaction = c["interaction"]
        if interaction.entity is None:
            return
        templates = [
            t for t in demo_data.DEMO_CASE_TEMPLATES if t["entity"] == interaction.entity.code
        ]
        if not templates:
            return
        tpl = self.rng.choice(templates)
        arabic = interaction.language == "ar"
        case_create(
            actor=c["agent"],
            kind=tpl["kind"],
            entity=interaction.entity,
            subject=tpl["subject_ar"] if arabic else tpl["subject_en"],
            description=tpl["description_ar"] if arabic else tpl["description_en"],
            priority=tpl["priority"],
            hotline=interaction.hotline,
            resident=interaction.resident,
            channel=interaction.channel,
            language=interaction.language,
            interaction=interaction,
            now=_aware(when),
        )
        self.stats["cases"] += 1

    def _wrap_end(self, agent_id: int) -> None:
        from tawasul.desk.services import wrapup_end

        user = self.agents.get(agent_id)
        if user is not None:
            wrapup_end(agent=user, now=_aware(self.engine.now))

    def _on_patience(self, when: float, cid: str) -> None:
        from tawasul.interactions.services import interaction_update_timings

        c = self.contacts.get(cid)
        if c is None or c["agent"] is not None:
            return
        del self.contacts[cid]
        self._route(ContactAbandoned(when, cid))
        interaction = c["interaction"]
        interaction_update_timings(
            interaction=interaction, ended_at=_aware(when), outcome="abandoned"
        )
        self.stats["abandoned"] += 1


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)
