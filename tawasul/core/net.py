"""The client's address, the one way every part of Tawasul reads it.

Per-address limits (sign-in back-off, the portal's rate limits) and the logs key on it, so it
must not be something the client chooses. ``X-Forwarded-For`` is a header anybody can write:
it is read only when the direct peer (``REMOTE_ADDR``) is one of the reverse proxies the
operator listed in ``TAWASUL_TRUSTED_PROXIES`` (addresses or CIDR networks). Then the header is
walked from the right, skipping our own proxies, and the first address that is not one of them
is the client: everything left of it was written by someone we do not trust.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def trusted_proxies() -> tuple[Network, ...]:
    """The configured proxies as networks (a bare address is a /32 or /128)."""
    return _networks(tuple(getattr(settings, "TAWASUL_TRUSTED_PROXIES", ()) or ()))


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:5060"
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)
    return mapped or address


def _is_trusted(address, networks: tuple[Network, ...]) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address for limits and logs, or None when there is no request."""
    if request is None:
        return None
    peer = _address(request.META.get("REMOTE_ADDR") or "")
    if peer is None:
        return None
    networks = trusted_proxies()
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    client = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            # Garbage in the chain: stop at the last address a trusted proxy vouched for.
            break
        client = address
        if not _is_trusted(address, networks):
            break
    return str(client)
