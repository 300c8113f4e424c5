"""Live mode: a light stream of realistic contacts through the real system, so the demo lives.

At a demo rate (a few contacts a minute) residents call and write in. Each contact is drawn
from the traffic model (entity, hotline, language, channel, handle time, patience) and goes in
through the channel's real entry point when that entry point is running:

* **calls** — a real SIP call into the voice gateway (``tawasul.sim.sip``): the resident dials
  the hotline, picks the language and the menu keys by DTMF as the hotline's IVR flow asks,
  waits in the gateway's queue and hangs up when their patience runs out before an agent
  answers (a real abandon, recorded by the gateway). The simulated agents' desk phones are
  registered to the gateway with the agents' SIP accounts; the gateway's router offers them
  calls (its desk adapter pops the desk, accepts and ends the contact), the phone answers
  after a short ring, talks for a handle time drawn from the model and hangs up; the
  simulated agent then finishes the wrap-up on the desk and is available again.
* **e-mail** — SMTP into the inbound listener; **SMS** — a mobile-originated message through
  Kannel (its fake operator); **web** and **app** — the portal's form and the mobile-app API
  over HTTP (``tawasul.sim.channels``). The Interaction the channel stored is then queued in
  this simulator's routing engine and answered by the simulated agents through the staff
  desk's services — ``contact_offer`` (their screen pops), ``contact_accept``,
  ``contact_end``, ``wrapup_end``.

When an entry point is not running (no gateway, no Kannel, no web server — tests of other
rooms, a machine without them) the simulator says so once in the log and that channel takes
the services path: its resident is found or created with ``resident_find_or_create``, the
contact recorded with ``interaction_record`` and queued in the same ``tawasul.routing``
engine; callers who wait longer than their patience hang up (``interaction_update_timings``
with outcome abandoned). A few answered contacts open a case with ``case_create``. Social
media contacts always take that path (their webhooks need the networks' signatures).

Robust by design: every action is wrapped, logged and skipped on failure, never raised out of
the loop; it sleeps between steps and does a few queries per contact. Time comes from an
injectable ``clock`` (aware datetimes) and ``sleep`` so tests of the services path run it
without waiting (real SIP calls run on the wall clock).
"""

from __future__ import annotations

import heapq
import itertools
import logging
import math
import random
import uuid
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.utils import timezone

from tawasul.errors import DomainError
from tawasul.interactions.models import Interaction, Outcome
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
from tawasul.sim import channels, sip
from tawasul.sim.demo_cases import (
    back_office_of,
    demo_case_advance,
    demo_case_open,
    template_pick,
)
from tawasul.sim.traffic import Arrival, TrafficModel

log = logging.getLogger("tawasul.sim.live")

LIVE_PREFIX = "simlive:"
CASE_SHARE = 0.1  # answered contacts that open a case
CASE_WORKED_SHARE = 0.6  # of those, cases the simulated back office works during the demo
CASE_STEP_SECONDS = (60.0, 300.0)  # between two of its steps on one case
RING_SECONDS = 4.0
WRAP_SECONDS = 15.0
HANDLE_SPEEDUP = 4.0  # demo: conversations 4x shorter than real ones, so the floor moves
RETRY_AGENT_SECONDS = 10.0  # an agent busy elsewhere (a call, a person) is tried again after
GENERAL_HOTLINE = "109"  # dialled when the drawn hotline has no IVR flow
NO_ANSWER_PAUSE = 20.0  # an agent the gateway put on break for not answering comes back after
REGISTER_EVERY = 300.0  # agents' phones re-register (Expires is twice that)
MAX_CALL_SECONDS = 1800.0  # a call the gateway never ended is hung up after this
STORED_WITHIN = 120.0  # a message the channel has not stored by then is reported lost
LANDMARKS = (  # (Arabic, English) places residents give for a report
    ("السد، الدوحة، قرب مجمع السد", "Al Sadd, Doha, near Al Sadd Plaza"),
    ("الوكرة، شارع الوكرة الرئيسي", "Al Wakrah main street"),
    ("روي، مسقط، قرب دوار روي", "Ruwi, Muscat, near Ruwi roundabout"),
    ("الخوير، مسقط", "Al Khuwair, Muscat"),
)


@dataclass
class SipCall:
    """One resident's SIP call in flight (by Call-ID = the Interaction's ``external_id``)."""

    arrival: Arrival
    placed: float
    plan: sip.Plan
    keys_done: float
    queued: float | None = None
    hung_up: bool = False


@dataclass
class VoicePeers:
    residents: sip.Residents
    phones: sip.AgentPhones
    registered: dict[int, str] = field(default_factory=dict)  # agent pk -> SIP user
    registered_at: float = 0.0

    def alive(self) -> bool:
        return self.residents.alive() and self.phones.alive()

    def last_words(self) -> str:
        peers = (self.residents.sipp, self.phones.sipp)
        return "; ".join(p.last_words() for p in peers if not p.alive())

    def stop(self) -> None:
        self.residents.stop()
        self.phones.stop()


class LiveSimulator:
    """Generates contacts at ``per_minute`` and plays residents and agents around them.

    ``gateway`` (host, port) of the voice gateway's SIP front, ``smtp`` (host, port) of the
    inbound mail listener, ``web_url`` of the web server (portal and app API), ``kannel``
    (SMS through Kannel's fake operator): the real entry points to use while they answer;
    left out, that channel takes the services path.
    """

    def __init__(
        self,
        *,
        per_minute: float = 4.0,
        seed: int | None = None,
        clock: Callable[[], datetime] = timezone.now,
        sleep: Callable[[float], None] | None = None,
        max_agents: int = 6,
        gateway: tuple[str, int] | None = None,
        smtp: tuple[str, int] | None = None,
        web_url: str | None = None,
        kannel: bool = False,
        sip_password: str | None = None,
        workdir: Path | None = None,
        model: TrafficModel | None = None,
        handle_speedup: float = HANDLE_SPEEDUP,
        wrap_seconds: float = WRAP_SECONDS,
    ) -> None:
        import time as _time

        from tawasul.voice.demo import DEMO_SIP_PASSWORD

        self.rng = random.Random(seed)
        # Its own generator, so working cases leaves the stream of contacts as it was.
        self.office_rng = random.Random(None if seed is None else f"office:{seed}")
        self.per_minute = per_minute
        self.clock = clock
        self.sleep = sleep or _time.sleep
        self.model = model or TrafficModel.center_109()
        self.handle_speedup = handle_speedup
        self.wrap_seconds = wrap_seconds
        self.engine = RoutingEngine([Queue("live", wrap_up=wrap_seconds)])
        self.timers: list[tuple[float, int, str, object]] = []
        self.seq = itertools.count()
        self.contacts: dict[str, dict] = {}
        self.agents: dict[int, object] = {}
        self.max_agents = max_agents
        self.next_arrival: float | None = None
        self._pool: list[Arrival] = []
        self.stats = {
            "arrived": 0,
            "answered": 0,
            "abandoned": 0,
            "cases": 0,
            "errors": 0,
            "sip_calls": 0,
            "sip_answered": 0,
            "sip_abandoned": 0,
            "sip_ivr_only": 0,
            "sip_refused": 0,
            "via_channel": 0,
            "lost": 0,
        }
        self.gateway = gateway
        self.smtp = smtp
        self.sip_password = sip_password or DEMO_SIP_PASSWORD
        self.workdir = workdir
        self.voice: VoicePeers | None = None
        self.calls: dict[str, SipCall] = {}
        self.awaiting: list[dict] = []  # contacts handed to a channel, not yet stored
        # Interactions a channel stored that are already queued here (the latest: an SMS is
        # matched by number and time, so only recent ones can be mistaken for a new one).
        self.claimed: deque[str] = deque(maxlen=200)
        self.digital_busy: set[int] = set()  # agents on a contact of this simulator's engine
        self.links: dict[str, channels.Link] = {}
        if gateway is not None:
            host, port = gateway
            self.links["call"] = channels.Link(
                "calls",
                f"the voice gateway (SIP {host}:{port})",
                lambda: sip.sipp_available() and sip.gateway_alive(host, port),
            )
        if smtp is not None:
            self.links["email"] = channels.Link(
                "e-mails", f"the SMTP listener on {smtp[0]}:{smtp[1]}",
                lambda: channels.smtp_probe(*smtp),
            )  # fmt: skip
        if kannel:
            self.links["sms"] = channels.Link("SMS", "Kannel", channels.kannel_probe)
        self.portal = channels.PortalClient(web_url) if web_url else None
        if web_url:
            portal = channels.Link(
                "web and app contacts", f"the portal at {web_url}",
                lambda: channels.http_probe(web_url),
            )  # fmt: skip
            self.links["web"] = self.links["app"] = portal

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

    def start(self, *, wait_for_gateway: float = 0.0) -> None:
        """Log the demo agents in (desk state available) and into the engine; with a gateway,
        register their phones first (waiting up to ``wait_for_gateway`` s for it to answer)."""
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
        self.agents = {user.pk: user for user in users}
        if "call" in self.links:
            self._wait_for_gateway(wait_for_gateway)
            self._safe("voice start", self._voice_ready)
        for user in users:
            if self._safe("agent login", self._desk_state, user, "available", now) is None:
                del self.agents[user.pk]
                continue
            self._route(AgentLoggedIn(now.timestamp(), user.pk, {}))
        self.next_arrival = now.timestamp() + self._gap()
        log.info("live simulator: %d agents on duty, %.1f contacts/min", len(self.agents),
                 self.per_minute)  # fmt: skip

    def _wait_for_gateway(self, seconds: float) -> None:
        import time as _time

        deadline = _time.monotonic() + seconds
        host, port = self.gateway
        while _time.monotonic() < deadline and not sip.gateway_alive(host, port):
            _time.sleep(2.0)

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
        if self.awaiting:
            self._safe("inbound watch", self._watch_inbound, t)
        if self.voice is not None:
            self._safe("call watch", self._watch_calls, t)
            self._safe("agent watch", self._watch_agents, now)
            if self.voice is not None and t - self.voice.registered_at >= REGISTER_EVERY:
                self._safe("phone registration", self._register_phones)

    def run(
        self, *, steps: int | None = None, interval: float = 1.0, wait_for_gateway: float = 0.0
    ) -> None:
        """Start, then step every ``interval`` seconds (forever, or ``steps`` times)."""
        try:
            self.start(wait_for_gateway=wait_for_gateway)
            for _ in itertools.count() if steps is None else range(steps):
                self._safe("step", self.step)
                self.sleep(interval)
        finally:
            self.stop()

    def stop(self) -> None:
        """Hang up the calls in flight and stop the SIP peers."""
        if self.voice is None:
            return
        for call_id in list(self.calls):
            self.voice.residents.hang_up(call_id)
        if self.calls:
            self.sleep(1.0)  # let the BYEs go out before sipp stops
        self.voice.stop()
        self.voice = None

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
                    # The agent is busy elsewhere (a call from the gateway, or a person using
                    # the account): ring-no-answer, the contact goes back to the head of the
                    # line and the agent is tried again a little later.
                    self._at(self.engine.now + RETRY_AGENT_SECONDS, "retry_agent", d.agent_id)
                    self._route(OfferNotAnswered(self.engine.now, d.contact_id, "desk_refused"))
            elif isinstance(d, AgentStateChanged) and d.state == "available":
                self._safe("wrap-up end", self._wrap_end, d.agent_id)
            elif isinstance(d, Queued):
                c = self.contacts.get(d.contact_id)
                if c is not None and c["patience"] < math.inf and not c["patience_armed"]:
                    c["patience_armed"] = True
                    self._at(c["offered"] + c["patience"], "patience", d.contact_id)

    def _arrive(self, ts: float) -> None:
        self.send_contact(self._draw(), ts)

    def send_contact(self, a: Arrival, ts: float | None = None) -> None:
        """One resident's contact, now (or at ``ts``): over its channel's real entry point when
        that answers, else through the services."""
        ts = self.clock().timestamp() if ts is None else ts
        if a.channel == "call" and self._voice_ready():
            self._call_over_sip(a, ts)
            return
        link = self.links.get(a.channel)
        if link is not None and link.usable():
            try:
                sent = self._send(a, ts)
            except channels.PortalRefused as exc:
                log.info("live simulator: the portal refused a %s contact (%s)", a.channel, exc)
            except Exception as exc:
                link.down(f"{type(exc).__name__}: {exc}")
            else:
                self.awaiting.append({"sent": sent, "arrival": a, "t": ts})
                self.stats["via_channel"] += 1
                return
        self._arrive_service(a, ts)

    def _arrive_service(self, a: Arrival, ts: float) -> None:
        """The services path: the contact is recorded as its channel would record it."""
        from tawasul.directory.models import Entity, Hotline
        from tawasul.interactions.services import interaction_record
        from tawasul.residents.services import normalize_contacts, resident_find_or_create

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
        self._queue_contact(interaction, a, ts, real=False)

    def _queue_contact(self, interaction: Interaction, a: Arrival, ts: float, *, real: bool):
        cid = str(interaction.pk)
        if real:
            self.claimed.append(cid)
        self.contacts[cid] = {
            "interaction": interaction,
            "arrival": a,
            "offered": ts,
            "patience": a.patience,
            "patience_armed": False,
            "agent": None,
            "offer": None,
            "real": real,  # stored by a real channel, which already opened its case
        }
        self.stats["arrived"] += 1
        self._route(ContactArrived(ts, cid, "live", {}))

    def _offer(self, d: Offer):
        from tawasul.desk.models import AgentState
        from tawasul.desk.services import contact_offer

        c = self.contacts[d.contact_id]
        user = self.agents[d.agent_id]
        state = AgentState.objects.filter(agent=user).values_list("state", flat=True).first()
        if state != "available":
            return None  # on a call from the gateway, in its wrap-up, or on a break
        now = self.engine.now
        try:
            offer = contact_offer(
                agent=user,
                interaction=c["interaction"],
                path={"channel": c["arrival"].channel, "hotline": c["arrival"].hotline},
                language=c["arrival"].language,
                now=_aware(now),
            )
        except DomainError as exc:  # the gateway took the agent a moment ago
            log.debug("live simulator: desk refused the offer to %s: %s", user, exc)
            return None
        c["agent"], c["offer"] = user, offer
        self.digital_busy.add(d.agent_id)
        self._at(now + RING_SECONDS, "answer", d.contact_id)
        return offer

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
        self._at(when + c["arrival"].handle / self.handle_speedup, "end", cid)

    def _on_end(self, when: float, cid: str) -> None:
        from tawasul.desk.services import contact_end

        c = self.contacts.pop(cid, None)
        if c is None:
            return
        contact_end(offer=c["offer"], agent=c["agent"], now=_aware(when))
        if not c["real"] and self.rng.random() < CASE_SHARE:
            self._safe("case", self._open_case, c["interaction"], c["agent"], when)
        else:
            self._resolve(c["interaction"])
        self._route(ContactEnded(when, cid))

    def _resolve(self, interaction: Interaction) -> None:
        _log_outcome(interaction, Outcome.RESOLVED_FIRST_CONTACT)

    def _open_case(self, interaction: Interaction, agent, when: float) -> None:
        tpl = self._template(interaction.entity.code if interaction.entity else "")
        if tpl is None:
            return
        case = demo_case_open(interaction=interaction, template=tpl, actor=agent, when=_aware(when))
        _log_outcome(interaction, Outcome.CASE_OPENED)
        self.stats["cases"] += 1
        if self.office_rng.random() < CASE_WORKED_SHARE:
            self._at(when + self.office_rng.uniform(*CASE_STEP_SECONDS), "case_step", (case, agent))

    def _on_case_step(self, when: float, payload: tuple) -> None:
        """The back office takes the case one step further (a demo's minutes stand for the
        hours a real case takes), and comes back for the next one."""
        case, agent = payload
        departments, officers = back_office_of(case.entity_id)
        more = demo_case_advance(
            case=case, rng=self.office_rng, departments=departments, officers=officers,
            router=agent, now=_aware(when),
        )  # fmt: skip
        if more:
            self._at(when + self.office_rng.uniform(*CASE_STEP_SECONDS), "case_step", payload)

    def _template(self, entity: str) -> dict | None:
        """One of the demo's case texts for ``entity`` (None if it has none)."""
        return template_pick(entity, self.rng)

    def _wrap_end(self, agent_id: int) -> None:
        from tawasul.desk.services import wrapup_end

        self.digital_busy.discard(agent_id)
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

    # ------------------------------------------------------------------ real channels

    def _send(self, a: Arrival, ts: float) -> channels.Sent:
        """Hand one written contact to its channel's entry point."""
        from tawasul.omnichannel import conf as channel_conf

        tpl = self._template(a.entity) or self._template("phcc")
        arabic = a.language == "ar"
        subject = tpl["subject_ar"] if arabic else tpl["subject_en"]
        text = tpl["description_ar"] if arabic else tpl["description_en"]
        phone = f"+97455{self.rng.randrange(10**6):06d}"
        if a.channel == "email":
            host, port = self.smtp
            return channels.email_send(
                host=host,
                port=port,
                sender=f"resident{self.rng.randrange(10**5)}@example.qa",
                to=f"{a.entity}@contact.tawasul.example",
                subject=subject,
                body=text,
                language=a.language,
            )
        if a.channel == "sms":
            receiver = a.hotline or channel_conf.get("TAWASUL_SMS_SENDER")
            return channels.sms_send(sender=phone, receiver=receiver, text=text, now=_aware(ts))
        language = "ar" if arabic else "en"
        # A report needs a place (the portal refuses one without): a landmark the resident
        # would type, in their language.
        place = self.rng.choice(LANDMARKS)[0 if arabic else 1] if tpl["kind"] == "report" else ""
        if a.channel == "web":
            return self.portal.web_submit(
                fields={
                    "kind": tpl["kind"],
                    "entity": _form_entity(a.entity),
                    "description": text,
                    "phone": phone,
                    "preferred_channel": "sms",
                    "language": language,
                    "address": place,
                }
            )
        return self.portal.app_submit(
            payload={
                "kind": tpl["kind"],
                "entity": a.entity,
                "description": text,
                "phone": phone,
                "language": language,
                "address": place,
            }
        )

    def _watch_inbound(self, t: float) -> None:
        """Queue the contacts their channel has stored by now."""
        for item in list(self.awaiting):
            sent: channels.Sent = item["sent"]
            found = Interaction.objects.filter(channel=sent.channel).exclude(
                pk__in=[uuid.UUID(c) for c in self.claimed]
            )
            if sent.external_id:
                found = found.filter(external_id=sent.external_id)
            else:
                found = found.filter(
                    address=sent.address, offered_at__gte=sent.after - timedelta(seconds=60)
                )
            row = found.order_by("offered_at").first()
            if row is not None:
                self.awaiting.remove(item)
                self._queue_contact(row, item["arrival"], t, real=True)
            elif t - item["t"] > STORED_WITHIN:
                self.awaiting.remove(item)
                self.stats["lost"] += 1
                log.warning("live simulator: the %s sent %.0f s ago was never stored",
                            sent.channel, t - item["t"])  # fmt: skip

    # ------------------------------------------------------------------ SIP calls

    def _voice_ready(self) -> bool:
        """True when calls can go over SIP: the gateway answers and our peers run."""
        link = self.links.get("call")
        if link is None or not link.usable():
            return False
        if self.voice is not None and self.voice.alive():
            return True
        if self.voice is not None:
            log.warning("live simulator: a SIP peer stopped (%s); starting them again",
                        self.voice.last_words())  # fmt: skip
            self.voice.stop()
            self.voice = None
        try:
            self._start_voice()
        except Exception as exc:
            link.down(f"SIP peers: {exc}")
            return False
        return True

    def _start_voice(self) -> None:
        host, port = self.gateway
        mu, sigma = self.model.handle_times["call"].params()
        talk_ms = [
            int(math.exp(self.rng.gauss(mu, sigma)) / self.handle_speedup * 1000)
            for _ in range(2000)
        ]
        from django.conf import settings

        base = sip.workdir(self.workdir or Path(settings.DATA_DIR) / "sim-sip")
        self.voice = VoicePeers(
            residents=sip.Residents(host=host, port=port, workdir=base),
            phones=sip.AgentPhones(host=host, port=port, workdir=base, handle_ms=talk_ms),
        )
        self._register_phones()

    def _register_phones(self) -> None:
        """Register every simulated agent's desk phone (their VoiceEndpoint account)."""
        from tawasul.voice.models import VoiceEndpoint

        endpoints = dict(
            VoiceEndpoint.objects.filter(user_id__in=self.agents, active=True).values_list(
                "user_id", "sip_username"
            )
        )
        accepted = self.voice.phones.register(
            {user: self.sip_password for user in endpoints.values()}
        )
        previous = set(self.voice.registered.values())
        self.voice.registered = {pk: user for pk, user in endpoints.items() if user in accepted}
        self.voice.registered_at = self.clock().timestamp()
        if set(accepted) != previous:
            refused = ", ".join(sorted(set(endpoints.values()) - accepted)) or "none"
            log.info("live simulator: %d agent phones registered to the gateway (refused: %s)",
                     len(accepted), refused)  # fmt: skip

    def _call_over_sip(self, a: Arrival, ts: float) -> None:
        from tawasul.voice import selectors as voice

        found = voice.hotline_flow(number=a.hotline) or voice.hotline_flow(number=GENERAL_HOTLINE)
        if found is None:  # no IVR flow to call: the call is recorded through the services
            self._arrive_service(a, ts)
            return
        hotline, flow = found
        plan = sip.plan_call(
            flow=flow.definition,
            languages=voice.hotline_languages(hotline=hotline),
            language=a.language,
            is_open=voice.hotline_is_open(hotline=hotline, now=_aware(ts)),
            rng=self.rng,
        )
        call_id = f"{LIVE_PREFIX}{uuid.uuid4()}"
        self.voice.residents.place(
            call_id=call_id,
            hotline=hotline.number,
            caller=f"+97455{self.rng.randrange(10**6):06d}",
            keys=plan.keys,
        )
        keys_s = sum(k.wait_ms + 700 for k in plan.keys) / 1000
        self.calls[call_id] = SipCall(arrival=a, placed=ts, plan=plan, keys_done=ts + keys_s)
        self.stats["arrived"] += 1
        self.stats["sip_calls"] += 1

    def _watch_calls(self, t: float) -> None:
        """Follow the calls through the gateway's Interactions: hang up the residents whose
        patience ran out in the queue, and close the agents' side of finished calls."""
        if not self.calls:
            return
        for call_id, status in self.voice.residents.refused().items():
            if self.calls.pop(call_id, None) is not None:
                # The resident heard a busy tone (486: every media worker's slots are taken)
                # and the center has no record of the call, as with a real full trunk.
                self.stats["sip_refused"] += 1
                log.info("live simulator: the gateway refused call %s (%s)", call_id, status)
        rows = {r.external_id: r for r in Interaction.objects.filter(external_id__in=self.calls)}
        for call_id, call in list(self.calls.items()):
            row = rows.get(call_id)
            if row is None:
                if t - call.placed > 30:
                    del self.calls[call_id]
                    self.stats["lost"] += 1
                    log.warning("live simulator: call %s never reached the gateway", call_id)
                    if not sip.gateway_alive(*self.gateway):
                        # It stopped: calls take the services path until it answers again,
                        # then fresh peers register the phones (its registrar forgot them).
                        self.links["call"].down("the gateway stopped answering")
                        self.voice.stop()
                        self.voice, self.calls = None, {}
                        return
                continue
            if row.ended_at is not None:
                # At once: the gateway's last writes touch only its own fields, so the
                # outcome logged here is never put back to pending.
                del self.calls[call_id]
                self._call_finished(row, t)
                continue
            if row.answered_at is not None or call.hung_up:
                continue
            if t - call.placed > MAX_CALL_SECONDS:
                self._hang_up(call_id, call)
            elif not call.plan.wants_agent:
                if t >= call.keys_done + call.plan.listen_s:
                    self._hang_up(call_id, call)  # heard the recorded answer
            elif row.queue:
                call.queued = call.queued or t
                if t - call.queued >= call.arrival.patience:
                    self._hang_up(call_id, call)  # nobody answered in time: a real abandon

    def _hang_up(self, call_id: str, call: SipCall) -> None:
        call.hung_up = True
        self.voice.residents.hang_up(call_id)

    def _call_finished(self, row: Interaction, t: float) -> None:
        if row.answered_at is not None:
            self.stats["answered"] += 1
            self.stats["sip_answered"] += 1
            if row.agent_id in self.agents and self.rng.random() < CASE_SHARE:
                self._safe("case", self._open_case, row, self.agents[row.agent_id], t)
            else:
                self._resolve(row)
        elif row.outcome == "abandoned":
            self.stats["abandoned"] += 1
            self.stats["sip_abandoned"] += 1
        else:
            self.stats["sip_ivr_only"] += 1  # information given, call-back, after hours

    def _watch_agents(self, now: datetime) -> None:
        """The simulated agents' side of calls: end the wrap-up after ``wrap_seconds`` and
        come back from a ring-no-answer break."""
        from tawasul.desk.models import AgentState
        from tawasul.desk.services import agent_set_state, wrapup_end

        states = AgentState.objects.filter(agent_id__in=self.agents).exclude(
            agent_id__in=self.digital_busy
        )
        for state in states:
            age = (now - state.since).total_seconds()
            user = self.agents[state.agent_id]
            if state.state == "wrap_up" and age >= self.wrap_seconds:
                wrapup_end(agent=user, now=now)
            elif (state.state, state.reason) == ("on_break", "no_answer") and (
                age >= NO_ANSWER_PAUSE
            ):
                agent_set_state(agent=user, state="available", now=now)


def _form_entity(code: str) -> str:
    """The portal's form lists only entities with an active service: a resident whose entity
    is not in the list picks the first one it offers."""
    from tawasul.directory.models import Entity

    offered = Entity.objects.filter(active=True, services__active=True).distinct()
    if offered.filter(code=code).exists():
        return code
    first = offered.order_by("code").values_list("code", flat=True).first()
    return first or code


def _log_outcome(interaction: Interaction, outcome: str) -> None:
    """The agent's outcome, if the contact's is still pending; only that field is written, on
    the row as it is now (the gateway may be writing the call's last fields meanwhile)."""
    from django.db import transaction

    from tawasul.interactions.services import interaction_update_timings

    with transaction.atomic():
        row = Interaction.objects.select_for_update().get(pk=interaction.pk)
        if row.outcome == Outcome.PENDING:
            interaction_update_timings(interaction=row, outcome=outcome)


def _aware(ts: float) -> datetime:
    return datetime.fromtimestamp(ts, tz=UTC)
