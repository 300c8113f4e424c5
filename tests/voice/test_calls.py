"""Calls over real SIP on loopback: sipp callers and agent phones against the gateway
(Kamailio front, two pjsua2 media workers, the IVR and routing threads)."""

from __future__ import annotations

import time

import pytest

from tawasul.interactions.models import Interaction, Outcome
from tests.voice.sip import Caller

pytestmark = [pytest.mark.timeout(120)]


def _interaction(number: str = "109", timeout: float = 15) -> Interaction:
    """The call's interaction once the gateway has finished it (ended_at set)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = Interaction.objects.filter(hotline__number=number, ended_at__isnull=False).first()
        if (row is not None and row.outcome != Outcome.PENDING) or (row and row.answered_at):
            return row
        time.sleep(0.1)
    rows = [(i.ivr_path, i.outcome, i.ended_at) for i in Interaction.objects.all()]
    raise AssertionError(f"no finished call on {number}: {rows}")


def test_wrong_digits_then_timeout_take_the_invalid_path(gateway, line, tmp_path):
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("7").wait_bye(20000)
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, (
        sipp.errors_text(),
        [(i.ivr_path, i.outcome, i.ended_at) for i in Interaction.objects.all()],
    )
    call = _interaction()
    assert call.language == "en"
    assert call.ivr_path == ["welcome", "language:en", "main:7", "main:timeout", "sorry"]
    assert call.outcome == Outcome.INFORMATION_GIVEN
    assert call.external_id and call.address


def test_case_status_lookup_by_dtmf_reads_the_status(gateway, line, tmp_path):
    from tawasul.voice.selectors import case_status_by_digits

    case = _make_case(line)
    digits = case.reference.replace("-", "")
    # A caller waits for the "enter your reference" prompt before typing the digits.
    caller = (
        Caller(tmp_path)
        .pause(300)
        .dtmf("2")
        .dtmf("1")
        .pause(1500)
        .dtmf(digits + "#")
        .wait_bye(30000)
    )
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    call = _interaction()
    assert call.ivr_path == ["welcome", "language:en", "main:1", f"status:{case.reference}", "bye"]
    assert call.outcome == Outcome.INFORMATION_GIVEN
    # What the caller heard, in their language (the prompt is synthesized from this text).
    assert case_status_by_digits(digits=digits, language="en") == (case.reference, "In progress")
    assert case_status_by_digits(digits=digits, language="ar")[1] != "In progress"


def _make_case(line):
    from tawasul.cases.models import Case

    entity = line.entities.first()
    fields = {f.name for f in Case._meta.get_fields()}
    data = {
        "reference": "109-2026-000042",
        "kind": "complaint",
        "status": "in_progress",
        "entity": entity,
    }
    if "subject" in fields:
        data["subject"] = "Streetlight"
    if "hotline" in fields:
        data["hotline"] = line
    return Case.objects.create(**data)


def test_sip_info_digits_and_a_procedure(gateway, line, tmp_path):
    from tawasul.directory.models import Service

    Service.objects.filter(code="moci-consumer-complaint").update(
        procedure_en="Bring your receipt to any service center."
    )
    caller = Caller(tmp_path).pause(300).info("2").info("2").wait_bye(40000)
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    call = _interaction()
    assert call.ivr_path == [
        "welcome",
        "language:en",
        "main:2",
        "procedure:moci-consumer-complaint",
        "bye",
    ]


@pytest.mark.parametrize("holiday", [False, True])
def test_after_hours_and_holiday_take_a_callback_request(gateway, line, tmp_path, holiday):
    from django.utils import timezone

    from tawasul.directory.models import BusinessCalendar, Holiday
    from tawasul.directory.selectors import calendar_hours
    from tawasul.voice.models import CallbackRequest

    closed = BusinessCalendar.objects.create(code="closed", name_en="Closed", name_ar="مغلق")
    if holiday:
        Holiday.objects.create(
            calendar=closed, date=timezone.localdate(), name_en="Day", name_ar="يوم"
        )
    line.calendar = closed
    line.save()
    calendar_hours.__globals__["_cache"].clear()
    caller = Caller(tmp_path).pause(300).dtmf("1").wait_bye(20000)
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    call = _interaction()
    node = "holiday" if holiday else "closed"
    assert call.ivr_path == ["holiday" if holiday else "after_hours", node, f"{node}:1"]
    assert call.outcome == Outcome.CALLBACK_REQUESTED
    request = CallbackRequest.objects.get(interaction=call)
    assert request.phone == call.address and request.reason == (
        "holiday" if holiday else "after_hours"
    )


def test_abandon_while_queued(gateway, line, tmp_path):
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").pause(3000).bye()
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    call = _interaction()
    assert call.ivr_path == ["welcome", "language:en", "main:0", "queue:general"]
    assert call.outcome == Outcome.ABANDONED
    assert call.answered_at is None and call.wait_seconds is not None
    assert call.queue == "109:general"


def test_a_caller_who_types_ahead_goes_straight_through_the_menus(gateway, line, tmp_path):
    # "2" (English) and "0" (an agent) in one breath, during the welcome prompt.
    caller = Caller(tmp_path).pause(300).dtmf("20").pause(3000).bye()
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    call = _interaction()
    assert call.ivr_path == ["welcome", "language:en", "main:0", "queue:general"]


def _agent_ready(user, sip_username, gateway, tmp_path, *, languages, answer=True, talk_ms=3000):
    from tawasul.desk.services import agent_set_state
    from tawasul.voice import services
    from tests.voice.sip import agent_phone, free_udp_port, wait_registered

    user.languages = languages
    user.save()
    services.voice_endpoint_set(user=user, sip_username=sip_username, password="phone-secret")
    port = free_udp_port()
    phone = agent_phone(tmp_path, port, answer=answer, talk_ms=talk_ms)
    assert wait_registered(tmp_path, gateway.sip_port, sip_username, "phone-secret", port), (
        "the agent's phone could not register"
    )
    agent_set_state(agent=user, state="available")
    return phone


def test_wrong_password_cannot_register(gateway, people, tmp_path):
    from tawasul.voice import services
    from tests.voice.sip import free_udp_port, register_agent, wait_registered

    services.voice_endpoint_set(user=people["agent"], sip_username="fatima", password="right-one")
    # Once the front knows the account, the right password registers and a wrong one never.
    assert wait_registered(tmp_path, gateway.sip_port, "fatima", "right-one", free_udp_port())
    assert register_agent(tmp_path, gateway.sip_port, "fatima", "wrong-one", free_udp_port()) != 0


def test_skilled_agent_rings_call_is_bridged_and_recorded(gateway, line, people, tmp_path):
    from tawasul.desk.models import ContactOffer
    from tawasul.desk.services import wrapup_end
    from tests.voice.sip import channel_rms, tone

    english = _agent_ready(people["agent"], "fatima", gateway, tmp_path, languages=["en"])
    arabic = _agent_ready(people["agent2"], "ravi", gateway, tmp_path, languages=["ar"])
    caller = (
        Caller(tmp_path)
        .audio(tone(tmp_path / "voice.wav", 440))
        .pause(300)
        .dtmf("2")
        .dtmf("0")
        .wait_bye(40000)
    )
    sipp = caller.start(gateway.sip_port, "109")
    assert sipp.wait() == 0, sipp.errors_text()
    assert english.wait(20) == 0, english.errors_text()
    arabic.stop()
    call = _interaction()
    offer = ContactOffer.objects.get(interaction=call)
    assert offer.agent == people["agent"] and offer.language == "en"
    assert call.agent == people["agent"]
    assert call.ivr_path == ["welcome", "language:en", "main:0", "queue:general", "agent:fatima"]
    assert call.offered_at <= call.answered_at <= call.ended_at
    assert call.talk_seconds > 0
    wrapup_end(agent=people["agent"])
    call.refresh_from_db()
    assert call.wrapup_seconds is not None and call.wrapup_seconds >= 0
    # The recording: caller on the left, agent on the right, both with sound (the agent's
    # phone echoes what it hears, so its channel has audio only if RTP flowed both ways).
    deadline = time.monotonic() + 15
    while not call.recording and time.monotonic() < deadline:  # mixed after both legs close
        time.sleep(0.2)
        call.refresh_from_db()
    path = gateway.data_dir.parent / call.recording
    assert path.exists()
    left, right = channel_rms(path)  # through the at-rest helper: decrypts to a stereo WAV
    assert left > 0.01 and right > 0.01
    _assert_encrypted_and_private(path, gateway.data_dir / "recordings")


def _assert_encrypted_and_private(path, recordings):
    """The recording on disk is ciphertext, owner-only, in owner-only directories, and the
    plain parts pjsua2 wrote during the call are gone."""
    import stat
    import subprocess

    assert path.name.endswith(".wav.enc")
    soxi = subprocess.run(["soxi", str(path)], capture_output=True, text=True)
    assert soxi.returncode != 0, "sox must not be able to read the file on disk"
    assert path.read_bytes()[:4] == b"TWAR"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    directory = path.parent
    while directory != recordings.parent:
        assert stat.S_IMODE(directory.stat().st_mode) == 0o700, directory
        directory = directory.parent
    assert not list(path.parent.glob("*.wav")), "no plaintext left beside it"


def test_a_resident_who_refused_recording_is_not_recorded(gateway, line, people, tmp_path):
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    resident, _ = resident_find_or_create(contacts=normalize_contacts(phone="+97455123456"))
    resident.consent_recording = False
    resident.save()
    agent = _agent_ready(people["agent"], "fatima", gateway, tmp_path, languages=["en"])
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").wait_bye(40000)
    sipp = caller.start(gateway.sip_port, "109", caller_id="+97455123456")
    assert sipp.wait() == 0, sipp.errors_text()
    assert agent.wait(20) == 0, agent.errors_text()
    call = _interaction()
    assert call.resident == resident and call.answered_at is not None
    assert call.ivr_path == [
        "welcome",
        "language:en",
        "main:0",
        "queue:general",
        "agent:fatima",
        "not-recorded:no-consent",
    ]
    assert call.recording == ""
    day = gateway.data_dir / "recordings"
    assert not list(day.rglob(f"{call.pk}*")), "nothing written for this call"


def test_ring_no_answer_requeues_to_the_next_agent(gateway, line, people, tmp_path):
    from tawasul.desk.models import AgentState, ContactOffer

    silent = _agent_ready(
        people["agent"], "fatima", gateway, tmp_path, languages=["en"], answer=False
    )
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").pause(6000).bye()
    sipp = caller.start(gateway.sip_port, "109")
    time.sleep(1)
    assert sipp.wait() == 0, sipp.errors_text()
    assert silent.wait(10) == 0, silent.errors_text()
    call = _interaction()
    assert "no_answer:fatima" in call.ivr_path
    assert ContactOffer.objects.get(interaction=call).status == "declined"
    state = AgentState.objects.get(agent=people["agent"])
    assert (state.state, state.reason) == ("on_break", "no_answer")
    assert call.outcome == Outcome.ABANDONED


def test_stopping_the_gateway_mid_call_stops_its_workers_cleanly(gateway, line, tmp_path):
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").wait_bye(20000)
    sipp = caller.start(gateway.sip_port, "109")
    deadline = time.monotonic() + 20
    while not Interaction.objects.filter(queue="109:general").exists():
        assert time.monotonic() < deadline, "the caller never reached the queue"
        time.sleep(0.1)
    gateway.stop()
    # A worker stopped with a call up used to abort in PJSUA (SIGABRT, exit code -6): a Call
    # object outlived the library it belongs to.
    assert [proc.returncode for proc in gateway.procs.values()] == [0, 0]
    assert sipp.wait() == 0, sipp.errors_text()  # the caller was sent BYE, not left hanging
