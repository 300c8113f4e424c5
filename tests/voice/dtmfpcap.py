"""Write a pcap of RFC 4733 telephone-events for a digit string (what sipp's
``play_pcap_audio`` sends to the gateway's RTP port, as a desk phone would)."""

from __future__ import annotations

import random
import struct
from pathlib import Path

EVENTS = {**{str(d): d for d in range(10)}, "*": 10, "#": 11}
PAYLOAD_TYPE = 101  # the telephone-event type offered in scenarios/caller.xml


def _udp_packet(payload: bytes) -> bytes:
    # Ethernet + IPv4 + UDP around the RTP payload; sipp reads only the UDP payload.
    udp = struct.pack("!HHHH", 10000, 10000, 8 + len(payload), 0) + payload
    ip = struct.pack(
        "!BBHHHBBH4s4s",
        0x45,
        0,
        20 + len(udp),
        0,
        0,
        64,
        17,
        0,
        bytes([10, 0, 0, 1]),
        bytes([10, 0, 0, 2]),
    )
    return b"\x00" * 12 + b"\x08\x00" + ip + udp


def write_dtmf_pcap(path: Path, digits: str, *, gap_ms: int = 300) -> Path:
    """Each digit: 160 ms of event packets every 20 ms, three end packets, then a gap."""
    out = [struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1)]
    # A fresh sequence and timestamp base per file: the receiver must not take a second
    # file's first digit for a repeat of the last event it heard.
    seq, clock_ms, timestamp = random.randint(1, 30000), 0, random.randint(1, 2**30)
    for digit in digits:
        event = EVENTS[digit]
        for step in range(1, 12):
            end = step > 8
            duration = min(step, 8) * 160
            rtp = struct.pack(
                "!BBHII",
                0x80,
                PAYLOAD_TYPE | (0x80 if step == 1 else 0),
                seq,
                timestamp,
                0x1234ABCD,
            )
            rtp += struct.pack("!BBH", event, (0x80 if end else 0) | 10, duration)
            packet = _udp_packet(rtp)
            at = clock_ms + min(step, 8) * 20
            out.append(
                struct.pack("<IIII", at // 1000, (at % 1000) * 1000, len(packet), len(packet))
            )
            out.append(packet)
            seq += 1
        clock_ms += 160 + gap_ms
        timestamp += (160 + gap_ms) * 8
    path.write_bytes(b"".join(out))
    return path
