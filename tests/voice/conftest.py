"""Voice fixtures: a running gateway (Kamailio front + 2 pjsua2 media workers + the controller
threads in this process) on free loopback ports, torn down after each test."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def voice_dir(tmp_path_factory):
    # Shared by the tests so synthesized prompts are made once per run.
    return tmp_path_factory.mktemp("voice-data")


@pytest.fixture
def gateway(transactional_db, settings, voice_dir):
    from tawasul.voice.gateway import Gateway

    settings.TAWASUL_VOICE_DIR = str(voice_dir)
    gw = Gateway(
        # Every port (the front's too) from a lease no other gateway on the machine can have:
        # developers run the SQLite and PostgreSQL suites side by side.
        sip_port="leased",
        workers=2,
        slots=2,
        data_dir=voice_dir,
        ring_timeout=3,
        announce_every=4,
        router_poll=0.2,
    )
    try:
        gw.start()
        yield gw
    finally:
        gw.stop()


@pytest.fixture
def line(directory):
    """Hotline 109 with a small flow: welcome, language, menu (1 status, 2 procedure,
    0 queue), closing nodes."""
    from tawasul.voice import services
    from tests.voice.flows import sample_flow

    hotline = directory["h109"]
    services.ivr_flow_save(hotline=hotline, definition=sample_flow())
    return hotline
