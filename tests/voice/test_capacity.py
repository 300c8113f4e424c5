"""The gateway's capacity plumbing: worker ports for 150+ workers (leased, never shared with
another gateway on the machine), the router's once-a-second agent read, and the wake-up that
lets an idle media worker sleep in PJSIP."""

from __future__ import annotations

import itertools
import socket

import pytest

from tawasul.voice.wire import RTP_PORTS_PER_WORKER


def test_ports_of_154_workers_are_distinct_valid_and_not_shared_with_another_gateway(tmp_path):
    from tawasul.voice import conf
    from tawasul.voice.gateway import Gateway

    gateway = Gateway(sip_port=5999, workers=154, slots=2, data_dir=tmp_path)
    # A second gateway starting on the same machine meanwhile (the other database's suite).
    other = Gateway(sip_port="leased", workers=2, slots=2, data_dir=tmp_path)
    try:
        ports = gateway._choose_ports()
        theirs = other._choose_ports()
    finally:
        gateway.port_lease.release()
        other.port_lease.release()

    assert list(ports) == [f"w{i}" for i in range(1, 155)]
    sip = [p for p, _rtp in ports.values()]
    rtp = [r for _sip, r in ports.values()]
    assert len(set(sip)) == len(sip)
    spans = [range(r, r + RTP_PORTS_PER_WORKER) for r in rtp]
    assert not any(port in span for port in sip for span in spans)
    # Every span inside the configured range, below the kernel's ephemeral ports (which any
    # client socket, sipp's included, may be given).
    assert all(r >= conf.RTP_BASE and r + RTP_PORTS_PER_WORKER <= conf.PORTS_LAST for r in rtp)
    assert conf.PORTS_LAST < 32768
    assert sorted(rtp) == rtp
    assert all(b - a >= RTP_PORTS_PER_WORKER for a, b in itertools.pairwise(rtp))
    # The other gateway's front and workers use none of these ports.
    used = {*sip, *(port for span in spans for port in span)}
    assert other.sip_port not in used
    their_ports = [p for s, r in theirs.values() for p in [s, *range(r, r + RTP_PORTS_PER_WORKER)]]
    assert not used.intersection(their_ports)


def test_a_gateway_whose_sip_port_is_taken_fails_at_once_naming_it(tmp_path):
    from tawasul.voice.gateway import Gateway
    from tawasul.voice.ports import PortsUnavailable

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as taken:
        taken.bind(("127.0.0.1", 0))
        port = taken.getsockname()[1]
        gateway = Gateway(sip_port=port, workers=1, slots=2, data_dir=tmp_path)
        with pytest.raises(PortsUnavailable, match=f"SIP port {port} .* in use"):
            gateway.start()
    assert not gateway.procs  # no worker was started
    assert not gateway.port_lease.blocks  # and its workers' ports are free again


def test_blocks_held_by_a_gateway_or_a_program_are_skipped_then_refused(tmp_path, monkeypatch):
    from tawasul.voice import ports

    monkeypatch.setenv("TAWASUL_VOICE_PORT_LOCKS", str(tmp_path))
    first = 65010  # a multiple of the block size, far from the default range
    assert first % ports.BLOCK == 0
    last = first + 2 * ports.BLOCK - 1
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as program:
        program.bind(("127.0.0.1", first + 3))  # another program holds a port of the first block
        lease = ports.lease_blocks(1, first=first, last=last)
        try:
            assert lease.blocks == [first + ports.BLOCK]
            # The second block is this gateway's, the first has a busy port: nothing left.
            with pytest.raises(ports.PortsUnavailable, match=f"between {first} and {last}"):
                ports.lease_blocks(1, first=first, last=last)
        finally:
            lease.release()
    # Released (as when a gateway stops or its process dies): the block is free again.
    again = ports.lease_blocks(2, first=first, last=last)
    assert again.blocks == [first, first + ports.BLOCK]
    again.release()


@pytest.fixture
def phone_agent(transactional_db, people):
    # transactional_db: the router closes its connection after each read, as in production.
    from tawasul.desk.services import agent_set_state
    from tawasul.voice import services

    agent = people["agent"]
    agent.languages = ["ar", "en"]
    agent.save(update_fields=["languages"])
    services.voice_endpoint_set(
        user=agent, sip_username="fatima", password="phone-secret", skills={"entity:phcc": 2}
    )
    agent_set_state(agent=agent, state="available")
    return agent


def test_router_reads_agents_in_one_query_and_follows_desk_states(
    phone_agent, django_assert_num_queries
):
    from tawasul import routing
    from tawasul.desk.services import agent_set_state
    from tawasul.voice.gateway import Router

    router = Router(lambda contact, decision: None)
    with django_assert_num_queries(1):
        router._sync_agents(100.0)
    seen = router.engine.agent(phone_agent.pk)
    assert seen.state == routing.AgentState.AVAILABLE

    # Nothing changed: the same single read, and the engine is not told anything again.
    with django_assert_num_queries(1):
        router._sync_agents(101.0)
    assert router.engine.agent(phone_agent.pk).since == seen.since

    agent_set_state(agent=phone_agent, state="on_break", reason="prayer")
    router._sync_agents(102.0)
    assert router.engine.agent(phone_agent.pk).state == routing.AgentState.BREAK

    # The phone taken away: the agent leaves the engine's available pool.
    phone_agent.voice_endpoint.active = False
    phone_agent.voice_endpoint.save(update_fields=["active"])
    router._sync_agents(103.0)
    assert router.engine.agent(phone_agent.pk).state == routing.AgentState.LOGGED_OUT


def test_router_gives_skills_from_languages_and_the_phone(phone_agent):
    from tawasul import routing
    from tawasul.voice.gateway import Router

    router = Router(lambda contact, decision: None)
    router._sync_agents(100.0)
    assert router.agents[phone_agent.pk].skills == {"lang:ar": 1, "lang:en": 1, "entity:phcc": 2}
    # A caller who needs an Arabic-speaking PHCC agent is offered to this one.
    router.engine.configure_queue(routing.Queue("109:phcc", requirements={"entity:phcc": 1}))
    decisions = router.engine.handle(
        routing.ContactArrived(101.0, "w1.1", "109:phcc", {"lang:ar": 1})
    )
    assert routing.Offer("w1.1", phone_agent.pk, "109:phcc") in decisions


def test_waker_sends_one_keepalive_per_turn_of_the_loop():
    from tawasul.voice.worker import Waker

    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sip:
        sip.bind(("127.0.0.1", 0))
        sip.settimeout(2)
        waker = Waker(sip.getsockname()[1])
        try:
            waker.wake()
            waker.wake()  # a burst before the loop turns: no second datagram
            assert sip.recv(64) == b"\r\n\r\n"
            waker.rearm()  # the loop drained its queues; the next command wakes it again
            waker.wake()
            assert sip.recv(64) == b"\r\n\r\n"
            sip.settimeout(0.2)
            with pytest.raises(TimeoutError):
                sip.recv(64)
        finally:
            waker.close()
    waker.wake()  # after close (the worker is stopping): no error
