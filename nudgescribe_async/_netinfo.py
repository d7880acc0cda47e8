"""The caller's IP for the ``x-ip`` audit header, found once and without sending traffic."""

from __future__ import annotations

import functools
import ipaddress
import socket

__all__ = ["outbound_ip"]

# A documentation-only address (RFC 5737): "connecting" a UDP socket to it only asks the
# kernel's routing table which local address would be used; no packet is sent.
_PROBE_ADDRESS = ("192.0.2.1", 9)


@functools.lru_cache(maxsize=8)
def outbound_ip(host: str | None) -> str:
    """Return the local address used to reach ``host``; loopback hosts give ``127.0.0.1``.

    No DNS lookup and no packet: a UDP ``connect`` only consults the routing table.
    Falls back to ``127.0.0.1`` when the machine has no route.
    """
    if _is_loopback(host):
        return "::1" if host in ("::1", "[::1]") else "127.0.0.1"
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(_PROBE_ADDRESS)
            address = probe.getsockname()[0]
    except OSError:
        return "127.0.0.1"
    return str(address)


def _is_loopback(host: str | None) -> bool:
    if host is None:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False
