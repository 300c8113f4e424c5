"""Runs a hotline's IVR flow for one call (one thread per call, see gateway.py).

The flow is data (``tawasul.voice.flows``); this module gives each node type its behaviour:
prompts in the caller's language (recorded if an administrator uploaded one, else synthesized),
DTMF menus with timeouts, retries and an invalid-input path, case-status look-up, service
procedures, after-hours and holiday call-back requests, and the queue: position and expected
wait announcements, hold audio, the agent's phone ringing, the bridge and the recording.
"""

from __future__ import annotations

import logging
import math
import os
import subprocess
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import close_old_connections
from django.utils import timezone

from tawasul import routing
from tawasul.core import crypto
from tawasul.core.crypto import private_dirs
from tawasul.interactions.models import Outcome
from tawasul.residents import texts
from tawasul.voice import desk_adapter, prompts, selectors, services
from tawasul.voice.gateway import CallSession, HungUp

if TYPE_CHECKING:
    from tawasul.directory.models import Hotline
    from tawasul.interactions.models import Interaction
    from tawasul.voice.gateway import Gateway

log = logging.getLogger("tawasul.voice")

# What the gateway says to the agent when it dials a call-back (staff, not residents: the
# center's own languages). Everything a caller hears is in tawasul.residents.texts.
AGENT_NOTICES = {
    "callback_agent": {
        "en": "Call-back from hotline {hotline}. Calling the resident now, please wait.",
        "ar": "معاودة اتصال من الخط {hotline}. جار الاتصال بالمراجع، يرجى الانتظار.",
    },
    "callback_unreached": {
        "en": "The resident did not answer. The call-back will be tried again later.",
        "ar": "لم يرد المراجع. ستعاد محاولة الاتصال لاحقاً.",
    },
}


def system_text(
    key: str, language: str, *, fallbacks: Iterable[str] = (), **values: Any
) -> tuple[str, str]:
    """(text, language) the gateway synthesizes for ``key``: a resident text in the caller's
    language (falling back to ``fallbacks``, the hotline's languages, then Arabic, English),
    or an agent notice (Arabic or English)."""
    if key in AGENT_NOTICES:
        notices = AGENT_NOTICES[key]
        lang = language if language in notices else "en"
        said = {k: texts.spell_digits(str(v)) for k, v in values.items()}
        return notices[lang].format(**said), lang
    return texts.spoken(key, language, fallbacks=fallbacks, **values)


@dataclass
class Ctx:
    gateway: Gateway
    call: CallSession
    hotline: Hotline
    flow: dict[str, Any]
    interaction: Interaction
    languages: list[str]
    language: str
    path: list[str] = field(default_factory=list)
    closed_reason: str = ""
    outcome: str | None = None
    queued: bool = False
    in_line: bool = False  # the engine holds this call in a line (abandon must be reported)
    answered: bool = False

    def say_files(self, node: str, say: dict[str, str] | None) -> list[Path]:
        """The node's prompt in the caller's language: recording, else synthesized text."""
        recorded = selectors.recorded_prompt(
            hotline=self.hotline, node=node, language=self.language
        )
        if recorded:
            return [prompts.recorded(recorded)]
        if not say:
            return []
        lang = self.language if self.language in say else ("en" if "en" in say else next(iter(say)))
        return [prompts.synthesize(say[lang], lang)]

    def system(self, key: str, **values: Any) -> list[Path]:
        text, lang = system_text(key, self.language, fallbacks=self.languages, **values)
        return [prompts.synthesize(text, lang)]

    def play(self, files: list[Path], *, interruptible: bool = True) -> None:
        self.call.play([str(f) for f in files], interruptible=interruptible)


def _number(ruri: str) -> str:
    return ruri.split("sip:", 1)[-1].split("@", 1)[0].split(";", 1)[0]


def run_call(gateway: Gateway, call: CallSession) -> None:
    close_old_connections()
    found = selectors.hotline_flow(number=_number(call.info.get("ruri", "")))
    if found is None:
        call.send("reject", code=404)
        return
    hotline, flow_row = found
    flow = flow_row.definition
    interaction = services.call_offered(
        hotline=hotline,
        call_id=call.info.get("call_id") or call.key,
        caller=call.info["from"],
        caller_verified=call.info.get("caller_verified") is True,
    )
    languages = selectors.hotline_languages(hotline=hotline)
    ctx = Ctx(
        gateway=gateway,
        call=call,
        hotline=hotline,
        flow=flow,
        interaction=interaction,
        languages=languages,
        language=languages[0],
    )
    now = timezone.now()
    node_name: str | None = flow["start"]
    if not selectors.hotline_is_open(hotline=hotline, now=now):
        holiday = selectors.hotline_holiday_today(hotline=hotline, now=now)
        ctx.closed_reason = "holiday" if holiday else "after_hours"
        node_name = flow.get("holiday") if holiday and flow.get("holiday") else flow["closed"]
        ctx.path.append(ctx.closed_reason)
        ctx.outcome = Outcome.AFTER_HOURS
    try:
        call.answer()
        steps = 0
        while node_name is not None and steps < 200:
            steps += 1
            node = flow["nodes"][node_name]
            handler = HANDLERS[node["type"]]
            node_name = handler(ctx, node_name, node)
        call.hangup()
    except HungUp:
        pass
    finally:
        _finish(ctx)


def _finish(ctx: Ctx) -> None:
    close_old_connections()
    outcome = ctx.outcome
    if outcome is None and not ctx.answered:
        outcome = Outcome.ABANDONED if ctx.queued else Outcome.INFORMATION_GIVEN
    if _mark_media_timeout(ctx) and not ctx.answered and outcome != Outcome.CALLBACK_REQUESTED:
        # The caller's phone went silent without a BYE: nobody heard the end of the IVR, so
        # the call is abandoned wherever it stood (a call-back already requested stays so).
        outcome = Outcome.ABANDONED
    services.call_progress(interaction=ctx.interaction, ivr_path=ctx.path)
    # hold_seconds is the agent's hold only (desk Hold / Resume, services.call_hold_*); the
    # time in queue is answered − offered and is never written here.
    if ctx.answered:
        # The desk recorded the end (contact_end).
        services.call_finished(interaction=ctx.interaction)
    else:
        services.call_finished(interaction=ctx.interaction, outcome=outcome)


def _mark_media_timeout(ctx: Ctx) -> bool:
    """End the path with "media-timeout" (once) if the gateway hung up on a silent caller."""
    if not ctx.call.media_timed_out:
        return False
    if not ctx.path or ctx.path[-1] != "media-timeout":
        ctx.path.append("media-timeout")
    return True


# --------------------------------------------------------------------------------------------
# Node handlers: each returns the next node's name, or None when the call is over.


def _play(ctx: Ctx, name: str, node: dict) -> str | None:
    ctx.path.append(name)
    ctx.play(ctx.say_files(name, node.get("say")))
    return node["next"]


def _hangup(ctx: Ctx, name: str, node: dict) -> str | None:
    ctx.path.append(name)
    ctx.play(ctx.say_files(name, node.get("say")), interruptible=False)
    return None


def _ask(ctx: Ctx, name: str, node: dict, prompt: list[Path], valid: set[str]) -> str | None:
    """Play, read one key, retry on wrong or no input; None after the retries are used up."""
    retries = int(node.get("retries", 2))
    for attempt in range(retries + 1):
        ctx.play(prompt)  # skipped when the caller typed ahead
        digit = ctx.call.collect(max_digits=1, timeout=float(node["timeout"]), terminator="")
        if digit in valid:
            return digit
        ctx.path.append(f"{name}:{digit or 'timeout'}")
        if attempt < retries:
            ctx.play(ctx.system("invalid" if digit else "no_input"))
    return None


def _menu(ctx: Ctx, name: str, node: dict) -> str | None:
    options = {str(k): v for k, v in node["options"].items()}
    digit = _ask(ctx, name, node, ctx.say_files(name, node.get("say")), set(options))
    if digit is None:
        return node["invalid"]
    ctx.path.append(f"{name}:{digit}")
    return options[digit]


def _language(ctx: Ctx, name: str, node: dict) -> str | None:
    choices = {str(i + 1): code for i, code in enumerate(ctx.languages[:9])}
    files = ctx.say_files(name, node.get("say"))
    for digit, code in choices.items():
        if texts.language_for("lang_choice", code) != code:
            log.warning("no resident texts in %r (tawasul/residents/texts.py)", code)
        text, lang = system_text("lang_choice", code, digit=digit)
        files.append(prompts.synthesize(text, lang))
    digit = _ask(ctx, name, node, files, set(choices))
    if digit is None:
        return node["invalid"]
    ctx.language = choices[digit]
    ctx.path.append(f"{name}:{ctx.language}")
    services.call_progress(interaction=ctx.interaction, language=ctx.language)
    return node["next"]


def _case_status(ctx: Ctx, name: str, node: dict) -> str | None:
    retries = int(node.get("retries", 2))
    for attempt in range(retries + 1):
        ctx.play(ctx.say_files(name, node.get("say")))
        digits = ctx.call.collect(max_digits=24, timeout=float(node["timeout"]), terminator="#")
        found = (
            selectors.case_status_by_digits(
                digits=digits, language=ctx.language, fallbacks=ctx.languages
            )
            if digits
            else None
        )
        if found is not None:
            reference, status = found
            ctx.path.append(f"{name}:{reference}")
            ctx.play(ctx.system("case_status", reference=reference, status=status))
            ctx.outcome = Outcome.INFORMATION_GIVEN
            return node["next"]
        ctx.path.append(f"{name}:{digits or 'timeout'}")
        if attempt < retries:
            ctx.play(ctx.system("case_unknown" if digits else "no_input"))
    return node["invalid"]


def _procedure(ctx: Ctx, name: str, node: dict) -> str | None:
    ctx.path.append(f"{name}:{node['service']}")
    found = selectors.procedure_text(service_code=node["service"], language=ctx.language)
    if found:
        text, lang = found
        ctx.play(ctx.say_files(name, None) or [prompts.synthesize(text, lang)])
        ctx.outcome = Outcome.INFORMATION_GIVEN
    else:
        ctx.play(ctx.system("no_procedure"))
    return node["next"]


def _callback(ctx: Ctx, name: str, node: dict) -> str | None:
    ctx.path.append(name)
    digit = _ask(ctx, name, node, ctx.say_files(name, node.get("say")), {"1"})
    if digit is None:
        return node["invalid"]
    ctx.path.append(f"{name}:1")
    # Served in the flow's first line once the hotline opens, in the order callers asked.
    ctx.gateway.dialler.request_callback(
        interaction=ctx.interaction,
        reason=ctx.closed_reason or "caller",
        queue=selectors.first_queue(hotline=ctx.hotline, definition=ctx.flow),
        line_since=timezone.now(),
        requirements=_requirements(ctx),
    )
    ctx.outcome = Outcome.CALLBACK_REQUESTED
    ctx.play(ctx.system("callback_done"), interruptible=False)
    return None


# --------------------------------------------------------------------------------------------
# The queue: routing, announcements, call-back offers, the agent's phone, the bridge, holds,
# the recording.


def queue_config(hotline: Hotline, node: dict[str, Any]) -> routing.Queue:
    """The engine's line for a flow's queue node (the same object for calls and call-backs, so
    configuring it again from either side changes nothing)."""
    return routing.Queue(
        f"{hotline.number}:{node['queue']}",
        requirements={k: int(v) for k, v in (node.get("skills") or {}).items()},
        priority=int(hotline.priority or 0) + int(node.get("priority", 0)),
        max_size=node.get("max_size"),
        max_wait=node.get("max_wait"),
        wrap_up=None,  # the desk ends wrap-up (AgentReady through the desk state)
    )


def _requirements(ctx: Ctx) -> dict[str, int]:
    return {f"lang:{ctx.language}": 1} if ctx.language else {}


def _queue(ctx: Ctx, name: str, node: dict) -> str | None:
    gateway, call = ctx.gateway, ctx.call
    config = queue_config(ctx.hotline, node)
    qname = config.name
    ctx.path.append(f"queue:{node['queue']}")
    gateway.router.configure(config)
    services.call_progress(interaction=ctx.interaction, queue=qname, ivr_path=ctx.path)
    ctx.outcome = None
    ctx.queued = True
    ctx.in_line = True
    contact = call.key
    entered = timezone.now()
    gateway.router.submit(routing.ContactArrived(time.time(), contact, qname, _requirements(ctx)))
    hold = prompts.hold_audio()
    call.hold(str(hold))
    # "Please hold" only once the engine said the caller waits: a caller refused by a full
    # line, or offered at once to a free agent, must not be told to hold first.
    told_to_hold = False
    next_announce = time.monotonic() + gateway.announce_every
    try:
        while True:
            event = call.next_event(max(0.05, next_announce - time.monotonic()))
            if call.gone:
                raise HungUp
            if event is None:
                position, expected = gateway.router.position(contact)
                if position:
                    _announce(ctx, position, expected)
                    call.hold(str(hold))
                next_announce = time.monotonic() + gateway.announce_every
                continue
            if event.get("ev") != "routing":
                continue
            decision = event["decision"]
            if isinstance(decision, routing.Queued):
                if not told_to_hold:
                    ctx.play(ctx.system("hold"))
                    told_to_hold = True
                _announce(ctx, decision.position, decision.expected_wait)
                call.hold(str(hold))
            elif isinstance(decision, routing.Offer):
                if _offer(ctx, decision.agent_id, qname):
                    return None
                call.hold(str(hold))
            elif isinstance(decision, (routing.Rejected, routing.Closed)):
                # Not in line (the engine refused it): a call-back that takes its place now,
                # or the flow's ``declined`` node (a goodbye by default).
                ctx.in_line = False
                ctx.path.append("queue_full")
                if _offer_callback(ctx, node, qname, "queue_full", entered, contact=None):
                    return None
                if node.get("declined"):
                    return node["declined"]
                ctx.play(ctx.system("sorry_full"), interruptible=False)
                return None
            elif isinstance(decision, routing.CallbackOffered):
                ctx.path.append("max_wait")
                if _offer_callback(ctx, node, qname, "max_wait", entered, contact=contact):
                    return None
                gateway.router.submit(routing.CallbackDeclined(time.time(), contact))
                call.hold(str(hold))
    except HungUp:
        if ctx.in_line and not ctx.answered:
            gateway.router.submit(routing.ContactAbandoned(time.time(), contact))
        raise


def _announce(ctx: Ctx, position: int, expected_wait: float) -> None:
    minutes = max(1, math.ceil((expected_wait or 0) / 60))
    if minutes == 1:
        ctx.play(ctx.system("position_one_minute", position=position))
    else:
        ctx.play(ctx.system("position", position=position, minutes=minutes))


def _offer_callback(
    ctx: Ctx,
    node: dict,
    qname: str,
    reason: str,
    entered: datetime,
    *,
    contact: str | None,
) -> bool:
    """Offer a call-back (queue full or maximum wait). Key 1: the request is recorded and
    keeps the caller's place in line (``entered``); True and the caller is released."""
    ctx.call.collect(max_digits=1, timeout=0.01, terminator="")  # drop stale keys
    ctx.play(ctx.system("queue_full" if contact is None else "callback_offer"))
    timeout = float(node.get("callback_timeout", 5))
    digit = ctx.call.collect(max_digits=1, timeout=timeout, terminator="")
    if digit != "1":
        ctx.path.append(f"callback:{digit or 'timeout'}")
        return False
    if contact is not None:
        # The engine keeps the contact where it is, as a call-back (it no longer holds a line).
        ctx.gateway.router.submit(routing.CallbackAccepted(time.time(), contact))
    ctx.gateway.dialler.request_callback(
        interaction=ctx.interaction,
        reason=reason,
        queue=qname,
        line_since=entered,
        requirements=_requirements(ctx),
        contact_id=contact,
    )
    ctx.in_line = False  # from here the dialler owns the contact; hanging up is not abandoning
    _hand_over_routing(ctx.call, ctx.gateway.dialler.deliver)
    ctx.path.append("callback:1")
    ctx.outcome = Outcome.CALLBACK_REQUESTED
    ctx.play(ctx.system("callback_done"), interruptible=False)
    return True


def _hand_over_routing(call: CallSession, deliver: Any) -> None:
    """Decisions the engine already sent to this call (an offer may be on its way while the
    caller pressed 1) go to the dialler, which owns the contact from now on."""
    while call._raw_event(0, stash=True) is not None:
        pass
    kept = [event for event in call.pending if event.get("ev") != "routing"]
    for event in call.pending:
        if event.get("ev") == "routing":
            deliver(call.key, event["decision"])
    call.pending.clear()
    call.pending.extend(kept)


def _offer(ctx: Ctx, agent_id: int, qname: str) -> bool:
    """Ring the agent's phone (and pop their desk). True when the call was bridged and is over;
    False when the agent did not answer (the contact is back at the head of its line)."""
    gateway, call = ctx.gateway, ctx.call
    close_old_connections()
    services.call_progress(interaction=ctx.interaction, ivr_path=ctx.path)
    endpoint, offer = desk_adapter.offer(
        agent_id=agent_id, interaction=ctx.interaction, language=ctx.language
    )
    if endpoint is None or offer is None:
        gateway.router.submit(routing.OfferNotAnswered(time.time(), call.key, reason="busy"))
        return False
    leg = gateway.new_leg(call)
    call.send("dial", leg=leg, uri=gateway.agent_uri(endpoint.sip_username))
    try:
        answered = wait_leg(call, leg, timeout=gateway.ring_timeout)
    except HungUp:
        call.send("hangup", call=leg)
        desk_adapter.decline(offer=offer)
        raise
    if not answered:
        call.send("hangup", call=leg)
        desk_adapter.no_answer(offer=offer)
        ctx.path.append(f"no_answer:{endpoint.sip_username}")
        gateway.router.submit(routing.OfferNotAnswered(time.time(), call.key))
        return False
    # Answered: both legs bridged and recorded, the desk and the engine told.
    ctx.answered = True
    desk_adapter.accept(offer=offer)
    gateway.router.submit(routing.ContactAnswered(time.time(), call.key))
    ctx.path.append(f"agent:{endpoint.sip_username}")
    parts = recording_parts(gateway, ctx.interaction)
    if not parts:
        ctx.path.append(selectors.NOT_RECORDED_NO_CONSENT)
    # Written now, before the desk can end the contact: readers of an ended call see its path.
    services.call_progress(interaction=ctx.interaction, ivr_path=ctx.path)
    released: set[str] = set()
    try:
        connect(
            call,
            caller=call.key,
            agent=leg,
            interaction=ctx.interaction,
            record=parts,
            released=released,
        )
    finally:
        call.send("hangup", call=leg)
        call.hangup()
        if _mark_media_timeout(ctx):  # before the desk ends it: readers see why it ended
            services.call_progress(interaction=ctx.interaction, ivr_path=ctx.path)
        ended = timezone.now()
        desk_adapter.end(offer=offer, now=ended)
        gateway.router.submit(routing.ContactEnded(time.time(), call.key))
        wait_released(call, {call.key, leg}, released)
        recording = mix_recording(parts, gateway.data_dir)
        if recording:
            services.call_progress(interaction=ctx.interaction, recording=recording)
    return True


def wait_leg(session: CallSession, leg: str, *, timeout: float, also: str | None = None) -> bool:
    """Wait for an outbound leg to be answered: True when it was, False when it ended or rang
    out. ``also``: another leg whose end stops the wait (the agent hanging up while the
    resident's phone rings)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        event = session.next_event(max(0.05, deadline - time.monotonic()))
        if session.gone:
            raise HungUp
        if event is None or event.get("call") not in (leg, also):
            continue
        if event["ev"] == "leg_answered" and event["call"] == leg:
            return True
        if event["ev"] == "leg_ended":
            return False
    return False


def recording_parts(gateway: Gateway, interaction: Interaction) -> list[str]:
    """The caller's and the agent's WAV while the call lasts; none (the call is not recorded)
    when the resident did not consent to recording."""
    if not selectors.recording_consented(resident_id=interaction.resident_id):
        return []
    day = timezone.now().strftime("%Y/%m/%d")
    directory = private_dirs(gateway.data_dir / "recordings" / day)
    base = directory / str(interaction.pk)
    return [f"{base}-caller.wav", f"{base}-agent.wav"]


def connect(
    session: CallSession,
    *,
    caller: str,
    agent: str,
    interaction: Interaction,
    record: list[str],
    released: set[str],
) -> None:
    """Bridge the caller's and the agent's legs (recording each party) until either ends.

    While bridged, the agent's desk Hold / Resume (``services.call_hold_*``) is followed: on
    hold the two legs are parted (neither hears the other) and the caller hears hold audio;
    on resume they are bridged again. The hold state comes from the gateway's ``HoldWatch``
    (one query a second for all calls), so it follows the desk within about a second.
    """
    session.send("bridge", call=caller, leg=agent, record=record)
    holds = session.gateway.holds
    holds.watch(on=True)
    held = False
    try:
        while not session.gone:
            event = session.next_event(0.5)
            if event is not None:
                kind, leg = event.get("ev"), event.get("call")
                if kind == "released":
                    released.add(leg)
                elif kind in ("ended", "leg_ended", "media_timeout") and leg in (caller, agent):
                    return
                continue
            want = holds.is_held(interaction.pk)
            if want and not held:
                session.send("unbridge", call=caller, leg=agent)
                text, lang = system_text("agent_hold", interaction.language or "en")
                files = [str(prompts.synthesize(text, lang)), str(prompts.hold_audio())]
                session.send("play", call=caller, files=files, id=0, loop=True)
            elif held and not want:
                session.send("bridge", call=caller, leg=agent, record=[])  # ends the hold audio
            held = want
    finally:
        holds.watch(on=False)


def wait_released(session: CallSession, legs: set[str], released: set[str]) -> None:
    """Recorders close when their call is released; wait for both before mixing."""
    deadline = time.monotonic() + 5
    while len(released & legs) < len(legs) and time.monotonic() < deadline:
        event = session.next_event(0.2)
        if event and event.get("ev") == "released":
            released.add(event["call"])


def mix_recording(parts: list[str], data_dir: Path) -> str | None:
    """Caller on the left channel, agent on the right, encrypted at once
    (``tawasul.core.crypto``: read it with ``open_decrypted``); the plain parts are removed.

    Returns the encrypted file's path relative to the data directory's parent, or None."""
    if not parts:
        return None
    if not all(os.path.exists(p) and os.path.getsize(p) > 44 for p in parts):
        log.warning("recording parts missing: %s", parts)
        for part in parts:  # a half-written part is personal data too
            if os.path.exists(part):
                crypto.encrypt_file(Path(part))
        return None
    target = Path(parts[0].removesuffix("-caller.wav") + ".wav")
    try:
        subprocess.run(
            ["sox", "-M", parts[0], parts[1], str(target)],
            check=True,
            capture_output=True,
            timeout=120,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
        log.exception("mixing the recording failed; keeping the two parts, encrypted")
        if target.exists():
            target.unlink()
        encrypted = [crypto.encrypt_file(Path(part)) for part in parts]
        return str(encrypted[0].relative_to(data_dir.parent))
    target.chmod(crypto.PRIVATE_FILE)
    encrypted = crypto.encrypt_file(target)
    for part in parts:
        os.unlink(part)
    return str(encrypted.relative_to(data_dir.parent))


HANDLERS = {
    "play": _play,
    "hangup": _hangup,
    "menu": _menu,
    "language": _language,
    "case_status": _case_status,
    "procedure": _procedure,
    "callback": _callback,
    "queue": _queue,
}
