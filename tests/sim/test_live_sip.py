"""The live simulator through the real entry points: SIP calls into the running voice gateway
(Kamailio front, pjsua2 workers, IVR and router threads), a simulated agent's desk phone
registered with digest auth, and an e-mail over SMTP into the inbound listener."""

from __future__ import annotations

import math
import time

import pytest

from tawasul.interactions.models import Interaction, Outcome
from tawasul.sim.live import LIVE_PREFIX, LiveSimulator
from tawasul.sim.traffic import Arrival, HandleTime, TrafficModel

pytestmark = [pytest.mark.timeout(240)]

PASSWORD = "phone-secret"


def _arrival(channel: str, *, patience: float = math.inf, language: str = "en") -> Arrival:
    return Arrival(0.0, "moci", language, channel, 0.0, patience, False, math.inf, "109")


def _run_until(sim: LiveSimulator, done, *, timeout: float, what: str) -> None:
    """Step the simulator on the wall clock (SIP is real time) until ``done()``."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        sim.step()
        if done():
            return
        time.sleep(0.25)
    rows = list(Interaction.objects.values_list("channel", "ivr_path", "outcome", "answered_at"))
    raise AssertionError(f"timed out waiting for {what}: {sim.stats} {rows}")


def test_live_burst_over_sip_and_smtp(gateway, line, people, smtp_listener, tmp_path):
    from tawasul.desk.models import AgentState, ContactOffer
    from tawasul.desk.services import agent_set_state
    from tawasul.voice import services

    fatima, ravi = people["agent"], people["agent2"]
    fatima.languages = ["en"]
    fatima.save()
    # Fatima is on a break when the gateway first sees her phone (as after a restart in the
    # middle of a shift): she must still get calls once the simulator makes her available.
    agent_set_state(agent=fatima, state="on_break", reason="training")
    # Fatima has a desk phone; Ravi (no phone) answers written contacts only.
    services.voice_endpoint_set(user=fatima, sip_username="fatima", password=PASSWORD)
    time.sleep(2.5)  # the front copies agents' credentials every 2 s
    model = TrafficModel.center_109(
        handle_times={"call": HandleTime(80.0, 0.0), "email": HandleTime(20.0, 0.0)}
    )
    sim = LiveSimulator(
        per_minute=0,  # no random traffic: this test places its own contacts
        seed=3,
        max_agents=2,
        gateway=("127.0.0.1", gateway.sip_port),
        smtp=("127.0.0.1", smtp_listener.port),
        sip_password=PASSWORD,
        workdir=tmp_path,
        model=model,
        handle_speedup=4.0,  # calls last 20 s on the agent's phone
        wrap_seconds=2.0,
    )
    try:
        sim.start(wait_for_gateway=10)
        assert sim.voice is not None and set(sim.voice.registered.values()) == {"fatima"}

        # A patient English caller reaches Fatima's phone.
        sim.send_contact(_arrival("call"))
        patient = next(iter(sim.calls))
        _run_until(
            sim,
            lambda: Interaction.objects.filter(external_id=patient, answered_at__isnull=False),
            timeout=60,
            what="the first call to be answered",
        )
        # While she talks, an impatient caller waits in line and hangs up.
        sim.send_contact(_arrival("call", patience=3.0))
        impatient = next(c for c in sim.calls if c != patient)
        # And a resident writes an e-mail, which Ravi answers on the desk.
        sim.send_contact(_arrival("email", language="ar"))
        _run_until(
            sim,
            lambda: not sim.calls and not sim.awaiting and not sim.contacts,
            timeout=120,
            what="both calls and the e-mail to finish",
        )
        _run_until(
            sim,
            lambda: AgentState.objects.get(agent=fatima).state == "available",
            timeout=20,
            what="Fatima's wrap-up to end",
        )
    finally:
        sim.stop()

    assert sim.stats["errors"] == 0, sim.stats
    answered = Interaction.objects.get(external_id=patient)
    assert answered.channel == "call" and answered.hotline == line
    assert answered.ivr_path == [
        "welcome",
        "language:en",
        "main:0",
        "queue:general",
        "agent:fatima",
    ]
    assert answered.queue == "109:general" and answered.language == "en"
    assert answered.agent == fatima
    assert answered.offered_at <= answered.answered_at < answered.ended_at
    assert answered.talk_seconds and answered.talk_seconds >= 15
    assert answered.wrapup_ended_at and answered.wrapup_ended_at >= answered.ended_at
    assert answered.outcome in (Outcome.RESOLVED_FIRST_CONTACT, Outcome.CASE_OPENED)
    offer = ContactOffer.objects.get(interaction=answered)
    assert offer.agent == fatima and offer.language == "en"

    gave_up = Interaction.objects.get(external_id=impatient)
    assert gave_up.outcome == Outcome.ABANDONED, gave_up.ivr_path
    assert gave_up.answered_at is None and gave_up.agent is None
    assert gave_up.ivr_path == ["welcome", "language:en", "main:0", "queue:general"]
    assert gave_up.ended_at and gave_up.wait_seconds is not None

    mail = Interaction.objects.get(channel="email")
    assert mail.external_id.startswith("<simlive.") and mail.external_id.endswith(">")
    assert mail.agent == ravi and mail.answered_at and mail.ended_at
    assert mail.resident is not None and mail.resident.contacts.filter(kind="email")
    # The e-mail came in through the channel, not the services path.
    assert not Interaction.objects.filter(channel="email", external_id__startswith=LIVE_PREFIX)
    assert sim.stats["sip_answered"] == sim.stats["sip_abandoned"] == 1
    assert sim.stats["via_channel"] == 1


def test_calls_beyond_the_gateways_slots_are_refused_and_counted(gateway, line, people, tmp_path):
    """One sipp places all the residents' calls at once; the gateway takes as many as its
    media workers have slots, refuses the next with 486, and nobody answers the others, whose
    residents give up: the simulator counts each outcome and never loses a call."""
    sim = LiveSimulator(
        per_minute=0,
        seed=5,
        max_agents=1,
        gateway=("127.0.0.1", gateway.sip_port),
        workdir=tmp_path,
    )
    capacity = gateway.n_workers * gateway.slots
    try:
        sim.start(wait_for_gateway=10)  # the agent has no phone: nobody answers
        for _ in range(capacity + 1):
            sim.send_contact(_arrival("call", patience=2.0))
        placed = set(sim.calls)
        _run_until(sim, lambda: not sim.calls, timeout=90, what="every call to end")
    finally:
        sim.stop()
    assert sim.stats["errors"] == sim.stats["lost"] == 0, sim.stats
    stored = Interaction.objects.filter(external_id__in=placed)
    paths = list(stored.values_list("ivr_path", "outcome"))
    assert sim.stats["sip_refused"] == 1, (sim.stats, paths)
    assert stored.count() == capacity  # the refused call left no record, as on a full trunk
    # Every call the gateway took is accounted for: given up in line, or (when the gateway,
    # busy with four calls at once, missed a key) ended by the flow's invalid-input path.
    assert sim.stats["sip_abandoned"] + sim.stats["sip_ivr_only"] == capacity, (sim.stats, paths)
    assert not stored.filter(answered_at__isnull=False).exists()
    assert stored.filter(outcome=Outcome.ABANDONED).count() == sim.stats["sip_abandoned"] >= 1


def test_a_resident_who_presses_the_same_key_twice_is_heard_twice(gateway, line, tmp_path):
    """1 for Arabic, then 1 (case status) in the menu: the residents' sipp sends the second
    key from its own file, numbered after the first, not a repeat the gateway would drop."""
    from tawasul.sim.sip import Key, Residents

    residents = Residents(host="127.0.0.1", port=gateway.sip_port, workdir=tmp_path)
    try:
        residents.place(
            call_id="same-key-twice",
            hotline="109",
            caller="+97455123456",
            keys=[Key("1", 1500), Key("1", 1500)],
        )
        deadline = time.monotonic() + 40
        call = None
        while time.monotonic() < deadline:
            call = Interaction.objects.filter(
                external_id="same-key-twice", ended_at__isnull=False
            ).first()
            if call is not None:
                break
            time.sleep(0.2)
    finally:
        residents.stop()
    assert call is not None, list(Interaction.objects.values_list("ivr_path", flat=True))
    assert call.ivr_path == ["welcome", "language:ar", "main:1", "status:timeout", "sorry"]
