"""Agent hold is real hold: the desk's Hold / Resume parts the two parties, the caller hears
hold audio, and ``hold_seconds`` counts only that (never the time waited in the queue)."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tawasul.core import crypto
from tawasul.interactions.models import Interaction
from tests.support import verified_client
from tests.voice.sip import Caller, channel_rms, tone

pytestmark = [pytest.mark.timeout(150)]


def _answered_call(people, directory):
    """A phone call answered by the agent on the desk (no SIP: the desk's side only)."""
    from tawasul.desk import services

    services.agent_set_state(agent=people["agent"], state="available")
    offer = services.contact_offer_inbound(
        agent=people["agent"], channel="call", phone="+97455123456", full_name="مريم الكواري",
        hotline="107",
    )  # fmt: skip
    services.contact_accept(offer=offer, agent=people["agent"])
    return offer


def test_hold_and_resume_buttons_on_the_desk(db, people, directory):
    from datetime import timedelta

    from django.utils import timezone

    from tawasul.voice.models import CallHold

    offer = _answered_call(people, directory)
    agent = verified_client(people["agent"])
    panel = agent.get("/desk/contact/").content.decode()
    assert f"/desk/contact/{offer.pk}/hold/" in panel
    held = agent.post(f"/desk/contact/{offer.pk}/hold/")
    assert held.status_code == 200 and 'data-testid="on-hold"' in held.content.decode()
    assert f"/desk/contact/{offer.pk}/resume/" in held.content.decode()
    assert agent.post(f"/desk/contact/{offer.pk}/hold/").status_code == 200  # still one hold
    assert CallHold.objects.filter(interaction=offer.interaction).count() == 1
    CallHold.objects.update(started_at=timezone.now() - timedelta(seconds=42))
    resumed = agent.post(f"/desk/contact/{offer.pk}/resume/")
    assert resumed.status_code == 200 and 'data-testid="on-hold"' not in resumed.content.decode()
    call = Interaction.objects.get(pk=offer.interaction_id)
    assert call.hold_seconds == 42
    # Someone else's contact cannot be held; a GET changes nothing.
    other = verified_client(people["agent2"])
    assert other.post(f"/desk/contact/{offer.pk}/hold/").status_code == 404
    assert agent.get(f"/desk/contact/{offer.pk}/hold/").status_code == 405


def test_only_calls_are_held_and_only_while_connected(db, people, directory):
    from tawasul.desk import services
    from tawasul.errors import Conflict, DomainError

    services.agent_set_state(agent=people["agent"], state="available")
    mail = services.contact_offer_inbound(
        agent=people["agent"], channel="email", email="maryam@example.qa", hotline="107"
    )
    services.contact_accept(offer=mail, agent=people["agent"])
    with pytest.raises(DomainError) as refused:
        services.contact_hold(offer=mail, agent=people["agent"])
    assert refused.value.field == "offer"
    services.contact_end(offer=mail, agent=people["agent"])
    services.wrapup_end(agent=people["agent"])
    call = _answered_call(people, directory)
    services.contact_end(offer=call, agent=people["agent"])
    with pytest.raises(Conflict):
        services.contact_hold(offer=call, agent=people["agent"])  # ended: not on contact


def _rms_between(path: Path, channel: int, start: float, length: float) -> float:
    window = ["trim", f"{start:.2f}", f"{length:.2f}"]
    result = subprocess.run(
        ["sox", str(path), "-n", "remix", str(channel), *window, "stat"],
        capture_output=True,
        text=True,
        check=True,
    )
    line = next(x for x in result.stderr.splitlines() if x.startswith("RMS     amplitude"))
    return float(line.split(":")[1])


def test_agent_hold_parts_the_call_and_counts_only_hold(gateway, line, people, tmp_path):
    from tawasul.desk import services as desk
    from tawasul.desk.models import ContactOffer
    from tawasul.voice import services
    from tawasul.voice.models import CallHold
    from tests.voice.sip import agent_phone, free_udp_port, register_agent

    sent: list[dict] = []
    real_send = gateway.send

    def watch(worker: str, command: dict) -> None:  # the real commands, observed on the way
        sent.append(command)
        real_send(worker, command)

    gateway.send = watch
    agent = people["agent"]
    agent.languages = ["en"]
    agent.save()
    services.voice_endpoint_set(user=agent, sip_username="fatima", password="phone-secret")
    port = free_udp_port()
    phone = agent_phone(tmp_path, port, talk_ms=12000)
    code, deadline = 1, time.monotonic() + 10
    while code != 0 and time.monotonic() < deadline:
        code = register_agent(tmp_path, gateway.sip_port, "fatima", "phone-secret", port)
    assert code == 0
    caller = Caller(tmp_path).audio(tone(tmp_path / "voice.wav", 440)).pause(300)
    sipp = caller.dtmf("2").dtmf("0").wait_bye(60000).start(gateway.sip_port, "109")
    deadline = time.monotonic() + 20
    while not Interaction.objects.filter(queue="109:general").exists():
        assert time.monotonic() < deadline, "the caller never reached the queue"
        time.sleep(0.1)
    time.sleep(5)  # the caller waits in line: that is wait time, not hold
    desk.agent_set_state(agent=agent, state="available")
    deadline = time.monotonic() + 20
    while not ContactOffer.objects.filter(agent=agent, status="accepted").exists():
        assert time.monotonic() < deadline, "the agent never answered"
        time.sleep(0.1)
    offer = ContactOffer.objects.get(agent=agent, status="accepted")
    time.sleep(1.5)
    desk.contact_hold(offer=offer, agent=agent)
    time.sleep(4)
    desk.contact_hold(offer=offer, agent=agent, hold=False)
    assert sipp.wait() == 0, sipp.errors_text()
    assert phone.wait(20) == 0, phone.errors_text()
    call = Interaction.objects.get(pk=offer.interaction_id)
    hold = CallHold.objects.get(interaction=call)
    held_for = (hold.ended_at - hold.started_at).total_seconds()
    # The 5 s in line are wait (answered − offered), not hold: hold_seconds is the agent's
    # 4 s hold alone.
    assert call.wait_seconds >= 5
    assert call.hold_seconds == round(held_for) and 3 <= call.hold_seconds <= 5
    # The gateway parted the legs, played hold audio to the caller, then bridged them again.
    at = next(i for i, c in enumerate(sent) if c["cmd"] == "unbridge")
    caller_leg = sent[at]["call"]
    after = sent[at + 1 :]
    hold_play = next(c for c in after if c["cmd"] == "play")
    assert hold_play["call"] == caller_leg and hold_play["loop"] is True
    assert hold_play["files"][-1].endswith("hold.wav")
    assert any(c["cmd"] == "bridge" and c["call"] == caller_leg for c in after)
    # The recording: the agent's phone echoes what it hears, so its channel is silent while the
    # caller is on hold (the agent hears nothing) and has sound again after resume. The gateway
    # follows the desk within about a second (HoldWatch), hence the margins.
    deadline = time.monotonic() + 15
    while not call.recording and time.monotonic() < deadline:
        time.sleep(0.2)
        call.refresh_from_db()
    path = gateway.data_dir.parent / call.recording
    plain = crypto.decrypt_to(path, tmp_path / "call.wav")  # stored encrypted
    start = (hold.started_at - call.answered_at).total_seconds()
    assert _rms_between(plain, 2, start + 2.2, held_for - 2.4) < 0.002
    assert _rms_between(plain, 2, start + held_for + 2.5, 1.0) > 0.01
    assert min(channel_rms(path)) > 0.005
