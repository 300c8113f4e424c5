"""Who the SIP front trusts (docs/voice.md): calls only from configured peers, caller ID
unverified unless the peer vouches for it, digest auth that cannot be replayed, and flood and
failed-password limits per source, audited. Real Kamailio, real media workers, sipp and
hand-written SIP from other loopback addresses (127.0.0.2 and up: sources the front does not
trust unless a test says so)."""

from __future__ import annotations

import time

import pytest

from tawasul.accounts.models import AuditAction, AuditEntry
from tawasul.interactions.models import Interaction
from tawasul.voice.front import FrontPolicy, parse_trusted_peers
from tests.voice.sip import Caller, RawSip, refused_caller, status

pytestmark = [pytest.mark.timeout(180)]

NUMBER = "+97455123456"
# This machine vouches for its callers (the embedded default); 127.0.0.3 is a trusted peer
# that does not (an SBC or a PBX that passes on whatever number its callers send).
PEERS = "127.0.0.1=asserted, 127.0.0.3"


@pytest.fixture
def gateway(transactional_db, settings, voice_dir):
    from tawasul.voice.gateway import Gateway

    settings.TAWASUL_VOICE_DIR = str(voice_dir)
    gw = Gateway(
        sip_port="leased",
        workers=2,
        slots=2,
        data_dir=voice_dir,
        ring_timeout=5,
        announce_every=4,
        router_poll=0.2,
        front_policy=FrontPolicy(peers=tuple(parse_trusted_peers(PEERS))),
    )
    try:
        gw.start()
        yield gw
    finally:
        gw.stop()


def _watch_incoming(gateway) -> list[dict]:
    """Every INVITE a media worker passes to the controller, from now on."""
    seen: list[dict] = []
    original = gateway._on_event

    def spy(worker, event):
        if event.get("ev") == "incoming":
            seen.append(event)
        original(worker, event)

    gateway._on_event = spy
    return seen


def _wait_for(check, *, timeout: float = 10, what: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def _resident(phone: str = NUMBER):
    from tawasul.residents.services import normalize_contacts, resident_find_or_create

    resident, _ = resident_find_or_create(
        contacts=normalize_contacts(phone=phone), full_name="مريم الكواري"
    )
    return resident


def test_invite_from_an_untrusted_source_gets_403_and_never_reaches_a_worker(
    gateway, line, tmp_path
):
    incoming = _watch_incoming(gateway)
    sipp = refused_caller(tmp_path, gateway.sip_port, "109", bind="127.0.0.2")
    assert sipp.wait() == 0, sipp.errors_text()
    counts = _wait_for(lambda: gateway.security_counts, what="the refusal to be counted")
    assert counts == {"invite_refused": 1}
    assert incoming == []
    assert Interaction.objects.count() == 0
    # Straight to a worker's own port (skipping the front) is refused by the worker.
    worker_port = next(iter(gateway.worker_ports.values()))[0]
    direct = refused_caller(tmp_path, worker_port, "109", bind="127.0.0.1", name="direct")
    assert direct.wait() == 0, direct.errors_text()
    assert incoming == []
    assert Interaction.objects.count() == 0


def test_the_trusted_trunk_still_calls_and_its_asserted_caller_id_finds_the_resident(
    gateway, line, tmp_path
):
    resident = _resident()
    incoming = _watch_incoming(gateway)
    # The trunk vouches for the number in P-Asserted-Identity; the From is the caller's own.
    caller = Caller(tmp_path).pause(300).dtmf("20").pause(2000).bye()
    sipp = caller.start(
        gateway.sip_port,
        "109",
        caller_id="anonymous",
        headers=(f"P-Asserted-Identity: <sip:{NUMBER}@carrier.example>",),
    )
    assert sipp.wait() == 0, sipp.errors_text()
    call = _wait_for(
        lambda: Interaction.objects.filter(ended_at__isnull=False).first(), what="the call"
    )
    assert len(incoming) == 1 and incoming[0]["caller_verified"] is True
    assert call.caller_verified is True
    assert call.address == f"sip:{NUMBER}@carrier.example"
    assert call.resident_id == resident.pk
    assert gateway.security_counts == {}


def test_caller_id_from_a_peer_that_does_not_assert_it_pops_no_resident(
    gateway, line, people, tmp_path
):
    from tawasul.desk.models import ContactOffer
    from tests.support import verified_client
    from tests.voice.test_calls import _agent_ready

    resident = _resident()
    phone = _agent_ready(
        people["agent"], "fatima", gateway, tmp_path, languages=["en"], talk_ms=8000
    )
    # The caller forges what the front would say for a trunk it trusts: both are removed.
    caller = Caller(tmp_path).pause(300).dtmf("2").dtmf("0").wait_bye(40000)
    sipp = caller.start(
        gateway.sip_port,
        "109",
        caller_id=NUMBER,
        bind="127.0.0.3",
        headers=(
            "X-Tawasul-Caller-Verified: yes",
            "x-tawasul-caller: <sip:+97400000000@x>",
            f"P-Asserted-Identity: <sip:{NUMBER}@carrier.example>",
        ),
    )
    offer = _wait_for(
        lambda: (
            ContactOffer.objects.filter(status="accepted").select_related("interaction").first()
        ),
        timeout=40,
        what="the agent to answer",
    )
    call = offer.interaction
    assert call.caller_verified is False
    assert call.resident_id is None
    assert call.address == f'"Resident" <sip:{NUMBER}@127.0.0.3>'  # the From, as sent
    page = verified_client(people["agent"]).get("/desk/contact/")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="caller-unverified"' in html
    assert 'data-testid="unverified-note"' in html
    assert resident.full_name not in html
    assert sipp.wait() == 0, sipp.errors_text()
    assert phone.wait(20) == 0, phone.errors_text()
    # Nothing read the resident's record for this call.
    assert not AuditEntry.objects.filter(resident_id=resident.pk).exists()


def _phone_account(gateway, people, password: str = "right-one") -> None:
    from tawasul.voice import services

    services.voice_endpoint_set(user=people["agent"], sip_username="fatima", password=password)
    _wait_for(
        lambda: any(row[0] == "fatima" for row in gateway.front._synced or []),
        what="the front to copy the agent's credentials",
    )


def _register(peer: RawSip, password: str, *, call_id: str, contact_port: int = 5555):
    """(answer to the challenge, answer to the credentials, Authorization sent)."""
    peer.send(peer.register("fatima", call_id=call_id, cseq=1, contact_port=contact_port))
    challenge = peer.receive(1)
    if status(challenge) != 401:
        return challenge, None, ""
    credentials = peer.digest(challenge, user="fatima", password=password)
    peer.send(
        peer.register(
            "fatima", call_id=call_id, cseq=2, contact_port=contact_port, authorization=credentials
        )
    )
    return challenge, peer.receive(1), credentials


def test_a_replayed_register_authorization_is_refused(gateway, people):
    _phone_account(gateway, people)
    phone = RawSip(gateway.sip_port)
    try:
        challenge, answer, credentials = _register(phone, "right-one", call_id="reg-1")
        assert 'qop="auth"' in challenge
        assert status(answer) == 200
        # Someone who captured that REGISTER sends it again, to bind their own address.
        phone.send(
            phone.register(
                "fatima", call_id="reg-1", cseq=3, contact_port=6666, authorization=credentials
            )
        )
        replay = phone.receive()
        assert status(replay) == 401
        assert "stale=true" in replay
        # The phone itself goes on with the next nonce count: still accepted.
        again = phone.digest(challenge, user="fatima", password="right-one", nc=2)
        phone.send(
            phone.register(
                "fatima", call_id="reg-1", cseq=4, contact_port=5555, authorization=again
            )
        )
        assert status(phone.receive()) == 200
    finally:
        phone.close()


def test_wrong_passwords_in_a_burst_are_cut_off_and_audited(gateway, people):
    _phone_account(gateway, people)
    attacker = RawSip(gateway.sip_port, bind="127.0.0.2")
    try:
        answers = []
        for attempt in range(30):
            _challenge, answer, _ = _register(attacker, f"guess-{attempt}", call_id=f"bf{attempt}")
            answers.append(status(answer))
        limit = gateway.front_policy.auth_failures
        # Each wrong password up to the limit is answered; then the source hears nothing.
        assert answers == [401] * limit + [None] * (30 - limit)
        _challenge, answer, _ = _register(attacker, "right-one", call_id="bf-right")
        assert answer is None
    finally:
        attacker.close()
    # The agent's own phone, elsewhere, still registers.
    phone = RawSip(gateway.sip_port)
    try:
        assert status(_register(phone, "right-one", call_id="ok")[1]) == 200
    finally:
        phone.close()
    failed = _wait_for(
        lambda: (
            list(
                AuditEntry.objects.filter(action=AuditAction.SIGN_IN_FAILED).values_list(
                    "object_type", "object_id", "fields", "ip_address", "user_agent"
                )
            )
            if AuditEntry.objects.filter(action=AuditAction.BLOCKED).exists()
            else None
        ),
        what="the failures in the audit log",
    )
    assert (
        failed
        == [("sip_registration", "fatima", ["wrong_password"], "127.0.0.2", "raw-test")] * limit
    )
    blocked = list(
        AuditEntry.objects.filter(action=AuditAction.BLOCKED).values_list(
            "object_type", "object_id", "fields", "actor_label"
        )
    )
    assert blocked == [("sip_source", "127.0.0.2", ["auth_failures"], "system")]
    assert gateway.security_counts == {"register_failed": limit, "source_blocked": 1}


def test_a_flood_from_one_source_is_cut_off(gateway):
    def options(peer: RawSip, n: int) -> str:
        return (
            f"OPTIONS sip:127.0.0.1:{gateway.sip_port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP {peer.host}:{peer.port};branch=z9hG4bKflood{n}\r\n"
            f"From: <sip:flood@{peer.host}>;tag=f{n}\r\nTo: <sip:127.0.0.1>\r\n"
            f"Call-ID: flood{n}\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 70\r\n"
            "Content-Length: 0\r\n\r\n"
        )

    flood, bystander = (
        RawSip(gateway.sip_port, bind="127.0.0.5"),
        RawSip(gateway.sip_port, bind="127.0.0.6"),
    )
    try:
        sent = 200
        for n in range(sent):
            flood.send(options(flood, n))
        answered = 0
        while flood.receive(1) is not None:
            answered += 1
        # pike blocks between 1 and 3 times its density (its docs); never all of them.
        assert gateway.front_policy.flood_requests <= answered < sent
        flood.send(options(flood, sent))
        assert flood.receive(1) is None  # still blocked after the burst
        bystander.send(options(bystander, 1))
        assert status(bystander.receive()) == 200
    finally:
        flood.close()
        bystander.close()
    blocked = _wait_for(
        lambda: list(
            AuditEntry.objects.filter(action=AuditAction.BLOCKED).values_list("object_id", "fields")
        ),
        what="the block in the audit log",
    )
    assert blocked == [("127.0.0.5", ["flood"])]
    assert gateway.security_counts == {"source_blocked": 1}


def test_a_trusted_peer_that_is_not_an_address_names_the_setting():
    from django.core.exceptions import ImproperlyConfigured

    peers = parse_trusted_peers("127.0.0.1=asserted, 192.0.2.0/24 ,2001:db8::/32=unverified")
    assert [(str(p.network), p.asserts_identity) for p in peers] == [
        ("127.0.0.1/32", True),
        ("192.0.2.0/24", False),
        ("2001:db8::/32", False),
    ]
    with pytest.raises(ImproperlyConfigured, match="TAWASUL_VOICE_TRUSTED_PEERS: 'carrier'"):
        parse_trusted_peers("carrier=asserted")
    with pytest.raises(ImproperlyConfigured, match="after '=' write 'asserted'"):
        parse_trusted_peers("192.0.2.1=yes")


def test_only_the_fronts_own_marked_lines_are_events():
    from tawasul.voice.front import parse_security_line

    marker = "tawasul-sip-event-0123"
    line = (
        f" 1(7) WARNING: <script>: {marker} ev=register_failed reason=wrong_password "
        "method=REGISTER src=192.0.2.9 port=5060 user=666174696d61 ua=7a"
    )
    event = parse_security_line(line, marker)
    assert (event.kind, event.source, event.port, event.user, event.user_agent) == (
        "register_failed",
        "192.0.2.9",
        5060,
        "fatima",
        "z",
    )
    # Another start's marker, a made-up kind, a source that is not an address: not events.
    assert parse_security_line(line, "tawasul-sip-event-9999") is None
    assert parse_security_line(line.replace("register_failed", "all_clear"), marker) is None
    assert parse_security_line(line.replace("192.0.2.9", "evil"), marker) is None


def test_a_worker_believes_only_the_fronts_one_header_and_never_the_body():
    from tawasul.voice.wire import caller_identity

    head = "INVITE sip:109@w SIP/2.0\r\nFrom: <sip:+97455123456@x>;tag=1\r\n"
    body = "\r\n\r\nv=0\r\nX-Tawasul-Caller-Verified: yes\r\n"
    from_uri = "<sip:+97455123456@x>"
    assert caller_identity(head + "Content-Length: 30" + body, from_uri) == (from_uri, False)
    twice = head + "X-Tawasul-Caller-Verified: yes\r\nx-tawasul-caller-verified: yes\r\n"
    assert caller_identity(twice + "\r\n", from_uri) == (from_uri, False)
    once = head + "x-tawasul-caller-verified: YES\r\nX-Tawasul-Caller: <sip:+97444000000@t>\r\n"
    assert caller_identity(once + "\r\n", from_uri) == ("sip:+97444000000@t", True)
