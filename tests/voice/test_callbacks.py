"""Call-back offers (queue full, maximum wait) and dialled call-backs, over real SIP: sipp
callers, agents' phones and the resident's phone behind the outbound trunk (a sipp UAS)."""

from __future__ import annotations

import copy
import time
from pathlib import Path

import pytest

from tawasul.interactions.models import Direction, Interaction, Outcome
from tests.voice.flows import sample_flow
from tests.voice.sip import SCENARIOS, Caller, Sipp, free_rtp_port, free_udp_port, tone

pytestmark = [pytest.mark.timeout(150)]
CALLER = "+97455123456"


def _flow(**queue: object) -> dict:
    flow = copy.deepcopy(sample_flow())
    flow["nodes"]["agent"].update(queue)
    return flow


@pytest.fixture
def limited_line(directory):
    """Hotline 109 whose queue takes one caller and offers a call-back after 3 s in line."""
    from tawasul.voice import services

    hotline = directory["h109"]
    services.ivr_flow_save(
        hotline=hotline,
        definition=_flow(max_size=1, max_wait=3, callback_timeout=6, declined="bye"),
    )
    return hotline


def _until(check, timeout: float = 20, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _ended(**lookup) -> Interaction:
    """The call once the gateway has written its end (it hangs up first, then writes)."""
    return _until(
        lambda: (
            Interaction.objects.filter(ended_at__isnull=False, **lookup)
            .exclude(outcome=Outcome.PENDING)
            .first()
        ),
        what=f"the call {lookup} written as ended",
    )


def _press_1(caller: Caller, first_after_ms: int) -> Caller:
    """Key 1 twice, 2 s apart: a press that lands before the offer only cuts a prompt short
    (and is dropped as a stale key); one during the offer takes the call-back."""
    return caller.dtmf("1", after_ms=first_after_ms).dtmf("1", after_ms=1400)


def resident_phone(tmp: Path, port: int, number: str, *, talk_ms: int, calls: int = 1) -> Sipp:
    """The resident's phone behind the trunk: answers only an INVITE for ``number``, speaks."""
    scenario = tmp / "resident_answer.xml"
    text = (SCENARIOS / "resident_answer.xml").read_text()
    voice = tone(tmp / "resident-voice.wav", 660)
    text = text.replace("NUMBER", number.replace("+", "\\+")).replace("TONE", str(voice))
    scenario.write_text(text)
    args = ["-sf", str(scenario), "-p", str(port), "-m", str(calls), "-d", str(talk_ms)]
    args += ["-mp", str(free_rtp_port())]
    return Sipp(args, tmp / f"resident-{port}")


def ringing_phone(tmp: Path, port: int, *, calls: int) -> Sipp:
    """A phone that rings and is never picked up (the gateway cancels it)."""
    args = ["-sf", str(SCENARIOS / "agent_no_answer.xml"), "-p", str(port), "-m", str(calls)]
    return Sipp(args, tmp / f"ringing-{port}")


def registered_phone(gateway, tmp: Path, user, sip_username: str, *, calls: int = 1) -> Sipp:
    """An agent's sipp phone registered with digest auth, answering ``calls`` calls and staying
    on each until the gateway hangs up; the agent is not available yet."""
    from tawasul.voice import services
    from tests.voice.sip import register_agent

    user.languages = ["en"]
    user.save()
    services.voice_endpoint_set(user=user, sip_username=sip_username, password="phone-secret")
    port = free_udp_port()
    args = ["-sf", str(SCENARIOS / "agent_until_bye.xml"), "-p", str(port), "-m", str(calls)]
    args += ["-rtp_echo", "-mp", str(free_rtp_port())]
    phone = Sipp(args, tmp / f"agent-{port}")
    code = 1
    deadline = time.monotonic() + 10
    while code != 0 and time.monotonic() < deadline:  # the front syncs credentials every 2 s
        code = register_agent(tmp, gateway.sip_port, sip_username, "phone-secret", port)
    assert code == 0, "the agent's phone could not register"
    return phone


def _first_caller_holding(gateway, tmp: Path, *, hold_ms: int) -> Sipp:
    """A caller who takes the one place in line, holds ``hold_ms`` and hangs up."""
    first = Caller(tmp, "first").pause(300).dtmf("2").dtmf("0").pause(hold_ms).bye()
    sipp = first.start(gateway.sip_port, "109", caller_id="+97455000001")
    _until(
        lambda: Interaction.objects.filter(queue="109:general").exists(),
        timeout=30,
        what="the first caller in line",
    )
    time.sleep(0.5)
    return sipp


def _trunk(gateway, port: int) -> None:
    gateway.dialler.outbound_uri = f"sip:{{number}}@127.0.0.1:{port}"


def test_queue_full_offers_a_callback_that_keeps_its_place(gateway, limited_line, tmp_path):
    from tawasul.voice.callbacks import contact_of
    from tawasul.voice.models import CallbackRequest

    _trunk(gateway, free_udp_port())  # a trunk, but no agent: the call-back only waits
    holding = _first_caller_holding(gateway, tmp_path, hold_ms=14000)
    second = Caller(tmp_path, "second").pause(300).dtmf("2").dtmf("0").dtmf("1", after_ms=2000)
    second.wait_bye(30000)
    assert second.start(gateway.sip_port, "109").wait() == 0
    call = _ended(address__contains=CALLER[1:])
    request = CallbackRequest.objects.get(interaction=call)
    assert (request.reason, request.queue, request.status) == (
        "queue_full",
        "109:general",
        "pending",
    )
    assert request.phone == call.address and call.outcome == Outcome.CALLBACK_REQUESTED
    assert call.ivr_path[-2:] == ["queue_full", "callback:1"]
    # Its place: behind the caller who was holding before it, ahead of anyone who comes later.
    contact = contact_of(request.pk)
    assert _until(lambda: gateway.router.position(contact)[0], what="a place") == 2
    assert holding.wait() == 0, holding.errors_text()  # the first caller hangs up
    _until(lambda: gateway.router.position(contact)[0] == 1, what="first place")


def test_queue_full_without_key_1_goes_to_the_declined_node(gateway, limited_line, tmp_path):
    from tawasul.voice.models import CallbackRequest

    holding = _first_caller_holding(gateway, tmp_path, hold_ms=14000)
    second = Caller(tmp_path, "second").pause(300).dtmf("2").dtmf("0").dtmf("7", after_ms=2000)
    assert second.wait_bye(40000).start(gateway.sip_port, "109").wait() == 0
    assert holding.wait() == 0, holding.errors_text()
    call = _ended(address__contains=CALLER[1:])
    assert "queue_full" in call.ivr_path and call.ivr_path[-1] == "bye"
    assert not CallbackRequest.objects.filter(interaction=call).exists()


def test_max_wait_callback_is_dialled_when_an_agent_is_free(
    gateway, limited_line, people, tmp_path
):
    from tawasul.desk.models import ContactOffer
    from tawasul.desk.services import agent_set_state
    from tawasul.voice.models import CallbackRequest
    from tests.voice.sip import channel_rms

    resident_port = free_udp_port()
    _trunk(gateway, resident_port)
    agent = people["agent"]
    phone = registered_phone(gateway, tmp_path, agent, "fatima")
    resident = resident_phone(tmp_path, resident_port, CALLER, talk_ms=9000)
    caller = _press_1(Caller(tmp_path).pause(300).dtmf("2").dtmf("0"), 4000).wait_bye(40000)
    assert caller.start(gateway.sip_port, "109").wait() == 0
    # The gateway hangs up, then writes the call's end: wait for that write.
    inbound = _ended(direction=Direction.INBOUND)
    request = CallbackRequest.objects.get(interaction=inbound)
    assert (request.reason, request.status, request.attempts) == ("max_wait", "pending", 0)
    assert "max_wait" in inbound.ivr_path and inbound.outcome == Outcome.CALLBACK_REQUESTED
    # The caller hung up; the call-back kept their place. An agent becomes free: the gateway
    # rings the agent first, then dials the resident through the trunk and bridges them.
    agent_set_state(agent=agent, state="available")
    assert phone.wait(60) == 0, phone.errors_text()
    assert resident.wait(30) == 0, resident.errors_text()
    request = _until(
        lambda: CallbackRequest.objects.filter(pk=request.pk, status="done").first(),
        what="the call-back done",
    )
    assert request.attempts == 1
    out = request.outbound
    assert out.direction == Direction.OUTBOUND and out.external_id == f"callback:{request.pk}:1"
    assert out.agent == agent and out.resident_id == inbound.resident_id
    assert out.offered_at <= out.answered_at <= out.ended_at
    assert out.ivr_path[-2:] == ["agent:fatima", "resident:answered"]
    assert ContactOffer.objects.get(interaction=out).agent == agent
    out = _until(lambda: Interaction.objects.exclude(recording="").filter(pk=out.pk).first())
    left, right = channel_rms(gateway.data_dir.parent / out.recording)
    # The resident speaks (a tone); the agent's phone echoes what it hears, so its channel has
    # sound only if audio flowed both ways through the bridge.
    assert left > 0.01 and right > 0.01


def test_unanswered_callback_is_retried_then_fails(gateway, line, people, tmp_path, monkeypatch):
    from tawasul.desk.services import agent_set_state, wrapup_end
    from tawasul.interactions.services import interaction_record
    from tawasul.voice import conf, services
    from tawasul.voice.models import CallbackRequest

    monkeypatch.setattr(conf, "CALLBACK_ATTEMPTS", 2)
    monkeypatch.setattr(conf, "CALLBACK_RETRY_SECONDS", 1)
    resident_port = free_udp_port()
    _trunk(gateway, resident_port)
    gateway.dialler.ring_timeout = 3
    agent = people["agent"]
    phone = registered_phone(gateway, tmp_path, agent, "fatima", calls=2)
    resident = ringing_phone(tmp_path, resident_port, calls=2)
    # A request made after hours (recorded then, dialled now that the hotline is open).
    call, _ = interaction_record(
        channel="call", external_id="after-hours-1", hotline=line, address=f"sip:{CALLER}@x"
    )
    request = services.callback_request_create(
        interaction=call, reason="after_hours", queue="109:general"
    )
    agent_set_state(agent=agent, state="available")
    first = _until(
        lambda: CallbackRequest.objects.filter(pk=request.pk, attempts=1, status="pending").first(),
        timeout=40,
        what="the first attempt",
    )
    assert first.next_attempt_at is not None
    _until(lambda: agent.desk_state.__class__.objects.get(agent=agent).state == "wrap_up")
    wrapup_end(agent=agent)
    final = _until(
        lambda: CallbackRequest.objects.filter(pk=request.pk, status="failed").first(),
        timeout=40,
        what="the request to fail",
    )
    assert final.attempts == 2
    attempts = Interaction.objects.filter(external_id__startswith=f"callback:{request.pk}:")
    assert sorted(attempts.values_list("external_id", flat=True)) == [
        f"callback:{request.pk}:1",
        f"callback:{request.pk}:2",
    ]
    assert {a.outcome for a in attempts} == {Outcome.CALLBACK_REQUESTED}
    assert all(a.ivr_path[-1] == "resident:no_answer" for a in attempts)
    assert resident.wait(20) == 0, resident.errors_text()  # rang exactly twice, then cancelled
    assert phone.wait(20) == 0, phone.errors_text()  # the agent was rung for both attempts


def test_a_request_is_claimed_for_dialling_once(directory, db):
    from tawasul.interactions.services import interaction_record
    from tawasul.voice import services

    call, _ = interaction_record(
        channel="call", external_id="c-1", hotline=directory["h109"], address=CALLER
    )
    request = services.callback_request_create(interaction=call, reason="queue_full", queue="q")
    again = services.callback_request_create(interaction=call, reason="queue_full", queue="q")
    assert again.pk == request.pk  # one request per call, however often the caller presses 1
    assert services.callback_claim(request_id=request.pk) is not None
    assert services.callback_claim(request_id=request.pk) is None  # no double dialling
    services.callback_unclaim(request=request)
    assert services.callback_claim(request_id=request.pk) is not None
    services.callback_give_up(request=request)  # e.g. an anonymous caller: nothing to dial
    request.refresh_from_db()
    assert request.status == "failed" and services.callback_claim(request_id=request.pk) is None


@pytest.mark.parametrize(
    ("phone", "number"),
    [
        ("sip:+97455123456@10.0.0.1:5060", "+97455123456"),
        ("+968 9123 4567", "+96891234567"),
        ("sip:anonymous@example.org", None),
        ("sip:مريم@example.org", None),
        ("sip:٩٧٤٥٥١٢٣٤٥٦@example.org", None),
    ],
)
def test_the_number_dialled_back(phone, number):
    from tawasul.voice import services
    from tawasul.voice.models import CallbackRequest

    assert services.callback_number(request=CallbackRequest(phone=phone)) == number


def test_admin_lists_callbacks_and_holds(directory, people):
    from tawasul.interactions.services import interaction_record
    from tawasul.voice import services
    from tests.support import verified_client

    call, _ = interaction_record(
        channel="call", external_id="c-2", hotline=directory["h109"], address="+97455123456"
    )
    request = services.callback_request_create(interaction=call, reason="max_wait", queue="q")
    admin = verified_client(people["admin"])
    page = admin.get("/admin/voice/callbackrequest/")
    assert page.status_code == 200 and "+97455123456" in page.content.decode()
    assert admin.get(f"/admin/voice/callbackrequest/{request.pk}/change/").status_code == 200
    assert admin.get("/admin/voice/callhold/").status_code == 200
    assert verified_client(people["agent"]).get("/admin/voice/callbackrequest/").status_code in (
        302,
        403,
    )


@pytest.mark.parametrize(
    ("queue", "problem"),
    [
        ({"max_size": -1}, "nodes.agent.max_size"),
        ({"max_size": "20"}, "nodes.agent.max_size"),
        ({"max_size": True}, "nodes.agent.max_size"),
        ({"max_wait": 0}, "nodes.agent.max_wait"),
        ({"max_wait": "long"}, "nodes.agent.max_wait"),
        ({"callback_timeout": -5}, "nodes.agent.callback_timeout"),
        ({"declined": "nowhere"}, "nodes.agent.declined"),
        ({"declined": "وداعا"}, "nodes.agent.declined"),
    ],
)
def test_queue_limits_are_checked(queue, problem):
    from tawasul.voice import flows

    assert problem in [path for path, _message in flows.validate(_flow(**queue))]


def test_a_valid_limited_queue(db, directory):
    from tawasul.errors import DomainError
    from tawasul.voice import flows, services

    good = _flow(max_size=0, max_wait=2.5, callback_timeout=4, declined="bye")
    assert flows.validate(good) == []
    with pytest.raises(DomainError) as refused:
        services.ivr_flow_save(hotline=directory["h109"], definition=_flow(max_wait=-1))
    assert refused.value.field == "flow.nodes.agent.max_wait"


def test_a_call_back_holds_one_callers_place_on_its_worker(gateway, line, tmp_path):
    """Two workers of 2 callers each. A call-back (its agent's and resident's legs) counts as
    one caller on the worker that places it: a caller is never admitted into the call slots
    a call-back holds, and a call-back is never placed on a full worker."""
    from tawasul.voice.gateway import CallSession

    def reserve(key: str) -> tuple[CallSession, str | None]:
        session = CallSession(gateway, "", key, {})
        with gateway.lock:
            gateway.leg_owner[key] = session
        return session, gateway.dialler.reserve_worker(session)

    first, on_first = reserve("cb-a")
    _second, on_second = reserve("cb-b")
    assert {on_first, on_second} == {"w1", "w2"}  # the least loaded worker each time
    callers = [
        Caller(tmp_path, f"caller{n}").pause(5000).bye().start(gateway.sip_port, "109", number)
        for n, number in enumerate(["+97455000011", "+97455000012"])
    ]
    sessions = _until(lambda: len(gateway.sessions) == 2 and list(gateway.sessions.values()))
    assert {s.worker for s in sessions} == {"w1", "w2"}  # one caller beside each call-back
    assert reserve("cb-c")[1] is None  # every worker full: the call-back waits
    busy = Caller(tmp_path, "busy").pause(8000).bye().start(gateway.sip_port, "109", "+97455000013")
    assert busy.wait(20) == 0, busy.errors_text()  # 486 from both workers, not a call
    assert not Interaction.objects.filter(address__contains="97455000013").exists()

    first.send("unreserve")
    assert reserve("cb-c")[1] == on_first  # the place it held is free again
    for sipp in callers:
        assert sipp.wait(20) == 0, sipp.errors_text()
