"""What a simulated resident presses, read from the demo hotlines' IVR flows, and the sipp
scenario that presses it (pure: no SIP, no database)."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ET

import pytest

from tawasul.sim import sip
from tawasul.voice.demo import demo_flows

LANGUAGES = ["ar", "en", "ur", "hi", "ml"]


def _plan(number: str, language: str, *, is_open: bool = True, self_service: float = 0.0):
    return sip.plan_call(
        flow=demo_flows()[number],
        languages=LANGUAGES,
        language=language,
        is_open=is_open,
        rng=random.Random(1),
        self_service=self_service,
    )


@pytest.mark.parametrize(("language", "digit"), [("ar", "1"), ("en", "2"), ("ml", "5")])
def test_the_language_key_is_its_place_in_the_hotline_list(language, digit):
    plan = _plan("109", language)
    assert [k.digit for k in plan.keys] == [digit, "0"]  # then "to speak to an agent, press 0"
    assert plan.wants_agent


def test_a_language_the_hotline_does_not_offer_takes_the_first():
    assert _plan("109", "tl").keys[0].digit == "1"


def test_a_self_service_caller_listens_to_the_recorded_procedure_and_hangs_up():
    plan = _plan("107", "en", self_service=1.0)
    assert [k.digit for k in plan.keys] == ["2", "1"]  # "to hear how to book … press 1"
    assert not plan.wants_agent and plan.listen_s > 0


def test_16000_callers_pick_one_of_the_two_queues():
    digits = {
        sip.plan_call(
            flow=demo_flows()["16000"],
            languages=LANGUAGES,
            language="ar",
            is_open=True,
            rng=random.Random(seed),
        )
        .keys[1]
        .digit
        for seed in range(20)
    }
    assert digits == {"1", "2"}  # report a suspected case (queue "reports"), travel (agent)


def test_after_hours_the_caller_asks_for_a_call_back():
    plan = _plan("1111", "ar", is_open=False)
    assert [k.digit for k in plan.keys] == ["1"] and not plan.wants_agent


def test_keys_wait_long_enough_to_hear_the_prompt_start_but_not_time_out():
    for seed in range(30):
        plan = sip.plan_call(
            flow=demo_flows()["109"],
            languages=LANGUAGES,
            language="en",
            is_open=True,
            rng=random.Random(seed),
        )
        assert all(2000 <= k.wait_ms < 5000 for k in plan.keys)  # menus time out at 5 s


def test_the_residents_scenario_is_valid_sipp_xml_with_one_pcap_per_key_and_slot(tmp_path):
    pcaps = sip.key_pcaps(tmp_path)
    text = sip.residents_scenario(gateway="127.0.0.1:5070", pcaps=pcaps)
    root = ET.fromstring(text.replace('<!DOCTYPE scenario SYSTEM "sipp.dtd">', "").encode())
    labels = {e.get("id") for e in root.iter("label")}
    jumps = {e.get("next") for e in root.iter() if e.get("next")}
    assert jumps <= labels, jumps - labels  # every jump lands on a label
    played = {e.get("play_pcap_audio") for e in root.iter("exec") if e.get("command") is None}
    assert played == {str(p) for slot in pcaps for p in slot.values()}
    assert len(played) == sip.KEY_SLOTS * len(sip.KEYS)
    assert "INVITE sip:[$hotline]@127.0.0.1:5070" in text


def test_dtmf_pcap_holds_eleven_rtp_event_packets_per_digit(tmp_path):
    data = sip.write_dtmf_pcap(tmp_path / "d.pcap", "12#").read_bytes()
    assert data[:4] == b"\xd4\xc3\xb2\xa1"  # little-endian pcap magic
    # 24-byte header, then per packet a 16-byte record header and a 58-byte frame
    # (14 Ethernet + 20 IPv4 + 8 UDP + 12 RTP + 4 telephone-event).
    assert len(data) == 24 + 3 * 11 * (16 + 58)
