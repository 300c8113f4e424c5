"""A caller whose phone vanishes without a BYE (battery dead, network gone) is hung up once no
RTP has come from it for the media timeout; a caller who never sent RTP at all is not."""

from __future__ import annotations

import time

import pytest

from tawasul.interactions.models import Interaction, Outcome
from tests.voice.sip import Caller, tone

pytestmark = [pytest.mark.timeout(120)]


def _finished(number: str, *, answered: bool = False, timeout: float = 20) -> Interaction:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Interaction.objects.filter(address__contains=number, ended_at__isnull=False).first()
        if row is not None and (row.outcome != Outcome.PENDING or (answered and row.answered_at)):
            return row
        time.sleep(0.1)
    rows = [(i.address, i.ivr_path, i.outcome, i.ended_at) for i in Interaction.objects.all()]
    raise AssertionError(f"no finished call from {number}: {rows}")


def test_a_caller_gone_silent_in_the_queue_is_hung_up_and_abandoned(gateway, line, tmp_path):
    gateway.media_timeout = 3
    voice = tone(tmp_path / "voice.wav", 440, seconds=1)
    # Speaks for a second, keys 2 and 0 (English, an agent; nobody is logged in), then the
    # phone dies: no more RTP, and no BYE. The gateway must hang up.
    vanishing = Caller(tmp_path, "vanishing").audio(voice, loops=1).pause(300)
    vanishing.dtmf("2").dtmf("0").wait_bye(20000)
    # Keys by SIP INFO and not one RTP packet (muted from the start, or one-way audio behind
    # a NAT): still a person on the line, kept for longer than the timeout.
    silent = Caller(tmp_path, "silent").pause(300).info("2").info("0").pause(7000).bye()
    gone = vanishing.start(gateway.sip_port, "109", caller_id="+97455000001")
    muted = silent.start(gateway.sip_port, "109", caller_id="+97455000002")
    assert gone.wait() == 0, gone.errors_text()  # the gateway's BYE came
    assert muted.wait() == 0, muted.errors_text()  # no BYE from the gateway during 7 s

    call = _finished("97455000001")
    assert call.ivr_path == ["welcome", "language:en", "main:0", "queue:general", "media-timeout"]
    assert call.outcome == Outcome.ABANDONED and call.answered_at is None
    other = _finished("97455000002")
    assert other.ivr_path == ["welcome", "language:en", "main:0", "queue:general"]
    assert other.outcome == Outcome.ABANDONED


def test_a_caller_gone_silent_while_talking_frees_the_agent_for_wrap_up(
    gateway, line, people, tmp_path
):
    from tawasul.desk.models import AgentState
    from tawasul.desk.services import agent_set_state
    from tests.voice.test_callbacks import registered_phone

    gateway.media_timeout = 4
    agent = people["agent"]
    phone = registered_phone(gateway, tmp_path, agent, "fatima")  # stays on until hung up
    agent_set_state(agent=agent, state="available")
    # The keys are the caller's only RTP: bridged to the agent right after them, then silent.
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").wait_bye(30000)
    sipp = caller.start(gateway.sip_port, "109", caller_id="+97455000003")
    assert sipp.wait() == 0, sipp.errors_text()
    assert phone.wait(20) == 0, phone.errors_text()  # the agent's leg was hung up too

    call = _finished("97455000003", answered=True)
    assert call.ivr_path[-2:] == ["agent:fatima", "media-timeout"]
    assert call.agent == agent and call.answered_at <= call.ended_at
    deadline = time.monotonic() + 10
    while AgentState.objects.get(agent=agent).state != "wrap_up" and time.monotonic() < deadline:
        time.sleep(0.1)
    assert AgentState.objects.get(agent=agent).state == "wrap_up"
