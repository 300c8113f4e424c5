"""Fixtures shared with other rooms so the live simulator is tested against the real parts:
the voice gateway (Kamailio front, pjsua2 workers, controller threads), the channels' web
server and Kannel (bearerbox, smsbox, fakesmsc as the operator), and the inbound SMTP
listener."""

import socket

import pytest

from tests.omnichannel.conftest import child_env, kannel, kannel_session, web  # noqa: F401
from tests.voice.conftest import gateway, line, voice_dir  # noqa: F401


class SmtpListener:
    """The inbound SMTP listener's handler on aiosmtpd, in this process, on a free port;
    ``stop()`` takes it down (as a crashed or stopped ``tawasul smtpd``)."""

    def __init__(self) -> None:
        from aiosmtpd.controller import Controller

        from tawasul.omnichannel.smtp import InboundHandler

        with socket.socket() as sock:  # a free TCP port
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.controller = Controller(InboundHandler(), hostname="127.0.0.1", port=self.port)
        self.controller.start()
        self.running = True

    def stop(self) -> None:
        if self.running:
            self.running = False
            self.controller.stop()


@pytest.fixture
def smtp_listener():
    listener = SmtpListener()
    try:
        yield listener
    finally:
        listener.stop()
