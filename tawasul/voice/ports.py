"""Ports of one voice gateway that no other gateway on the same machine can take.

Each media worker needs a SIP port and a span of RTP ports. With a fixed base (it was 40000)
every gateway on a machine (a developer's SQLite and PostgreSQL test runs side by side, the demo
and a test run) used the same RTP ports: PJSIP skips a port another process holds, but a port
freed by one gateway's ended call was taken by the other's next call while the first
gateway's phone still sent RTP to it, so a call now and then heard (and recorded) the wrong
stream or nothing.

A gateway therefore *leases* blocks of ports: an exclusive ``flock`` on one lock file per block
in a machine-wide directory, held for the gateway's life and released by the kernel when the
process ends, however it ends (no stale leases after a crash). Blocks lie on one grid
(multiples of :data:`BLOCK`) whatever the configured base, so two gateways configured
differently still agree on what a block is. A block is used only if every port in it can be
bound right now (another program may hold one). The default range (20000–32767) lies below
Linux's ephemeral ports (32768–60999), so a port the kernel hands to any client socket (sipp,
a database driver) never falls inside a gateway's span.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import socket
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from tawasul.voice.wire import RTP_PORTS_PER_WORKER

# One worker's block: its RTP span, then its SIP port, then one spare so blocks stay even
# (PJSIP puts RTP on even ports and RTCP on the odd one above).
BLOCK = RTP_PORTS_PER_WORKER + 2


class PortsUnavailable(RuntimeError):
    """The ports a gateway needs are held by another gateway or program."""


def lock_dir() -> Path:
    """Machine-wide, so every gateway of every checkout and user sees the same leases."""
    override = os.environ.get("TAWASUL_VOICE_PORT_LOCKS")
    return Path(override) if override else Path(tempfile.gettempdir()) / "tawasul-voice-ports"


def port_is_free(port: int) -> bool:
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
            sock.bind(("127.0.0.1", port))
        return True
    except OSError:
        return False


@dataclass
class PortLease:
    """Blocks of ports held by this process until :meth:`release` (or its exit)."""

    blocks: list[int] = field(default_factory=list)
    _files: list[IO[bytes]] = field(default_factory=list, repr=False)

    def release(self) -> None:
        for file in self._files:
            with contextlib.suppress(OSError):
                file.close()  # closing the descriptor drops the flock
        self._files.clear()
        self.blocks.clear()


def _lock(directory: Path, block: int) -> IO[bytes] | None:
    try:
        file = open(directory / f"{block}.lock", "ab")  # noqa: SIM115 - held for the lease's life
    except PermissionError:
        return None  # another user's lock file (0600 under Tawasul's umask): that block is theirs
    try:
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        file.close()
        return None
    return file


def lease_blocks(count: int, *, first: int, last: int) -> PortLease:
    """``count`` free blocks of :data:`BLOCK` ports between ``first`` and ``last``.

    Raises :class:`PortsUnavailable` (naming the range) rather than starting workers that
    would fail to bind, or share ports with another gateway.
    """
    directory = lock_dir()
    directory.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(OSError):
        directory.chmod(0o1777)  # other users' gateways lease here too
    lease = PortLease()
    block = -(-first // BLOCK) * BLOCK
    while len(lease.blocks) < count and block + BLOCK - 1 <= min(last, 65535):
        file = _lock(directory, block)
        if file is not None:
            if all(port_is_free(port) for port in range(block, block + BLOCK)):
                lease.blocks.append(block)
                lease._files.append(file)
            else:
                file.close()
        block += BLOCK
    if len(lease.blocks) < count:
        found = len(lease.blocks)
        lease.release()
        raise PortsUnavailable(
            f"voice gateway: {count} blocks of {BLOCK} UDP ports needed between {first} and "
            f"{last}, only {found} free (other gateways hold leases in {directory}); set "
            "TAWASUL_VOICE_RTP_BASE / TAWASUL_VOICE_PORTS_LAST to another range"
        )
    return lease


def rtp_port(block: int) -> int:
    return block


def sip_port(block: int) -> int:
    return block + RTP_PORTS_PER_WORKER
