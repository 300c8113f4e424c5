"""Settings of the voice gateway (environment variables, overridable in settings)."""

from __future__ import annotations

import os
from pathlib import Path

from django.conf import settings


def _int(name: str, default: int) -> int:
    return int(getattr(settings, name, os.environ.get(name, default)))


def data_dir() -> Path:
    """Prompts cache, recordings and the SIP front's files live under the data directory."""
    override = getattr(settings, "TAWASUL_VOICE_DIR", None)
    return Path(override) if override else Path(settings.DATA_DIR) / "voice"


# The SIP front's port (what callers and agent phones use). 0 = 5060 if free, else 5070.
SIP_PORT = _int("TAWASUL_VOICE_SIP_PORT", 0)
# Media workers behind the front.
# 8 workers take 16 callers (2 each, see docs/voice.md §1); an idle worker costs ~0.2 % of a
# core and ~30 MB, so the embedded default keeps the demo's live traffic from hearing "busy".
WORKERS = _int("TAWASUL_VOICE_WORKERS", 8)
WORKER_SLOTS = _int("TAWASUL_VOICE_WORKER_SLOTS", 2)
# Each worker leases a block of ports (its RTP span and its SIP port) between these two, so
# that gateways running side by side never share a port (tawasul/voice/ports.py). The default
# lies below Linux's ephemeral ports (32768-60999), which any client socket may be given.
RTP_BASE = _int("TAWASUL_VOICE_RTP_BASE", 20000)
PORTS_LAST = _int("TAWASUL_VOICE_PORTS_LAST", 32767 if RTP_BASE < 32768 else 65535)
# Seconds without RTP from a caller (once they sent some) before the gateway hangs up: a phone
# that died or lost its network sends no BYE. 0 = never. See docs/voice.md §3.
MEDIA_TIMEOUT = _int("TAWASUL_VOICE_MEDIA_TIMEOUT", 60)
# Digest realm of agent phones (part of the stored HA1).
REALM = getattr(settings, "TAWASUL_VOICE_REALM", os.environ.get("TAWASUL_VOICE_REALM", "tawasul"))
# Seconds an agent's phone may ring before the call goes back to the head of its queue.
RING_TIMEOUT = _int("TAWASUL_VOICE_RING_TIMEOUT", 15)
# Seconds between position / expected-wait announcements while queued.
ANNOUNCE_EVERY = _int("TAWASUL_VOICE_ANNOUNCE_EVERY", 30)
# Who the SIP front trusts (docs/voice.md "Who the SIP front trusts"). Callers' INVITEs are
# taken only from these sources (the carrier's trunk, a session border controller), as
# comma-separated ``address[/prefix][=asserted]``: ``=asserted`` says the peer vouches for the
# caller's number (P-Asserted-Identity or its From), any other peer's caller ID is shown as
# unverified and never linked to a resident. Default: this machine, for the embedded demo.
TRUSTED_PEERS = getattr(
    settings,
    "TAWASUL_VOICE_TRUSTED_PEERS",
    os.environ.get("TAWASUL_VOICE_TRUSTED_PEERS", "127.0.0.1=asserted"),
)
# Flood limit per source address (Kamailio pike): at most this many requests every
# FLOOD_WINDOW seconds from a source that is not a trusted peer, else it is blocked.
FLOOD_REQUESTS = _int("TAWASUL_VOICE_FLOOD_REQUESTS", 40)
FLOOD_WINDOW = _int("TAWASUL_VOICE_FLOOD_WINDOW", 2)
# Failed registrations (wrong password, unknown user, replayed credentials) from one address
# within AUTH_FAILURE_WINDOW seconds before the address is blocked for BLOCK_SECONDS.
AUTH_FAILURES = _int("TAWASUL_VOICE_AUTH_FAILURES", 10)
AUTH_FAILURE_WINDOW = _int("TAWASUL_VOICE_AUTH_FAILURE_WINDOW", 60)
BLOCK_SECONDS = _int("TAWASUL_VOICE_BLOCK_SECONDS", 300)
KAMAILIO = getattr(
    settings, "TAWASUL_VOICE_KAMAILIO", os.environ.get("TAWASUL_VOICE_KAMAILIO", "kamailio")
)
# Call-backs (tawasul/voice/callbacks.py): the outbound trunk as a SIP URI template with
# {number} (e.g. "sip:{number}@carrier.example:5060"); empty = call-backs are recorded, not dialled.
OUTBOUND_URI = getattr(
    settings, "TAWASUL_VOICE_OUTBOUND_URI", os.environ.get("TAWASUL_VOICE_OUTBOUND_URI", "")
)
# Tries per call-back request, seconds between tries, seconds the resident's phone may ring.
CALLBACK_ATTEMPTS = _int("TAWASUL_VOICE_CALLBACK_ATTEMPTS", 3)
CALLBACK_RETRY_SECONDS = _int("TAWASUL_VOICE_CALLBACK_RETRY_SECONDS", 600)
CALLBACK_RING_TIMEOUT = _int("TAWASUL_VOICE_CALLBACK_RING_TIMEOUT", 30)
