"""SSRF protection: address classification and refusals before any byte reaches the server.

The seam for per-hop tests is ``Fetcher(settings, address_policy=...)``: with private networks
disallowed, the policy replaces ``is_public_address``, so a test can declare 127.0.0.1 "public"
while every other loopback form stays blocked, and observe the check on a redirect hop.
"""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from fixture_server import FixtureServer
from newsdesk.fetch import BlockedAddressError, Fetcher, FetchResult, is_public_address
from newsdesk.fetch.safety import BlockedResolutionError, GuardedResolver, literal_address
from newsdesk.settings import Settings

BLOCKED = [
    "127.0.0.1",
    "127.8.9.10",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.0.1",
    "0.0.0.0",
    "0.1.2.3",
    "100.64.0.1",
    "100.127.255.254",
    "224.0.0.1",
    "239.255.255.250",
    "240.0.0.1",
    "255.255.255.255",
    "192.0.2.1",
    "198.18.0.1",
    "::1",
    "::",
    "fe80::1",
    "fe80::1%eth0",
    "fc00::1",
    "fd12:3456:789a::1",
    "ff02::1",
    "::ffff:127.0.0.1",
    "::ffff:10.0.0.1",
    "::ffff:169.254.169.254",
    "2002:7f00:1::",
    "2002:c0a8:101::1",
    "64:ff9b::7f00:1",
    "64:ff9b::a00:1",
    "64:ff9b:1::1",
    "2001::1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2001:db8::1",
    "::127.0.0.1",
    "not an address",
    "",
]
ALLOWED = [
    "8.8.8.8",
    "1.1.1.1",
    "93.184.216.34",
    "172.32.0.1",
    "100.128.0.1",
    "2001:4860:4860::8888",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",
    "2002:808:808::1",
    "64:ff9b::808:808",
]


@pytest.mark.parametrize("ip", BLOCKED)
def test_blocked_addresses(ip: str) -> None:
    assert not is_public_address(ip)


@pytest.mark.parametrize("ip", ALLOWED)
def test_public_addresses(ip: str) -> None:
    assert is_public_address(ip)


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0177.0.0.1", "127.0.0.1"),
        ("0x7f.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("127.0.0.1.", "127.0.0.1"),
        ("[::1]", "::1"),
        ("::ffff:7f00:1", "::ffff:7f00:1"),
        ("example.com", None),
        ("cafe", None),
    ],
)
def test_literal_address(host: str, address: str | None) -> None:
    assert literal_address(host) == address


@pytest.fixture
def strict(settings: Settings) -> Settings:
    return settings.replace(allow_private_networks=False)


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings, **kwargs) as fetcher:
            return await fetcher.fetch(url)

    return asyncio.run(go())


@pytest.mark.parametrize(
    "host",
    ["127.0.0.1", "localhost", "[::1]", "2130706433", "0177.0.0.1", "0x7f.1", "[::ffff:127.0.0.1]"],
)
def test_private_destinations_refused(
    http_server: FixtureServer, strict: Settings, host: str
) -> None:
    http_server.route("/", b"secret")
    with pytest.raises(BlockedAddressError):
        fetch(strict, f"http://{host}:{http_server.port}/")
    assert http_server.requests == []


def test_refusal_can_be_lifted(http_server: FixtureServer, settings: Settings) -> None:
    http_server.route("/", b"ok")
    assert fetch(settings, f"http://localhost:{http_server.port}/").body == b"ok"


def test_resolver_drops_refused_addresses() -> None:
    async def go(resolver: GuardedResolver) -> list[str]:
        try:
            return [r["host"] for r in await resolver.resolve("localhost", 80)]
        finally:
            await resolver.close()

    with pytest.raises(BlockedResolutionError, match="non-public"):
        asyncio.run(go(GuardedResolver()))
    assert asyncio.run(go(GuardedResolver(lambda ip: ip == "127.0.0.1"))) == ["127.0.0.1"]


def only_127_0_0_1(ip: str) -> bool:
    return ip == "127.0.0.1"


def test_policy_seam_allows_first_hop(http_server: FixtureServer, strict: Settings) -> None:
    url = http_server.route("/ok", b"ok")
    assert fetch(strict, url, address_policy=only_127_0_0_1).body == b"ok"
    # The resolver applies the same policy to names: localhost keeps only 127.0.0.1.
    named = f"http://localhost:{http_server.port}/ok"
    assert fetch(strict, named, address_policy=only_127_0_0_1).body == b"ok"


@pytest.mark.parametrize("target", ["127.0.0.2", "[::1]", "0x7f.0.0.2", "169.254.169.254"])
def test_redirect_to_blocked_address_refused(
    http_server: FixtureServer, strict: Settings, target: str
) -> None:
    http_server.redirect("/go", f"http://{target}:{http_server.port}/internal")
    http_server.route("/internal", b"secret")
    with pytest.raises(BlockedAddressError):
        fetch(strict, http_server.url("/go"), address_policy=only_127_0_0_1)
    assert [r.path for r in http_server.requests] == ["/go"]
