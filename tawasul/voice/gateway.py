"""The voice gateway's controller: SIP front + media workers + routing, in one Django process.

Processes (see docs/voice.md)::

    callers / agent phones ──SIP──▶ Kamailio (front: registrar, dispatcher) ──▶ media worker 1..N
                                                                                   │ JSON lines
                                          this process (controller) ◀──────────────┘
                                          ├─ one thread per call runs the IVR (tawasul.voice.ivr)
                                          ├─ the router thread owns the RoutingEngine
                                          └─ the database and the channel layer (desk services)

Only the router thread touches the engine (events in through ``Router.submit``, decisions out
to the call threads); only each worker's main thread touches its PJSIP library. The web process
and the gateway share state through the database (flows, agents' phones and desk states,
interactions) and the channel layer (the desk services publish the screen pop).
"""

from __future__ import annotations

import contextlib
import logging
import queue
import shutil
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from django.db import close_old_connections, connection

from tawasul import routing
from tawasul.core.crypto import PRIVATE_DIR, PRIVATE_FILE, private_dirs
from tawasul.voice import conf, ports, services
from tawasul.voice.front import Front, FrontPolicy, SecurityEvent
from tawasul.voice.ports import PortLease, PortsUnavailable, port_is_free
from tawasul.voice.wire import Sender, read_lines

log = logging.getLogger("tawasul.voice")


class HungUp(Exception):
    """The caller's leg ended."""


def release_db_connection() -> None:
    """Give this thread's PostgreSQL connection back to the pool before a call waits.

    A call spends seconds to minutes waiting (prompts, digits, the queue) and milliseconds in
    the database; 300 callers holding one pooled connection each would exhaust the pool (16)
    and time out. SQLite connections are not pooled and cost a file open to make again, so
    they stay with their thread.
    """
    if (
        connection.vendor != "sqlite"
        and connection.connection is not None
        and not connection.in_atomic_block
    ):
        connection.close()


# --------------------------------------------------------------------------------------------
# Calls


class CallSession:
    """One caller's leg on one worker, as the IVR thread sees it: blocking helpers over the
    asynchronous worker protocol. Every wait ends with :class:`HungUp` if the caller leaves."""

    def __init__(self, gateway: Gateway, worker: str, key: str, info: dict[str, Any]) -> None:
        self.gateway = gateway
        self.worker = worker
        self.key = key
        self.info = info
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.digits: list[str] = []
        self.pending: deque[dict[str, Any]] = deque()
        self.gone = False
        # Set by the link's reader before the leg's "ended" is queued: the worker hung up
        # because no RTP came from the caller (a phone that vanished without a BYE).
        self.media_timed_out = False
        self.media_up = threading.Event()
        self._play_seq = 0
        self.legs: set[str] = set()

    def send(self, command: str, **fields: Any) -> None:
        fields.setdefault("call", self.key)
        self.gateway.send(self.worker, {"cmd": command, **fields})

    # Events are read by exactly one thread (the call's), so no lock is needed here.
    def next_event(self, timeout: float | None) -> dict[str, Any] | None:
        """The next event, those set aside while a prompt played or digits were read first."""
        if self.pending:
            return self.pending.popleft()
        return self._raw_event(timeout)

    def _raw_event(self, timeout: float | None, *, stash: bool = False) -> dict[str, Any] | None:
        release_db_connection()
        try:
            event = self.events.get(timeout=timeout)
        except queue.Empty:
            return None
        kind = event.get("ev")
        if kind == "dtmf" and event.get("call") == self.key:
            self.digits.append(event["digit"])
        elif kind in ("ended", "media_timeout") and event.get("call") == self.key:
            # A media timeout ends the call now: the worker's BYE may go unanswered for 32 s
            # (the phone is gone), and nobody is listening meanwhile.
            self.gone = True
        elif stash and kind not in ("played", "media"):
            # A routing decision or the agent's leg while a prompt plays: keep it for the
            # queue logic (an offer must never be lost because a prompt was playing).
            self.pending.append(event)
        return event

    def _check(self) -> None:
        if self.gone:
            raise HungUp

    def answer(self) -> None:
        self.send("answer", media_timeout=self.gateway.media_timeout)
        deadline = time.monotonic() + 10
        while not self.media_up.is_set():
            self._check()
            if time.monotonic() > deadline:
                raise HungUp
            event = self._raw_event(0.2, stash=True)
            if event and event.get("ev") == "media":
                self.media_up.set()

    def play(self, files: list[str], *, interruptible: bool = True) -> None:
        """Play and wait for the end; a key press stops an interruptible prompt (barge-in)."""
        self._check()
        if not files or (interruptible and self.digits):
            return  # type-ahead: a caller who already pressed a key skips the prompt
        self._play_seq += 1
        play_id = self._play_seq
        start_digits = len(self.digits)
        self.send("play", files=[str(f) for f in files], id=play_id)
        while True:
            event = self._raw_event(60, stash=True)
            self._check()
            if event is None:
                return
            if event.get("ev") == "played" and event.get("id") == play_id:
                return
            if interruptible and len(self.digits) > start_digits:
                self.send("stop")
                return

    def hold(self, file: str) -> None:
        self.send("play", files=[str(file)], id=0, loop=True)

    def collect(self, *, max_digits: int, timeout: float, terminator: str = "#") -> str:
        """Digits typed so far plus those typed within ``timeout`` seconds of the last one."""
        deadline = time.monotonic() + timeout
        while True:
            self._check()
            typed = "".join(self.digits)
            # Only the digits this answer uses are taken: a caller who knows the menus types
            # ahead ("2" then "0"), and the next menu answers at once with what is left.
            if terminator and terminator in typed:
                del self.digits[: typed.index(terminator) + 1]
                return typed.split(terminator, 1)[0]
            if len(typed) >= max_digits:
                del self.digits[:max_digits]
                return typed[:max_digits]
            left = deadline - time.monotonic()
            if left <= 0:
                self.digits.clear()
                return typed
            before = len(self.digits)
            self._raw_event(left, stash=True)
            if len(self.digits) > before:
                deadline = time.monotonic() + timeout

    def hangup(self) -> None:
        if not self.gone:
            self.send("hangup")


# --------------------------------------------------------------------------------------------
# Routing


@dataclass
class _AgentSeen:
    state: str
    skills: dict[str, int] = field(default_factory=dict)
    in_engine: bool = False  # logged in to the routing engine (first seen available)


class Router(threading.Thread):
    """Owns the routing engine. Call threads submit events; decisions go to the call
    (``deliver(contact_id, decision)``). Agents' desk states are read from the database."""

    def __init__(self, deliver: Callable[[Any, Any], None], poll_seconds: float = 1.0) -> None:
        super().__init__(daemon=True, name="voice-router")
        self.engine = routing.RoutingEngine()
        self.inbox: queue.Queue[tuple[str, Any]] = queue.Queue()
        self.deliver = deliver
        self.poll_seconds = poll_seconds
        self.agents: dict[int, _AgentSeen] = {}
        self.queues: dict[str, routing.Queue] = {}
        self.stopping = threading.Event()
        self.snapshots: dict[Any, int | None] = {}
        self._agent_rows: tuple | None = None

    def submit(self, event: Any) -> None:
        self.inbox.put(("event", event))

    def configure(self, q: routing.Queue) -> None:
        self.inbox.put(("queue", q))

    def position(self, contact_id: Any) -> tuple[int | None, float]:
        """Position in line and expected wait (approximate, read without the engine's lock)."""
        reply: queue.Queue = queue.Queue()
        self.inbox.put(("position", (contact_id, reply)))
        try:
            return reply.get(timeout=2)
        except queue.Empty:
            return None, 0.0

    def run(self) -> None:
        next_poll = 0.0
        while not self.stopping.is_set():
            now = time.time()
            if now >= next_poll:
                try:
                    self._sync_agents(now)
                except Exception:
                    log.exception("agent sync failed")  # a database hiccup must not stop routing
                finally:
                    # Back to the pool between polls: a long-lived thread must not pin one of
                    # PostgreSQL's pooled connections.
                    connection.close()
                next_poll = now + self.poll_seconds
            deadline = self.engine.next_deadline()
            wait = min(next_poll, deadline if deadline is not None else next_poll) - time.time()
            try:
                kind, payload = self.inbox.get(timeout=max(0.01, wait))
            except queue.Empty:
                self._handle(routing.Tick(time.time()))
                continue
            if kind == "event":
                self._handle(payload)
            elif kind == "queue":
                if payload.name not in self.queues or self.queues[payload.name] != payload:
                    self.queues[payload.name] = payload
                    self.engine.configure_queue(payload)
            elif kind == "position":
                contact_id, reply = payload
                pos = self.engine.position(contact_id)
                snap = self.engine.contact(contact_id)
                stats = self.engine.queue_stats(snap.queue) if snap is not None else []
                expected = 0.0
                if stats and pos:
                    expected = float(getattr(stats[0], "expected_wait", 0.0) or 0.0)
                reply.put((pos, expected))

    def _handle(self, event: Any) -> None:
        try:
            decisions = self.engine.handle(event)
        except routing.RoutingError as exc:
            # A stale report (an agent already on break, a contact already gone) is not fatal.
            log.info("routing ignored %r: %s", event, exc)
            decisions = list(getattr(exc, "decisions", None) or [])
        if not isinstance(event, routing.Tick) or decisions:
            log.debug("routing %r -> %r", event, decisions)
        for decision in decisions:
            contact_id = getattr(decision, "contact_id", None)
            if contact_id is not None:
                self.deliver(contact_id, decision)

    def _sync_agents(self, now: float) -> None:
        from tawasul.voice.models import VoiceEndpoint

        close_old_connections()
        # One query of plain tuples, once a second: phones, languages, extra skills and the
        # desk state together. Nothing changed (the usual case) costs only this read.
        rows = tuple(
            VoiceEndpoint.objects.filter(active=True, user__is_active=True)
            .order_by("user_id")
            .values_list("user_id", "user__languages", "skills", "user__desk_state__state")
        )
        if rows == self._agent_rows:
            return
        self._agent_rows = rows
        seen: set[int] = set()
        for user_id, languages, extra, desk_state in rows:
            seen.add(user_id)
            skills = {f"lang:{code}": 1 for code in (languages or [])}
            skills.update({k: int(v) for k, v in (extra or {}).items()})
            state = desk_state or "logged_out"
            before = self.agents.get(user_id)
            if before is not None and before.state == state and before.skills == skills:
                continue
            # Known = logged in to the engine. An agent first seen on a contact, in wrap-up or
            # on a break (the gateway started mid-shift) is logged in when it is available.
            known = before is not None and before.in_engine
            seen_now = self.agents[user_id] = _AgentSeen(state, skills, in_engine=known)
            if before is not None and before.skills != skills and known:
                self._handle(routing.AgentSkillsChanged(now, user_id, skills))
            if state == "available":
                event = routing.AgentReady(now, user_id) if known else None
                if event is None:
                    self._handle(routing.AgentLoggedIn(now, user_id, skills))
                else:
                    self._handle(event)
                seen_now.in_engine = True
            elif state == "on_break" and known:
                self._handle(routing.AgentBreak(now, user_id, "desk"))
            elif state == "logged_out" and known:
                self._handle(routing.AgentLoggedOut(now, user_id))
                seen_now.in_engine = False
            # on_contact / wrap_up follow the contact: the gateway already reported them.
        for agent_id in set(self.agents) - seen:
            if self.agents.pop(agent_id).in_engine:
                self._handle(routing.AgentLoggedOut(now, agent_id))


# --------------------------------------------------------------------------------------------
# The gateway


class Gateway:
    """Starts the SIP front and the media workers, accepts their links, runs calls."""

    def __init__(
        self,
        *,
        sip_port: int | Literal["leased"] | None = None,
        workers: int | None = None,
        slots: int | None = None,
        data_dir: Path | None = None,
        ring_timeout: float | None = None,
        announce_every: float | None = None,
        router_poll: float = 1.0,
        media_timeout: float | None = None,
        front_policy: FrontPolicy | None = None,
    ) -> None:
        # "leased": the front's port comes from this gateway's port lease (tests, benches: a
        # port no other gateway on the machine can be given); 0 is set once the lease is made.
        self.lease_sip_port = sip_port == "leased"
        if isinstance(sip_port, int) and sip_port:
            self.sip_port = sip_port
        elif self.lease_sip_port:
            self.sip_port = 0
        else:
            self.sip_port = conf.SIP_PORT or (5060 if port_is_free(5060) else 5070)
        self.n_workers = workers if workers is not None else conf.WORKERS
        self.slots = slots or conf.WORKER_SLOTS
        self.data_dir = Path(data_dir) if data_dir else conf.data_dir()
        self.ring_timeout = ring_timeout if ring_timeout is not None else conf.RING_TIMEOUT
        self.announce_every = announce_every if announce_every is not None else conf.ANNOUNCE_EVERY
        # Read at each answer, so a test (or an operator) may change it on a running gateway.
        self.media_timeout = float(conf.MEDIA_TIMEOUT if media_timeout is None else media_timeout)
        self.port_lease: PortLease | None = None
        self.links: dict[str, Sender] = {}
        self.sessions: dict[str, CallSession] = {}
        self.leg_owner: dict[str, CallSession] = {}
        self.lock = threading.Lock()
        self.router = Router(self._deliver, poll_seconds=router_poll)
        self.procs: dict[str, subprocess.Popen] = {}
        self.worker_ports: dict[str, tuple[int, int]] = {}
        self.stopping = threading.Event()
        self.ready = threading.Event()
        self.front: Front | None = None
        # Who the SIP front trusts (TAWASUL_VOICE_TRUSTED_PEERS and the flood limits).
        self.front_policy = (
            front_policy if front_policy is not None else FrontPolicy.from_settings()
        )
        self.dialler: Any = None  # tawasul.voice.callbacks.CallbackDialler, made in start()
        self.holds: Any = None  # tawasul.voice.holds.HoldWatch: calls the agents put on hold
        self.control: socket.socket | None = None

    # -- lifecycle --------------------------------------------------------------------------

    def start(self) -> None:
        # Ports first: a gateway that cannot have its ports must say so before it starts
        # anything, naming them, rather than start workers that fail to bind.
        self.worker_ports = self._choose_ports()
        if not port_is_free(self.sip_port):
            if self.port_lease is not None:
                self.port_lease.release()
            raise PortsUnavailable(
                f"voice gateway: SIP port {self.sip_port} on 127.0.0.1 is in use (another "
                "gateway or SIP server?); choose another with --sip-port or TAWASUL_VOICE_SIP_PORT"
            )
        private_dirs(self.data_dir)
        self.control = socket.socket()
        self.control.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.control.bind(("127.0.0.1", 0))
        self.control.listen(64)
        threading.Thread(target=self._accept, daemon=True, name="voice-accept").start()
        for name in self.worker_ports:
            self._spawn(name)
        self.front = Front(
            sip_port=self.sip_port,
            workers=[port for port, _rtp in self.worker_ports.values()],
            data_dir=self.data_dir / "front",
            policy=self.front_policy,
        )
        # Agents' HA1s: owner-only even when this process was not started with Tawasul's umask.
        for private in (self.front.dir, *self.front.dir.glob("subscribers.sqlite*")):
            private.chmod(PRIVATE_DIR if private.is_dir() else PRIVATE_FILE)
        self.front.sync_subscribers()
        self.front.start()
        self.router.start()
        from tawasul.voice.callbacks import CallbackDialler  # imports ivr, which imports us
        from tawasul.voice.holds import HoldWatch

        self.dialler = CallbackDialler(self)
        self.dialler.start()
        self.holds = HoldWatch()
        self.holds.start()
        threading.Thread(target=self._supervise, daemon=True, name="voice-supervise").start()
        # A worker takes about a tenth of a second of CPU to start; 150 of them on a busy
        # machine need more than the 30 s that two do.
        deadline = time.monotonic() + 30 + self.n_workers / 2
        while len(self.links) < self.n_workers and time.monotonic() < deadline:
            time.sleep(0.05)
        if len(self.links) < self.n_workers:
            raise RuntimeError("media workers did not connect")
        self.front.wait_ready()
        self.ready.set()
        log.info(
            "voice gateway: SIP on 127.0.0.1:%s, %s media workers x %s callers",
            self.sip_port,
            self.n_workers,
            self.slots,
        )

    def _choose_ports(self) -> dict[str, tuple[int, int]]:
        """(SIP port, first RTP port) of each worker, from blocks leased for this gateway
        alone (tawasul/voice/ports.py); one more block gives the front its port if asked."""
        wanted = self.n_workers + (1 if self.lease_sip_port else 0)
        self.port_lease = ports.lease_blocks(wanted, first=conf.RTP_BASE, last=conf.PORTS_LAST)
        blocks = list(self.port_lease.blocks)
        if self.lease_sip_port:
            self.sip_port = blocks.pop()
        return {
            f"w{index + 1}": (ports.sip_port(block), ports.rtp_port(block))
            for index, block in enumerate(blocks)
        }

    def _spawn(self, name: str) -> None:
        sip, rtp = self.worker_ports[name]
        assert self.control is not None
        control = self.control.getsockname()
        self.procs[name] = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "tawasul.voice.worker",
                "--name",
                name,
                "--sip-port",
                str(sip),
                "--rtp-port",
                str(rtp),
                "--control",
                f"{control[0]}:{control[1]}",
                "--slots",
                str(self.slots),
                "--front",
                f"127.0.0.1:{self.sip_port}",
            ],
            cwd=str(Path(__file__).resolve().parents[2]),
        )

    def _supervise(self) -> None:
        last_sync = 0.0
        while not self.stopping.wait(1.0):
            for name, proc in list(self.procs.items()):
                if proc.poll() is not None and not self.stopping.is_set():
                    log.warning("media worker %s exited (%s); restarting", name, proc.returncode)
                    self.links.pop(name, None)
                    self._spawn(name)
            if self.front is not None:
                self._read_security_events()
            if self.front is not None and time.monotonic() - last_sync > 2:
                try:
                    self.front.sync_subscribers()
                except Exception:
                    log.exception("syncing agents' SIP credentials failed")
                finally:
                    connection.close()
                last_sync = time.monotonic()

    def _read_security_events(self) -> None:
        """What the front refused in the last second: logged, and failed registrations and
        blocked sources written to the audit log (services.sip_security_record)."""
        assert self.front is not None
        events: list[SecurityEvent] = self.front.read_security_events()
        if not events:
            return
        for event in events:
            log.warning(
                "SIP front: %s (%s) from %s:%s %s %s",
                event.kind,
                event.reason,
                event.source,
                event.port,
                event.method,
                event.user,
            )
        try:
            services.sip_security_record(events=events)
        except Exception:
            log.exception("auditing the SIP front's refusals failed")
        finally:
            connection.close()

    @property
    def security_counts(self) -> dict[str, int]:
        """What the SIP front refused since it started, by kind: ``invite_refused`` (not a
        trusted peer), ``register_failed``, ``source_blocked`` (flood or failed sign-ins)."""
        return dict(self.front.counts) if self.front is not None else {}

    def stop(self) -> None:
        self.stopping.set()
        self.router.stopping.set()
        if self.dialler is not None:
            self.dialler.stop()
        if self.holds is not None:
            self.holds.stop()
        for link in self.links.values():
            link.closed = True
            with contextlib.suppress(OSError):
                link.sock.shutdown(socket.SHUT_RDWR)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)
        if self.front is not None:
            self.front.stop()
        if self.control is not None:
            self.control.close()
        if self.port_lease is not None:
            # Only now: a worker still stopping may hold its ports a moment longer.
            self.port_lease.release()

    # -- worker links ----------------------------------------------------------------------

    def _accept(self) -> None:
        assert self.control is not None
        while not self.stopping.is_set():
            try:
                conn, _addr = self.control.accept()
            except OSError:
                return
            threading.Thread(target=self._read, args=(conn,), daemon=True).start()

    def _read(self, conn: socket.socket) -> None:
        name = None
        for message in read_lines(conn):
            if message.get("ev") == "hello":
                name = message["worker"]
                self.links[name] = Sender(conn)
                continue
            if name is not None:
                self._on_event(name, message)
        if name is not None and self.links.get(name) is not None:
            self.links[name].closed = True

    def send(self, worker: str, command: dict[str, Any]) -> None:
        log.debug("%s command %s", worker, command)
        link = self.links.get(worker)
        if link is not None:
            link.send(command)

    def _on_event(self, worker: str, event: dict[str, Any]) -> None:
        log.debug("%s event %s", worker, event)
        key = event.get("call")
        if event["ev"] == "incoming":
            session = CallSession(self, worker, key, event)
            with self.lock:
                self.sessions[key] = session
            threading.Thread(
                target=self._run_call, args=(session,), daemon=True, name=f"call-{key}"
            ).start()
            return
        if event["ev"] == "media" and key in self.sessions:
            self.sessions[key].media_up.set()
        target = self.sessions.get(key) or self.leg_owner.get(key)
        if target is not None:
            if event["ev"] == "media_timeout":
                log.info("%s: no RTP for %s s, hung up", key, event.get("seconds"))
                target.media_timed_out = True
            target.events.put(event)

    def _deliver(self, contact_id: Any, decision: Any) -> None:
        # A call-back (the caller hung up, or it came from the database) is the dialler's.
        if self.dialler is not None and self.dialler.owns(contact_id):
            self.dialler.deliver(contact_id, decision)
            return
        session = self.sessions.get(contact_id)
        if session is not None:
            session.events.put({"ev": "routing", "decision": decision})

    def _run_call(self, session: CallSession) -> None:
        from tawasul.voice.ivr import run_call

        try:
            run_call(self, session)
        except Exception:
            log.exception("call %s failed", session.key)
            session.hangup()
        finally:
            with self.lock:
                self.sessions.pop(session.key, None)
                for leg in session.legs:
                    self.leg_owner.pop(leg, None)
            connection.close()

    def new_leg(self, session: CallSession) -> str:
        leg = f"{session.key}.agent{len(session.legs) + 1}"
        session.legs.add(leg)
        with self.lock:
            self.leg_owner[leg] = session
        return leg

    def agent_uri(self, sip_username: str) -> str:
        return f"sip:{sip_username}@127.0.0.1:{self.sip_port}"

    @staticmethod
    def sox_available() -> bool:
        return shutil.which("sox") is not None
