"""Call-backs are dialled: the gateway's side of a ``CallbackRequest`` (models.py).

A request waits in the routing engine as a call-back contact (``callback=True``, holding no
line) with the caller's original place (``line_since``). When it reaches the head of its line
and a skilled agent is free, the engine offers it like any call; this module then rings the
agent first (their desk pops the resident), and once the agent answers it dials the resident
through the outbound trunk (``TAWASUL_VOICE_OUTBOUND_URI``), bridges and records them. Each
attempt is an outbound Interaction linked from the request; the request moves pending →
dialling → done, or back to pending after the retry delay, or failed when the attempts are
used up. ``services.callback_claim`` is a conditional update, so a request is never dialled
twice at once.

The database is the source of truth: a poller puts pending requests that are due (hotline
open, retry delay over) into the engine, so requests made after hours, before a restart or by
another process are dialled too. Writes are in ``services``; this module only drives calls.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from django.db import close_old_connections, connection
from django.utils import timezone

from tawasul import routing
from tawasul.interactions.models import Interaction, Outcome
from tawasul.voice import conf, desk_adapter, prompts, selectors, services
from tawasul.voice.gateway import CallSession, HungUp
from tawasul.voice.models import CallbackRequest, CallbackStatus

if TYPE_CHECKING:
    from tawasul.voice.gateway import Gateway

log = logging.getLogger("tawasul.voice")


def contact_of(request_id: int) -> str:
    """The engine's contact id of a call-back put in line by the dialler."""
    return f"cb:{request_id}"


class CallbackDialler:
    """Owns the engine contacts that are call-backs and dials them when they are offered."""

    def __init__(self, gateway: Gateway, *, poll_seconds: float = 2.0) -> None:
        self.gateway = gateway
        self.poll_seconds = poll_seconds
        # Read when used, so an operator (or a test) may change them on a running gateway.
        self.outbound_uri: str = conf.OUTBOUND_URI
        self.ring_timeout: float = float(conf.CALLBACK_RING_TIMEOUT)
        self.lock = threading.Lock()
        self.contacts: dict[Any, int] = {}  # engine contact id -> CallbackRequest pk
        self.stopping = threading.Event()
        self.thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def start(self) -> None:
        # One controller per database (docs/voice.md): a request left "dialling" by a gateway
        # that stopped mid-call was not finished, so it is pending again, in its place.
        CallbackRequest.objects.filter(status=CallbackStatus.DIALLING).update(
            status=CallbackStatus.PENDING
        )
        self.thread = threading.Thread(target=self._run, daemon=True, name="voice-callbacks")
        self.thread.start()

    def stop(self) -> None:
        self.stopping.set()

    def _run(self) -> None:
        while not self.stopping.wait(self.poll_seconds):
            try:
                self.poll()
            except Exception:
                log.exception("loading due call-backs failed")
            finally:
                connection.close()

    # -- requests into the engine ----------------------------------------------------------

    def owns(self, contact_id: Any) -> bool:
        with self.lock:
            return contact_id in self.contacts

    def request_callback(
        self,
        *,
        interaction: Interaction,
        reason: str,
        queue: str,
        line_since: datetime,
        requirements: dict[str, int],
        contact_id: str | None = None,
    ) -> CallbackRequest:
        """Record the caller's request and give it its place in line: ``contact_id`` is the
        caller's own engine contact (maximum wait: it stays where it is, as a call-back);
        without it the request joins the line at ``line_since`` (queue full, after hours)."""
        with self.lock:
            request = services.callback_request_create(
                interaction=interaction, reason=reason, queue=queue, line_since=line_since
            )
            if contact_id is not None:
                if self.outbound_uri:
                    self.contacts[contact_id] = request.pk
                else:
                    # No trunk to dial: the request is recorded for staff to call back by
                    # hand, and the engine must not reserve agents for it.
                    self.gateway.router.submit(routing.ContactAbandoned(time.time(), contact_id))
            elif self.outbound_uri and selectors.hotline_is_open(
                hotline=request.hotline, now=timezone.now()
            ):
                self._enqueue(request, requirements)
        return request

    def poll(self) -> None:
        """Put the pending requests that are due into their lines (once each)."""
        if not self.outbound_uri:
            return
        close_old_connections()
        with self.lock:
            due = selectors.callbacks_due(now=timezone.now(), exclude=set(self.contacts.values()))
            for request in due:
                language = request.language
                self._enqueue(request, {f"lang:{language}": 1} if language else {})

    def _enqueue(self, request: CallbackRequest, requirements: dict[str, int]) -> None:
        from tawasul.voice.ivr import queue_config

        node = selectors.queue_node(hotline=request.hotline, queue=request.queue)
        if node is None:
            log.warning("call-back %s: no queue %s in the active flow", request.pk, request.queue)
            return
        contact = contact_of(request.pk)
        self.contacts[contact] = request.pk
        router = self.gateway.router
        router.configure(queue_config(request.hotline, node))
        since = (request.line_since or request.created_at).timestamp()
        router.submit(
            routing.ContactArrived(
                time.time(), contact, request.queue, requirements, since=since, callback=True
            )
        )

    def forget(self, contact: Any) -> None:
        with self.lock:
            self.contacts.pop(contact, None)

    # -- decisions from the engine ---------------------------------------------------------

    def deliver(self, contact_id: Any, decision: Any) -> None:
        """Called from the router thread: an offer starts a dialling thread, the rest (its
        position in line) needs nothing."""
        if not isinstance(decision, routing.Offer):
            return
        with self.lock:
            request_id = self.contacts.get(contact_id)
        if request_id is None:
            return
        threading.Thread(
            target=self._dial_safely,
            args=(contact_id, request_id, decision.agent_id),
            daemon=True,
            name=f"callback-{request_id}",
        ).start()

    def _dial_safely(self, contact: Any, request_id: int, agent_id: int) -> None:
        call = CallbackCall(self, contact, request_id, agent_id)
        try:
            close_old_connections()
            call.run()
        except Exception:
            log.exception("call-back %s failed", request_id)
            # Not left "dialling" until the next restart: pending again, in its place.
            services.callback_unclaim(request=CallbackRequest(pk=request_id))
            if self.owns(contact):
                call._withdraw()
        finally:
            connection.close()

    def workers_by_load(self) -> list[str]:
        """Linked media workers, fewest callers first (a caller with its agent's leg, and a
        call-back with its two legs, each count once)."""
        gateway = self.gateway
        load = {name: 0 for name in gateway.links}
        with gateway.lock:
            holders = {id(s): s for s in [*gateway.sessions.values(), *gateway.leg_owner.values()]}
        for session in holders.values():
            if session.worker in load:
                load[session.worker] += 1
        return sorted(load, key=lambda name: load[name])

    def reserve_worker(self, session: CallSession, timeout: float = 2.0) -> str | None:
        """A worker that holds a caller's place for this call-back (both its legs meet in one
        bridge), or None when every worker is full. The worker decides (``reserve``): only it
        knows of a caller whose INVITE it is admitting at this moment."""
        for name in self.workers_by_load():
            session.worker = name
            session.send("reserve")
            deadline = time.monotonic() + timeout
            while (left := deadline - time.monotonic()) > 0:
                event = session._raw_event(left)
                if event and event.get("ev") == "reserved" and event.get("call") == session.key:
                    if event.get("ok"):
                        return name
                    break
        return None


class CallbackCall:
    """One attempt: ring the agent, dial the resident, bridge, record, write it all down."""

    def __init__(self, dialler: CallbackDialler, contact: Any, request_id: int, agent_id: int):
        self.dialler = dialler
        self.gateway = dialler.gateway
        self.router = dialler.gateway.router
        self.contact = contact
        self.request_id = request_id
        self.agent_id = agent_id
        self.session: CallSession | None = None

    def _engine(self, event_type: Callable[..., Any], **fields: Any) -> None:
        self.router.submit(event_type(time.time(), self.contact, **fields))

    def run(self) -> None:
        request = services.callback_claim(request_id=self.request_id)
        if request is None:
            # Done, cancelled or being dialled elsewhere: withdraw it, the agent is free again.
            self._withdraw()
            return
        number = services.callback_number(request=request)
        if number is None:
            # Not a phone number (an anonymous or SIP-only caller): nothing to dial, ever.
            log.warning("call-back %s: %r is not a number to dial", request.pk, request.phone)
            services.callback_give_up(request=request)
            self._withdraw()
            return
        key = f"cb{request.pk}-{request.attempts + 1}"
        session = self.session = CallSession(self.gateway, "", key, {})
        agent_leg, resident_leg = f"{key}.agent", f"{key}.resident"
        # The key too: the worker's answer to "reserve" names the call-back, not a leg.
        self._own_legs(session, key, agent_leg, resident_leg)
        worker = None
        try:
            worker = self.dialler.reserve_worker(session) if self.dialler.outbound_uri else None
            if worker is None:
                # Every worker full, none linked (restarting), or the trunk was removed: try
                # again later, without putting the offered agent on break for it.
                services.callback_unclaim(request=request)
                self._withdraw()
                return
            self._attempt(request, session, agent_leg, resident_leg, number)
        finally:
            if worker is not None:
                session.send("unreserve")
            with self.gateway.lock:
                for leg in (key, agent_leg, resident_leg):
                    self.gateway.leg_owner.pop(leg, None)

    def _attempt(
        self,
        request: CallbackRequest,
        session: CallSession,
        agent_leg: str,
        resident_leg: str,
        number: str,
    ) -> None:
        interaction = services.callback_attempt_start(request=request)
        endpoint, offer = desk_adapter.offer(
            agent_id=self.agent_id, interaction=interaction, language=request.language
        )
        if endpoint is None or offer is None:
            services.callback_unclaim(request=request)
            self._engine(routing.OfferNotAnswered, reason="busy")
            return
        self._call(request, interaction, offer, endpoint, agent_leg, resident_leg, number)

    def _withdraw(self) -> None:
        """Take the contact out of the engine (the offered agent is released, not put on
        break); the poller puts the request back in its place if it is still pending."""
        self._engine(routing.ContactAbandoned)
        self.dialler.forget(self.contact)

    def _own_legs(self, session: CallSession, *legs: str) -> None:
        with self.gateway.lock:
            for leg in legs:
                session.legs.add(leg)
                self.gateway.leg_owner[leg] = session

    def _call(
        self,
        request: CallbackRequest,
        interaction: Interaction,
        offer: Any,
        endpoint: Any,
        agent_leg: str,
        resident_leg: str,
        number: str,
    ) -> None:
        from tawasul.voice.ivr import (
            connect,
            mix_recording,
            recording_parts,
            system_text,
            wait_leg,
        )

        session = self.session
        assert session is not None
        session.send(
            "dial", call=agent_leg, leg=agent_leg, uri=self.gateway.agent_uri(endpoint.sip_username)
        )
        if not wait_leg(session, agent_leg, timeout=self.gateway.ring_timeout):
            # Ring-no-answer: as for a caller, the agent goes on break and the call-back goes
            # back to the head of its line; the resident was not dialled, so no attempt counts.
            session.send("hangup", call=agent_leg)
            desk_adapter.no_answer(offer=offer)
            services.callback_unclaim(request=request)
            self._engine(routing.OfferNotAnswered)
            return
        desk_adapter.accept(offer=offer)
        self._engine(routing.ContactAnswered)
        hotline = request.hotline.number
        language = request.language or "en"
        text, lang = system_text("callback_agent", language, hotline=hotline)
        session.send("play", call=agent_leg, files=[str(prompts.synthesize(text, lang))], id=1)
        uri = self.dialler.outbound_uri.format(number=quote(number, safe="+"))
        # The resident is the caller of this call: a phone that goes silent is hung up.
        timeout = self.gateway.media_timeout
        session.send("dial", call=resident_leg, leg=resident_leg, uri=uri, media_timeout=timeout)
        path = [*interaction.ivr_path, f"agent:{endpoint.sip_username}"]
        parts = recording_parts(self.gateway, interaction)
        if not parts:
            path.append(selectors.NOT_RECORDED_NO_CONSENT)
        released: set[str] = set()
        reached = False
        try:
            reached = wait_leg(
                session, resident_leg, timeout=self.dialler.ring_timeout, also=agent_leg
            )
            path.append("resident:answered" if reached else "resident:no_answer")
            services.call_progress(interaction=interaction, ivr_path=path)
            if reached:
                text, lang = system_text("callback_intro", language, hotline=hotline)
                self._say(resident_leg, text, lang)
                connect(
                    session,
                    caller=resident_leg,
                    agent=agent_leg,
                    interaction=interaction,
                    record=parts,
                    released=released,
                )
            else:
                text, lang = system_text("callback_unreached", language)
                self._say(agent_leg, text, lang)
        except HungUp:
            pass
        finally:
            if session.media_timed_out:
                path.append("media-timeout")
                services.call_progress(interaction=interaction, ivr_path=path)
            session.send("hangup", call=resident_leg)
            session.send("hangup", call=agent_leg)
            desk_adapter.end(offer=offer, now=timezone.now())
            self._engine(routing.ContactEnded)
            self.dialler.forget(self.contact)
            if not reached:
                services.call_finished(interaction=interaction, outcome=Outcome.CALLBACK_REQUESTED)
            services.callback_attempt_finished(request=request, reached=reached)
            if reached:
                from tawasul.voice.ivr import wait_released

                wait_released(session, {resident_leg, agent_leg}, released)
                recording = mix_recording(parts, self.gateway.data_dir)
                if recording:
                    services.call_progress(interaction=interaction, recording=recording)

    def _say(self, leg: str, text: str, lang: str, timeout: float = 20) -> None:
        """Play a prompt on one leg and wait for its end (or the leg's)."""
        session = self.session
        assert session is not None
        session.send("play", call=leg, files=[str(prompts.synthesize(text, lang))], id=leg)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = session.next_event(max(0.05, deadline - time.monotonic()))
            if event is None:
                continue
            if event.get("ev") == "played" and event.get("id") == leg:
                return
            if event.get("ev") == "leg_ended" and event.get("call") in session.legs:
                raise HungUp
