"""SSRF protection: which addresses newsdesk may connect to, checked after DNS resolution."""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import DefaultResolver

AddressPolicy = Callable[[str], bool]

_CGNAT = ipaddress.IPv4Network("100.64.0.0/10")
_THIS_NETWORK = ipaddress.IPv4Network("0.0.0.0/8")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_NUMERIC_HOST_CHARS = frozenset("0123456789abcdefxABCDEFX.")


class BlockedResolutionError(OSError):
    """Raised inside aiohttp's connector when a host resolves only to refused addresses."""


def _is_public_v4(addr: ipaddress.IPv4Address) -> bool:
    return not (
        addr in _CGNAT
        or addr in _THIS_NETWORK
        or addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def _is_public_v6(addr: ipaddress.IPv6Address) -> bool:
    # Addresses that embed an IPv4 address are judged by the address they actually reach.
    if addr.ipv4_mapped is not None:
        return _is_public_v4(addr.ipv4_mapped)
    if addr in _NAT64:
        return _is_public_v4(ipaddress.IPv4Address(int(addr) & 0xFFFFFFFF))
    if addr.sixtofour is not None:
        return _is_public_v4(addr.sixtofour)
    if addr.teredo is not None or addr in _NAT64_LOCAL:
        return False
    return not (
        addr.is_private
        or addr.is_loopback
        or addr.is_link_local
        or addr.is_site_local
        or addr.is_multicast
        or addr.is_reserved
        or addr.is_unspecified
        or not addr.is_global
    )


def is_public_address(ip: str) -> bool:
    """Return True if ``ip`` is a globally routable unicast address; False for anything else."""
    try:
        addr = ipaddress.ip_address(ip.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(addr, ipaddress.IPv4Address):
        return _is_public_v4(addr)
    return _is_public_v6(addr)


def literal_address(host: str) -> str | None:
    """Return the IP address a host names literally (any form getaddrinfo accepts), else None."""
    candidate = host.strip("[]").rstrip(".")
    try:
        return str(ipaddress.ip_address(candidate.split("%", 1)[0]))
    except ValueError:
        pass
    # Legacy numeric forms (2130706433, 0177.0.0.1, 0x7f.1) never reach a DNS server.
    if not candidate or not set(candidate) <= _NUMERIC_HOST_CHARS:
        return None
    if not any(ch.isdigit() for ch in candidate):
        return None
    try:
        return str(ipaddress.IPv4Address(socket.inet_aton(candidate)))
    except OSError:
        return None


class GuardedResolver(AbstractResolver):
    """Wraps aiohttp's default resolver and drops every address the policy refuses."""

    def __init__(self, policy: AddressPolicy = is_public_address) -> None:
        self._policy = policy
        self._inner: AbstractResolver | None = None

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        """Resolve ``host`` and keep only allowed addresses; refuse if none is left."""
        if self._inner is None:
            self._inner = DefaultResolver()
        results = await self._inner.resolve(host, port, family)
        allowed = [r for r in results if self._policy(r["host"])]
        if not allowed:
            refused = ", ".join(sorted({r["host"] for r in results}))
            raise BlockedResolutionError(f"{host} resolves to a non-public address ({refused})")
        return allowed

    async def close(self) -> None:
        """Close the wrapped resolver."""
        if self._inner is not None:
            await self._inner.close()
