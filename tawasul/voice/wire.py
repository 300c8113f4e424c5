"""The line protocol between the gateway (controller) and its media workers.

One TCP connection per worker on the loopback, one JSON object per line, both ways. The worker
sends *events* (``{"ev": "incoming", ...}``), the gateway sends *commands*
(``{"cmd": "play", ...}``). Neither side ever blocks on the other: a command's outcome comes back
later as an event that names the same call (``call``) and, where useful, a request id (``id``).

No Django and no PJSIP here, so both sides (and the tests) can import it.

Commands (gateway → worker):

- ``answer {call}`` / ``reject {call, code}`` / ``hangup {call}``
- ``play {call, files, id, loop}`` → event ``played {call, id}`` when the list ends (not if
  looping or stopped); ``stop {call}`` stops what plays on that call
- ``dial {leg, uri, timeout}`` → events ``leg_ringing``, ``leg_answered``, ``leg_ended
  {code}``; ``dial`` places the agent's leg from the same worker, so the two legs can be
  bridged in its conference bridge
- ``bridge {call, leg, record: [caller_wav, agent_wav]}`` connects both ways and records each
  party on its own file

Events (worker → gateway):

- ``hello {worker, sip_port, slots}``
- ``incoming {call, call_id, from, caller_verified, to, ruri}``: a new INVITE (ringing; the
  gateway answers or rejects it); ``from`` is the caller's identity (see :func:`caller_identity`)
- ``media {call}``: the caller's audio is up; ``dtmf {call, digit, method}``;
  ``ended {call, code}``: the caller's leg is gone
"""

from __future__ import annotations

import json
import re
import socket
import threading
from collections.abc import Iterator
from typing import Any

# RTP ports each media worker may use, from its own base port: an RTP/RTCP pair per call slot
# (four) and room to skip ports another program holds. 150 workers then fit below port 44000;
# a wider span would run past 65535 at that many workers.
RTP_PORTS_PER_WORKER = 20

# Set by the SIP front on every INVITE it passes to a worker (tawasul/voice/front.py), after
# removing whatever a caller sent by these names: whether the trusted peer the call came from
# vouches for the caller's number, and the number it asserted (its P-Asserted-Identity).
VERIFIED_HEADER = "X-Tawasul-Caller-Verified"
CALLER_HEADER = "X-Tawasul-Caller"


def _header_values(message: str, name: str) -> list[str]:
    # Only the header section: the body (SDP) is the caller's and may hold any line.
    head = re.split(r"\r?\n\r?\n", message, maxsplit=1)[0]
    pattern = re.compile(rf"^{re.escape(name)}[ \t]*:[ \t]*(.*?)[ \t]*\r?$", re.I | re.M)
    return pattern.findall(head)


def caller_identity(message: str, from_uri: str) -> tuple[str, bool]:
    """(caller's URI, verified) of an INVITE as the front passed it on.

    Verified only when the front said so exactly once; the asserted identity then replaces
    the From. Anything else (no header, two headers, another value) is unverified, and the
    From is what the caller typed.
    """
    flags = _header_values(message, VERIFIED_HEADER)
    if len(flags) != 1 or flags[0].lower() != "yes":
        return from_uri, False
    asserted = _header_values(message, CALLER_HEADER)
    if len(asserted) == 1:
        uri = asserted[0].strip().removeprefix("<").removesuffix(">").strip()
        if uri:
            return uri, True
    return from_uri, True


def encode(message: dict[str, Any]) -> bytes:
    """One message as one line."""
    return (json.dumps(message, separators=(",", ":"), ensure_ascii=False) + "\n").encode()


def read_lines(sock: socket.socket) -> Iterator[dict[str, Any]]:
    """Messages from a socket until it closes; a malformed line ends the link (a bug, not data)."""
    buffer = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except OSError:
            return
        if not chunk:
            return
        buffer += chunk
        while b"\n" in buffer:
            line, buffer = buffer.split(b"\n", 1)
            if line.strip():
                yield json.loads(line)


class Sender:
    """Thread-safe writer of messages to one socket (several threads send on one link)."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self._lock = threading.Lock()
        self.closed = False

    def send(self, message: dict[str, Any]) -> bool:
        data = encode(message)
        with self._lock:
            if self.closed:
                return False
            try:
                self.sock.sendall(data)
                return True
            except OSError:
                self.closed = True
                return False
