"""Real SIP peers for the live simulator: residents who call hotlines and agents' desk phones.

Two long-lived ``sipp`` processes (Debian's sip-tester) do all the SIP, however many calls are
in flight, so the demo machine runs two SIP peers rather than one per call:

* ``Residents`` — one sipp whose scenario (``scenarios/residents.xml``, filled in here) starts
  a call each time the simulator sends it a SIP ``MESSAGE`` naming the call: Call-ID, hotline,
  caller number, and up to ``KEY_SLOTS`` keys with the pause before each. The call sends a real
  INVITE to the gateway's SIP front (``-rsa``), types the keys as RFC 4733 telephone-events (a
  pcap per key and slot, as a desk phone sends them) and then waits in line. It ends when the
  gateway hangs up (the agent said goodbye, or the flow ended), or when the simulator sends it a
  ``NOTIFY``: the resident ran out of patience and hangs up (a real BYE while queued, which
  the gateway records as abandoned). The Call-ID is the simulator's, so the gateway's
  Interaction (``external_id`` = Call-ID) is the simulator's call, with no guessing.
* ``AgentPhones`` — one sipp UAS on one port that every simulated agent's account registers
  to the gateway (digest auth, ``scenarios/register.xml``) as its contact. It rings for
  ``RING_MS``, answers, echoes RTP (so the recording carries sound both ways), talks for a
  handle time drawn from the traffic model, and hangs up. A call cancelled while it rings
  (the resident gave up) gets the usual 487.

Why a cue message for "hang up now" rather than a timer inside sipp: a resident hangs up only
if nobody answered before their patience ran out, and only the simulator (which reads the
gateway's Interaction) knows whether an agent has answered; the caller's SIP dialog does not
change when the gateway bridges it to an agent.
"""

from __future__ import annotations

import contextlib
import ctypes
import random
import shutil
import signal
import socket
import struct
import subprocess
import tempfile
import threading
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

SCENARIOS = Path(__file__).parent / "scenarios"
KEY_SLOTS = 4  # keys one call can type (language, menu, and two more)
KEYS = "0123456789*#"
RING_MS = 1500  # an agent picks up after a short ring
DTMF_PAYLOAD = 101  # the telephone-event payload type residents.xml offers


def sipp_available() -> bool:
    return shutil.which("sipp") is not None


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def free_rtp_port() -> int:
    """An even port with its RTCP neighbour free (sipp's media port)."""
    for _ in range(50):
        port = free_udp_port() & ~1
        socks = [socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for _ in range(2)]
        try:
            for offset, sock in enumerate(socks):
                sock.bind(("127.0.0.1", port + offset))
            return port
        except OSError:
            continue
        finally:
            for sock in socks:
                sock.close()
    raise RuntimeError("no free RTP port")


def udp_port_bound(port: int) -> bool:
    """True when some process has bound UDP ``port`` on 127.0.0.1 (Linux /proc/net/udp)."""
    local = f"0100007F:{port:04X}"
    with contextlib.suppress(OSError), open("/proc/net/udp") as table:
        return any(line.split()[1] == local for line in list(table)[1:])
    return False


def gateway_alive(host: str, port: int, *, timeout: float = 1.5) -> bool:
    """True when something answers a SIP OPTIONS on ``host:port`` (the gateway's front)."""
    call_id = uuid.uuid4().hex
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind(("127.0.0.1", 0))
        sock.settimeout(timeout)
        local = sock.getsockname()[1]
        probe = (
            f"OPTIONS sip:{host}:{port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bK{call_id[:16]}\r\n"
            f"From: <sip:simulator@127.0.0.1>;tag={call_id[:8]}\r\nTo: <sip:{host}>\r\n"
            f"Call-ID: {call_id}@simulator\r\nCSeq: 1 OPTIONS\r\nMax-Forwards: 5\r\n"
            "Content-Length: 0\r\n\r\n"
        )
        try:
            sock.sendto(probe.encode(), (host, port))
            data, _ = sock.recvfrom(4096)
        except OSError:  # timeout, or ICMP port unreachable on loopback
            return False
    return data.startswith(b"SIP/2.0 ")


# --------------------------------------------------------------------------------------------
# RFC 4733 telephone-events as pcap files (what sipp's play_pcap_audio sends)

DTMF_EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}


def _udp_frame(payload: bytes) -> bytes:
    # Ethernet + IPv4 + UDP around an RTP payload; sipp replays only the UDP payload.
    udp = struct.pack("!HHHH", 10000, 10000, 8 + len(payload), 0) + payload
    ip = struct.pack(
        "!BBHHHBBH4s4s", 0x45, 0, 20 + len(udp), 0, 0, 64, 17, 0, b"\n\0\0\1", b"\n\0\0\2"
    )
    return b"\x00" * 12 + b"\x08\x00" + ip + udp


# Sequence numbers of telephone-events: each file numbers its packets after the last file's,
# with a gap. Why not a random start per file: PJSIP's sequence check drops an event packet
# numbered up to ~100 behind the last one it saw as "out of order", and the key is lost. A
# caller's keys come from several files, and sipp also streams the caller's voice with its own
# SSRC from sequence 0 (50 packets a second), interleaved with these. Tried on the gateway: keys
# numbered 2-80 were lost a second into a call, 150 and up were heard; with a random start in
# 1-30000 for each file that was about one key in 250, and the live residents, who reused one
# file per key, lost every second press of the same key. So: always forward, and far above the
# voice (40000 is 13 minutes into a call); the wrap back to 40000 is a jump of 25000, which
# PJSIP takes as a new stream, not as a late packet.
_DTMF_SEQ_FIRST, _DTMF_SEQ_LAST = 40000, 65000
_dtmf_seq = random.randint(_DTMF_SEQ_FIRST, _DTMF_SEQ_LAST)
_dtmf_seq_lock = threading.Lock()


def _dtmf_sequence(packets: int) -> int:
    """The first sequence number for a file of ``packets`` telephone-event packets."""
    global _dtmf_seq
    with _dtmf_seq_lock:
        if _dtmf_seq + packets > _DTMF_SEQ_LAST:
            _dtmf_seq = _DTMF_SEQ_FIRST
        first = _dtmf_seq
        _dtmf_seq += packets + 200
        return first


def write_dtmf_pcap(path: Path, digits: str, *, gap_ms: int = 300) -> Path:
    """A pcap of RFC 4733 events for ``digits``: per digit 160 ms of event packets every
    20 ms, three end packets, then ``gap_ms`` of silence. Files written one after the other
    may be played one after the other in a call (see ``_dtmf_sequence``)."""
    frames = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    # A fresh timestamp per file: the receiver must not take the first digit of the next file
    # for a repeat of the event it has just heard.
    seq, at_ms, stamp = _dtmf_sequence(11 * len(digits)), 0, random.randint(1, 2**30)
    for digit in digits:
        for step in range(1, 12):
            marker = 0x80 if step == 1 else 0
            end = 0x80 if step > 8 else 0
            rtp = struct.pack("!BBHII", 0x80, DTMF_PAYLOAD | marker, seq, stamp, 0x51E0CA11)
            rtp += struct.pack("!BBH", DTMF_EVENTS[digit], end | 10, min(step, 8) * 160)
            frame = _udp_frame(rtp)
            when = at_ms + min(step, 8) * 20
            frames.append(
                struct.pack("<IIII", when // 1000, when % 1000 * 1000, len(frame), len(frame))
            )
            frames.append(frame)
            seq += 1
        at_ms += 160 + gap_ms
        stamp += (160 + gap_ms) * 8
    path.write_bytes(b"".join(frames))
    return path


# --------------------------------------------------------------------------------------------
# What a resident presses: read from the hotline's IVR flow (the same data the gateway runs)


@dataclass(frozen=True)
class Plan:
    """The keys of one call and what the resident is after: an agent (wait in line), or a
    recorded answer (listen, then hang up after ``listen_s``), or a call-back (after hours)."""

    keys: tuple[Key, ...]
    wants_agent: bool
    listen_s: float = 0.0


def plan_call(
    *,
    flow: dict,
    languages: list[str],
    language: str,
    is_open: bool,
    rng: random.Random,
    self_service: float = 0.15,
) -> Plan:
    """Walk ``flow`` as a resident who speaks ``language`` would: pick the language by its
    position in the hotline's list (``1`` = first), then at each menu a self-service
    recording with probability ``self_service`` when the menu offers one, else an option that
    leads to an agent. After hours the resident asks for a call-back (key 1)."""
    nodes = flow["nodes"]

    def think(node: dict | None = None) -> int:
        # Listening before pressing: late enough that the gateway is reading keys for this
        # node (it keeps one typed-ahead key, not two), early enough to barge in on the
        # prompt or to beat a short timeout after it.
        latest = min(4800, 1000 * float((node or {}).get("timeout", 5)) + 1000)
        return int(rng.uniform(2000, max(2500, latest)))

    if not is_open:
        return Plan((Key("1", think()),), wants_agent=False)
    keys: list[Key] = []
    name = flow["start"]
    for _ in range(20):  # flows are validated to end in a queue, hang-up or call-back
        node = nodes.get(name, {})
        kind = node.get("type")
        if kind == "play":
            name = node["next"]
        elif kind == "language":
            offered = languages[:9]
            digit = str(offered.index(language) + 1) if language in offered else "1"
            keys.append(Key(digit, think(node)))
            name = node["next"]
        elif kind == "menu":
            options = {str(k): v for k, v in node["options"].items()}
            recorded = [
                d for d, t in options.items() if nodes.get(t, {}).get("type") == "procedure"
            ]
            agents = [d for d, t in options.items() if _reaches_queue(nodes, t)]
            if recorded and (rng.random() < self_service or not agents):
                keys.append(Key(rng.choice(recorded), think(node)))
                return Plan(tuple(keys[:KEY_SLOTS]), wants_agent=False, listen_s=20.0)
            if not agents:
                break
            digit = rng.choice(agents)
            keys.append(Key(digit, think(node)))
            name = options[digit]
        elif kind == "queue":
            return Plan(tuple(keys[:KEY_SLOTS]), wants_agent=True)
        else:
            break
    return Plan(tuple(keys[:KEY_SLOTS]), wants_agent=False, listen_s=15.0)


def _reaches_queue(nodes: dict, name: str, depth: int = 4) -> bool:
    """True when ``name`` is a queue or plays straight into one (no further key needed)."""
    for _ in range(depth):
        node = nodes.get(name, {})
        if node.get("type") == "queue":
            return True
        if node.get("type") != "play":
            return False
        name = node["next"]
    return False


# --------------------------------------------------------------------------------------------
# Processes


def _die_with_parent() -> None:
    """In the child, before exec: SIGTERM when the simulator dies, even by SIGKILL, so no
    orphaned sipp keeps calls or registrations open (Linux ``PR_SET_PDEATHSIG``)."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: stop() still ends it
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)


class SippProcess:
    """One sipp child with its logs in ``workdir``; ``stop()`` ends it (SIGTERM, then KILL)."""

    def __init__(self, args: list[str], workdir: Path, name: str) -> None:
        self.name = name
        self.errors = workdir / f"{name}-errors.log"
        self.stderr = workdir / f"{name}-stderr.log"
        with open(self.stderr, "wb") as err:
            self.proc = subprocess.Popen(
                ["sipp", *args, "-nostdin", "-trace_err", "-error_file", str(self.errors)],
                stdout=subprocess.DEVNULL,
                stderr=err,
                preexec_fn=_die_with_parent,
            )

    def alive(self) -> bool:
        return self.proc.poll() is None

    def wait_listening(self, port: int, *, timeout: float = 10.0) -> bool:
        """Wait until sipp has bound its SIP port: it loads every pcap of its scenario first,
        and a cue sent before then is lost. Read from /proc (binding the port to try it
        could take it from sipp). False if sipp died or did not bind in time."""
        deadline = time.monotonic() + timeout
        while self.alive() and time.monotonic() < deadline:
            if udp_port_bound(port):
                return True
            time.sleep(0.05)
        return False

    def last_words(self, lines: int = 5) -> str:
        """Exit code and the end of what it wrote: for the log when a peer stopped."""
        said = []
        for path in (self.stderr, self.errors):
            if path.exists():
                said += [
                    line.strip()
                    for line in path.read_text(errors="replace").splitlines()
                    if line.strip() and "pcap" not in line and "max pkt" not in line
                ][-lines:]
        return f"{self.name} exited with {self.proc.poll()}: " + " | ".join(said[-lines:])

    def wait(self, timeout: float) -> int:
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.stop()
            return -1

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)


@dataclass(frozen=True)
class Key:
    """One key a resident presses, after listening for ``wait_ms``."""

    digit: str
    wait_ms: int


def key_pcaps(workdir: Path) -> list[dict[str, Path]]:
    """A pcap for every key in every slot: a slot's keys numbered after the slot before's, so
    a resident who presses the same key twice (1 for Arabic, then 1 in the menu) sends a
    second key and not a repeat of the first, which the gateway would drop."""
    return [
        {d: write_dtmf_pcap(workdir / f"key-{slot}-{KEYS.index(d)}.pcap", d) for d in KEYS}
        for slot in range(1, KEY_SLOTS + 1)
    ]


def residents_scenario(*, gateway: str, pcaps: list[dict[str, Path]]) -> str:
    """The residents' scenario with the gateway address and the key pcaps (``key_pcaps``)
    filled in."""
    tests, slots = [], []
    for slot in range(1, KEY_SLOTS + 1):
        tests.append(
            f'      <ereg regexp="[^ ]+" search_in="hdr" header="X-Key{slot}:" '
            f'assign_to="k{slot}"/>\n'
            f'      <ereg regexp="[0-9]+" search_in="hdr" header="X-Wait{slot}:" '
            f'assign_to="w{slot}s"/>\n'
            f'      <todouble assign_to="w{slot}" variable="w{slot}s"/>'
        )
        jumps, plays = [], []
        for n, digit in enumerate(KEYS):
            tests.append(
                f'      <strcmp assign_to="c{slot}_{n}" variable="k{slot}" value="{digit}"/>\n'
                f'      <test assign_to="t{slot}_{n}" variable="c{slot}_{n}" compare="equal" '
                'value="0"/>'
            )
            jumps.append(f'  <nop next="s{slot}_{n}" test="t{slot}_{n}"/>')
            pcap = pcaps[slot - 1][digit]
            plays.append(
                f'  <label id="s{slot}_{n}"/>\n'
                f'  <nop><action><exec play_pcap_audio="{pcap}"/></action></nop>\n'
                '  <pause milliseconds="700"/>\n'
                f'  <nop next="s{slot}_done"/>'
            )
        slots.append(
            f'  <pause variable="w{slot}"/>\n'
            + "\n".join(jumps)
            + f'\n  <nop next="s{slot}_done"/>\n'
            + "\n".join(plays)
            + f'\n  <label id="s{slot}_done"/>'
        )
    text = (SCENARIOS / "residents.xml").read_text()
    return (
        text.replace("GATEWAY", gateway)
        .replace("<!--KEY_TESTS-->", "\n".join(tests))
        .replace("<!--KEY_STEPS-->", "\n".join(slots))
    )


class Residents:
    """The callers: one sipp that places a call for every ``place()`` (see the module doc)."""

    def __init__(self, *, host: str, port: int, workdir: Path) -> None:
        self.gateway = (host, port)
        self.workdir = workdir
        self.port = free_udp_port()
        pcaps = key_pcaps(workdir)
        scenario = workdir / "residents.xml"
        self.refused_log = workdir / "refused.log"
        self.refused_log.touch()
        text = residents_scenario(gateway=f"{host}:{port}", pcaps=pcaps)
        scenario.write_text(text.replace("REFUSED_LOG", str(self.refused_log)))
        self._refused_read = 0
        self.sipp = SippProcess(
            [
                "-sf",
                str(scenario),
                "-i",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-mp",
                str(free_rtp_port()),
                "-rsa",
                f"{host}:{port}",
                "-max_recv_loops",
                "1000",
            ],
            workdir,
            "residents",
        )
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.bind(("127.0.0.1", 0))
        self.seq = 0
        self.sipp.wait_listening(self.port)

    def _send(self, method: str, call_id: str, headers: dict[str, str]) -> None:
        self.seq += 1
        local = self.sock.getsockname()[1]
        extra = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        message = (
            f"{method} sip:resident@127.0.0.1:{self.port} SIP/2.0\r\n"
            f"Via: SIP/2.0/UDP 127.0.0.1:{local};branch=z9hG4bKsim{self.seq}\r\n"
            f"From: <sip:simulator@127.0.0.1>;tag=sim{self.seq}\r\n"
            f"To: <sip:resident@127.0.0.1>\r\nCall-ID: {call_id}\r\nCSeq: 1 {method}\r\n"
            f"{extra}Content-Length: 0\r\n\r\n"
        )
        self.sock.sendto(message.encode(), ("127.0.0.1", self.port))

    def place(self, *, call_id: str, hotline: str, caller: str, keys: Iterable[Key]) -> None:
        """Dial ``hotline`` from ``caller`` and type ``keys`` (at most ``KEY_SLOTS``)."""
        keys = list(keys)[:KEY_SLOTS]
        headers = {"X-Hotline": hotline, "X-Caller": caller}
        for slot in range(1, KEY_SLOTS + 1):
            key = keys[slot - 1] if slot <= len(keys) else Key("-", 0)
            headers[f"X-Key{slot}"] = key.digit
            headers[f"X-Wait{slot}"] = str(max(0, int(key.wait_ms)))
        self._send("MESSAGE", call_id, headers)

    def refused(self) -> dict[str, str]:
        """Call-ID -> SIP status of the calls the gateway refused since the last look."""
        with open(self.refused_log, encoding="utf-8", errors="replace") as f:
            f.seek(self._refused_read)
            lines = f.readlines()
            self._refused_read = f.tell()
        return dict(line.split(" ", 1) for line in (x.strip() for x in lines) if " " in line)

    def hang_up(self, call_id: str) -> None:
        """The resident hangs up (BYE to the gateway)."""
        self._send("NOTIFY", call_id, {"Event": "hangup"})

    def alive(self) -> bool:
        return self.sipp.alive()

    def stop(self) -> None:
        self.sipp.stop()
        self.sock.close()


class AgentPhones:
    """The agents' desk phones: one sipp UAS that answers for every registered account."""

    def __init__(self, *, host: str, port: int, workdir: Path, handle_ms: list[int]) -> None:
        self.gateway = (host, port)
        self.workdir = workdir
        self.port = free_udp_port()
        talk = workdir / "talk.csv"
        talk.write_text("SEQUENTIAL\n" + "".join(f"{max(1000, ms)};\n" for ms in handle_ms))
        scenario = workdir / "phones.xml"
        scenario.write_text((SCENARIOS / "phones.xml").read_text().replace("RING_MS", str(RING_MS)))
        self.sipp = SippProcess(
            [
                "-sf",
                str(scenario),
                "-inf",
                str(talk),
                "-i",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-mp",
                str(free_rtp_port()),
                "-rtp_echo",
                "-max_recv_loops",
                "1000",
            ],
            workdir,
            "phones",
        )

    def register(self, accounts: dict[str, str], *, expires: int = 600) -> set[str]:
        """Register ``{sip user: password}`` with this phone as contact; the users that the
        gateway accepted (one short sipp run per account, so one refusal stays one)."""
        ok = set()
        for user, password in accounts.items():
            csv = self.workdir / f"register-{user}.csv"
            csv.write_text(f"SEQUENTIAL\n{user};{self.port};{expires}\n")
            sipp = SippProcess(
                [
                    "-sf",
                    str(SCENARIOS / "register.xml"),
                    "-inf",
                    str(csv),
                    "-au",
                    user,
                    "-ap",
                    password,
                    "-i",
                    "127.0.0.1",
                    "-p",
                    str(free_udp_port()),
                    "-m",
                    "1",
                    "-timeout",
                    "6s",
                    "-timeout_error",
                    f"{self.gateway[0]}:{self.gateway[1]}",
                ],
                self.workdir,
                f"register-{user}",
            )
            if sipp.wait(15) == 0:
                ok.add(user)
        return ok

    def alive(self) -> bool:
        return self.sipp.alive()

    def stop(self) -> None:
        self.sipp.stop()


def workdir(base: Path) -> Path:
    """A fresh directory under ``base`` for the scenarios, pcaps and sipp logs of one run; only
    the two previous runs' directories are kept (to read why a peer stopped)."""
    base.mkdir(parents=True, exist_ok=True)
    for old in sorted(base.glob("run-*"), key=lambda p: p.stat().st_mtime)[:-2]:
        shutil.rmtree(old, ignore_errors=True)
    return Path(tempfile.mkdtemp(prefix="run-", dir=base))
