"""The README's walkthrough with a real softphone: baresip is the agent's phone (registered to
the gateway with digest authentication, as in docs/voice.md §5) and answers a caller (sipp)
who picked English and asked for an agent; the call is bridged and recorded both ways."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import pytest

from tawasul.interactions.models import Interaction
from tests.voice.sip import Caller, channel_rms, free_udp_port, stop_process, tone

pytestmark = [pytest.mark.timeout(120)]

# No sound card on a server: the "aubridge" device loops what the phone hears back to the
# gateway (an echoing handset), so the recording proves audio flowed both ways.
CONFIG = """\
poll_method epoll
sip_listen 127.0.0.1:{port}
call_local_timeout 120
audio_player aubridge,phone
audio_source aubridge,phone
audio_alert aubridge,alert
module_path /usr/lib/baresip/modules
module g711.so
module aubridge.so
module_tmp uuid.so
module_tmp account.so
module_app menu.so
"""


class Baresip:
    """baresip in its own config directory; ``output()`` is what it printed so far."""

    def __init__(self, home: Path, account: str) -> None:
        home.mkdir(parents=True, exist_ok=True)
        (home / "config").write_text(CONFIG.format(port=free_udp_port()))
        (home / "accounts").write_text(account + "\n")
        self.log = home / "baresip.log"
        self.proc = subprocess.Popen(
            ["baresip", "-f", str(home)],
            stdin=subprocess.DEVNULL,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def wait_for(self, text: str, timeout: float = 15) -> None:
        deadline = time.monotonic() + timeout
        while text not in self.output():
            assert self.proc.poll() is None, self.output()[-2000:]
            assert time.monotonic() < deadline, (
                f"no {text!r} from baresip:\n{self.output()[-2000:]}"
            )
            time.sleep(0.1)

    def stop(self) -> None:
        stop_process(self.proc)


def test_baresip_agent_phone_answers_a_caller(gateway, line, people, tmp_path):
    from tawasul.desk.models import ContactOffer
    from tawasul.desk.services import agent_set_state
    from tawasul.voice import services

    agent = people["agent"]
    agent.languages = ["en"]
    agent.save()
    services.voice_endpoint_set(user=agent, sip_username="agent-fatima", password="tawasul-demo")
    time.sleep(2.5)  # the front copies agents' credentials every 2 s
    account = f"<sip:agent-fatima@127.0.0.1:{gateway.sip_port}>;auth_pass=tawasul-demo"
    wrong = Baresip(tmp_path / "wrong", account.replace("tawasul-demo", "not-the-password"))
    phone = Baresip(tmp_path / "phone", account + ";answermode=auto")
    try:
        phone.wait_for("200 OK")  # registered: the front challenged it and accepted its digest
        wrong.wait_for("401 Unauthorized")
        assert "200 OK" not in wrong.output()
        wrong.stop()
        agent_set_state(agent=agent, state="available")
        voice = tone(tmp_path / "voice.wav", 440)
        caller = Caller(tmp_path).audio(voice).pause(300).dtmf("2").dtmf("0").pause(8000).bye()
        sipp = caller.start(gateway.sip_port, "109")
        assert sipp.wait() == 0, sipp.errors_text()
        phone.wait_for("terminated")
    finally:
        wrong.stop()
        phone.stop()
    call = Interaction.objects.get()
    assert call.agent == agent and ContactOffer.objects.get(interaction=call).agent == agent
    assert call.ivr_path == [
        "welcome",
        "language:en",
        "main:0",
        "queue:general",
        "agent:agent-fatima",
    ]
    assert "Call established" in phone.output()
    deadline = time.monotonic() + 15
    while not call.recording and time.monotonic() < deadline:
        time.sleep(0.2)
        call.refresh_from_db()
    left, right = channel_rms(gateway.data_dir.parent / call.recording)
    assert left > 0.01 and right > 0.01  # the caller's tone, and baresip's echo of it
