"""The Fetcher against a real HTTP server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import gzip
import time
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from typing import Any

import brotli
import pytest

from fixture_server import FixtureServer
from newsdesk.fetch import (
    Fetcher,
    FetchError,
    FetchResult,
    FetchTimeoutError,
    HTTPStatusError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from newsdesk.fetch.client import parse_retry_after
from newsdesk.settings import Settings


def fetch(settings: Settings, url: str, **kwargs: Any) -> FetchResult:
    async def go() -> FetchResult:
        async with Fetcher(settings) as fetcher:
            return await fetcher.fetch(url, **kwargs)

    return asyncio.run(go())


def test_ok_body_and_headers(http_server: FixtureServer, settings: Settings) -> None:
    url = http_server.route(
        "/feed.xml",
        b"<rss/>",
        content_type="Application/RSS+XML; Charset=UTF-8",
        etag='"v1"',
        last_modified="Wed, 01 Jan 2025 00:00:00 GMT",
    )
    result = fetch(settings, url)
    assert (result.status, result.body, result.url) == (200, b"<rss/>", url)
    assert (result.content_type, result.charset) == ("application/rss+xml", "utf-8")
    assert result.etag == '"v1"'
    assert result.last_modified == "Wed, 01 Jan 2025 00:00:00 GMT"
    assert not result.not_modified


def test_user_agent_and_accept_sent(http_server: FixtureServer, settings: Settings) -> None:
    url = http_server.route("/ua", b"ok")
    fetch(settings.replace(user_agent="newsdesk-test/1.0"), url, accept="application/xml")
    (request,) = http_server.requests_to("/ua")
    assert request.headers["User-Agent"] == "newsdesk-test/1.0"
    assert request.headers["Accept"] == "application/xml"
    assert "br" in request.headers["Accept-Encoding"]


@pytest.mark.parametrize(
    ("etag", "last_modified"),
    [('"v1"', ""), ("", "Wed, 01 Jan 2025 00:00:00 GMT")],
)
def test_conditional_get_returns_304(
    http_server: FixtureServer, settings: Settings, etag: str, last_modified: str
) -> None:
    url = http_server.route(
        "/feed", b"body", etag='"v1"', last_modified="Wed, 01 Jan 2025 00:00:00 GMT"
    )
    result = fetch(settings, url, etag=etag, last_modified=last_modified)
    assert result.status == 304 and result.not_modified and result.body == b""
    (request,) = http_server.requests_to("/feed")
    assert request.headers.get("If-None-Match", "") == etag
    assert request.headers.get("If-Modified-Since", "") == last_modified


def test_redirects_followed_and_final_url_reported(
    http_server: FixtureServer, settings: Settings
) -> None:
    http_server.redirect("/a", http_server.url("/b"), status=301)
    http_server.redirect("/b", "/c?x=1", status=308)
    final = http_server.route("/c", b"done")
    result = fetch(settings, http_server.url("/a"))
    assert result.body == b"done"
    assert result.url == final + "?x=1"
    assert result.moved  # 301 then 308: moved for good
    http_server.redirect("/d", "/a", status=302)  # a temporary hop on the way
    assert not fetch(settings, http_server.url("/d")).moved
    assert not fetch(settings, final).moved  # no redirect at all


def test_redirect_loop_refused(http_server: FixtureServer, settings: Settings) -> None:
    http_server.redirect("/a", "/b")
    http_server.redirect("/b", "/a")
    with pytest.raises(TooManyRedirectsError, match="loop"):
        fetch(settings, http_server.url("/a"))


def test_too_long_redirect_chain_refused(http_server: FixtureServer, settings: Settings) -> None:
    for hop in range(5):
        http_server.redirect(f"/r{hop}", f"/r{hop + 1}")
    http_server.route("/r5", b"end")
    assert fetch(settings.replace(max_redirects=5), http_server.url("/r0")).body == b"end"
    with pytest.raises(TooManyRedirectsError, match="more than 4"):
        fetch(settings.replace(max_redirects=4), http_server.url("/r0"))


@pytest.mark.parametrize("target", ["file:///etc/passwd", "ftp://example.com/x", "gopher://x/"])
def test_redirect_to_other_scheme_refused(
    http_server: FixtureServer, settings: Settings, target: str
) -> None:
    http_server.redirect("/evil", target)
    with pytest.raises(UnsupportedSchemeError):
        fetch(settings, http_server.url("/evil"))


def test_non_http_url_refused(settings: Settings) -> None:
    with pytest.raises(UnsupportedSchemeError):
        fetch(settings, "file:///etc/passwd")


@pytest.mark.parametrize("status", [404, 410, 500, 502])
def test_error_status(http_server: FixtureServer, settings: Settings, status: int) -> None:
    http_server.error("/err", status)
    with pytest.raises(HTTPStatusError) as info:
        fetch(settings, http_server.url("/err"))
    assert info.value.status == status
    assert info.value.retry_after is None
    assert str(status) in str(info.value)


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds(http_server: FixtureServer, settings: Settings, status: int) -> None:
    http_server.error("/busy", status, retry_after="120")
    with pytest.raises(HTTPStatusError) as info:
        fetch(settings, http_server.url("/busy"))
    assert (info.value.status, info.value.retry_after) == (status, 120.0)


def test_retry_after_in_other_digits_is_ignored() -> None:
    # "²".isdigit() holds but float("²") raises: a hostile server's header failed the fetch.
    assert parse_retry_after("²") is None
    assert parse_retry_after(" 30 ") == 30.0


def test_retry_after_http_date(http_server: FixtureServer, settings: Settings) -> None:
    when = datetime.now(UTC) + timedelta(seconds=600)
    http_server.error("/busy", 429, retry_after=format_datetime(when, usegmt=True))
    with pytest.raises(HTTPStatusError) as info:
        fetch(settings, http_server.url("/busy"))
    assert info.value.retry_after is not None
    assert 590 <= info.value.retry_after <= 600


def test_slow_response_times_out_quickly(http_server: FixtureServer, settings: Settings) -> None:
    url = http_server.route("/slow", b"late", delay=5.0)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch(settings.replace(total_timeout=0.5), url)
    assert time.monotonic() - started < 2.0


def test_trickling_body_hits_total_deadline(http_server: FixtureServer, settings: Settings) -> None:
    url = http_server.route("/drip", b"x" * 100, trickle=True, trickle_interval=0.2)
    started = time.monotonic()
    with pytest.raises(FetchTimeoutError):
        fetch(settings.replace(total_timeout=0.7), url)
    assert time.monotonic() - started < 2.0


def test_never_answering_server_times_out(http_server: FixtureServer, settings: Settings) -> None:
    with pytest.raises(FetchTimeoutError, match=r"after 0\.5s"):
        fetch(settings.replace(total_timeout=0.5), http_server.hang("/never"))


def test_connection_refused_is_connect_error(settings: Settings) -> None:
    with FixtureServer() as server:
        url = server.url("/")
    with pytest.raises(FetchError) as info:
        fetch(settings, url)
    assert type(info.value).__name__ == "ConnectError"


@pytest.mark.parametrize("chunked", [False, True])
def test_oversized_body_without_length_refused(
    http_server: FixtureServer, settings: Settings, chunked: bool
) -> None:
    url = http_server.oversized("/big", 3_000_000, chunked=chunked)
    with pytest.raises(TooLargeError):
        fetch(settings.replace(max_body_bytes=1_000_000), url)


def test_declared_oversized_body_refused_before_reading(
    http_server: FixtureServer, settings: Settings
) -> None:
    url = http_server.oversized("/big", 2_000_000, content_length=2_000_000)
    with pytest.raises(TooLargeError, match="declares"):
        fetch(settings.replace(max_body_bytes=1_000_000), url)


def test_false_small_length_never_yields_more(
    http_server: FixtureServer, settings: Settings
) -> None:
    url = http_server.oversized("/liar", 2_000_000, content_length=100)
    try:
        result = fetch(settings.replace(max_body_bytes=1_000_000), url)
    except FetchError as exc:
        assert "\n" not in str(exc) and len(str(exc)) < 300
    else:
        assert len(result.body) <= 100


def test_compressed_length_does_not_bound_the_body(
    http_server: FixtureServer, settings: Settings
) -> None:
    url = http_server.route("/gz", b"x" * 2_000_000, encoding="gzip")
    with pytest.raises(TooLargeError, match="exceeds"):
        fetch(settings.replace(max_body_bytes=1_000_000), url)


def test_gzip_bomb_stopped(http_server: FixtureServer, settings: Settings) -> None:
    url = http_server.gzip_bomb("/bomb", size=64 << 20)
    with pytest.raises(TooLargeError):
        fetch(settings.replace(max_body_bytes=1_000_000), url)


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "br"])
def test_compressed_bodies_decoded(
    http_server: FixtureServer, settings: Settings, encoding: str
) -> None:
    body = b"<html>" + b"news " * 10_000 + b"</html>"
    url = http_server.route("/z", body, content_type="text/html", encoding=encoding)
    assert fetch(settings, url).body == body


def test_raw_deflate_and_concatenated_gzip(http_server: FixtureServer, settings: Settings) -> None:
    two_members = gzip.compress(b"one ") + gzip.compress(b"two")
    url = http_server.route("/g", two_members, headers={"Content-Encoding": "gzip"})
    assert fetch(settings, url).body == b"one two"
    raw = brotli.compress(b"brotli body")
    url = http_server.route("/b", raw, headers={"Content-Encoding": "br"})
    assert fetch(settings, url).text() == "brotli body"


GREEK = "Ειδήσεις της ημέρας"
RUSSIAN = "Новости дня: правительство объявило о новых мерах поддержки"


@pytest.mark.parametrize(
    ("body", "content_type", "charset", "expected"),
    [
        ("Größe €".encode("cp1252"), "text/html; charset=windows-1252", "windows-1252", "Größe €"),
        (
            b'<?xml version="1.0" encoding="ISO-8859-7"?><t>' + GREEK.encode("iso-8859-7"),
            "application/xml",
            "",
            GREEK,
        ),
        (
            b'<html><head><meta charset="koi8-r"></head>' + RUSSIAN.encode("koi8-r"),
            "text/html",
            "",
            RUSSIAN,
        ),
        (RUSSIAN.encode("cp1251"), "text/plain", "", RUSSIAN),
        ("\ufeffnews – UTF-8 with BOM".encode(), "", "", "news – UTF-8 with BOM"),
    ],
    ids=["header", "xml-declaration", "meta-charset", "detected", "bom"],
)
def test_charset_detection(
    http_server: FixtureServer,
    settings: Settings,
    body: bytes,
    content_type: str,
    charset: str,
    expected: str,
) -> None:
    url = http_server.route("/t", body, content_type=content_type or None)
    result = fetch(settings, url)
    assert result.charset == charset
    text = result.text()
    assert expected in text
    assert "\ufeff" not in text


def test_per_host_concurrency_limit(http_server: FixtureServer, settings: Settings) -> None:
    urls = [http_server.route(f"/slow/{i}", b"ok", delay=0.15) for i in range(6)]

    async def go() -> list[FetchResult]:
        async with Fetcher(settings.replace(max_connections_per_host=2)) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    assert all(r.body == b"ok" for r in asyncio.run(go()))
    assert http_server.max_concurrent("/slow/") == 2


def test_waiting_for_a_host_slot_does_not_count_against_the_deadline(
    http_server: FixtureServer, settings: Settings
) -> None:
    urls = [http_server.route(f"/queued/{i}", b"ok", delay=0.2) for i in range(6)]
    polite = settings.replace(max_connections_per_host=1, total_timeout=0.5)

    async def go() -> list[FetchResult]:
        async with Fetcher(polite) as fetcher:
            return await asyncio.gather(*(fetcher.fetch(u) for u in urls))

    # Six 0.2 s responses in a single queue take 1.2 s, yet each one is well within 0.5 s.
    assert [r.body for r in asyncio.run(go())] == [b"ok"] * 6
    assert http_server.max_concurrent("/queued/") == 1


ROBOTS = b"User-agent: *\nDisallow: /private/\n\nUser-agent: newsdesk\nDisallow: /no-newsdesk/\n"


def test_robots_disallow(http_server: FixtureServer, settings: Settings) -> None:
    http_server.route("/robots.txt", ROBOTS, content_type="text/plain")
    http_server.route("/no-newsdesk/page", b"page")
    http_server.route("/private/page", b"page")
    page = http_server.url("/no-newsdesk/page")

    async def go() -> None:
        async with Fetcher(settings) as fetcher:
            with pytest.raises(RobotsDisallowedError):
                await fetcher.fetch(page, check_robots=True)
            assert (await fetcher.fetch(page)).body == b"page"
            # The newsdesk group replaces the * group (RFC 9309 2.2.1).
            private = http_server.url("/private/page")
            assert (await fetcher.fetch(private, check_robots=True)).body == b"page"

    asyncio.run(go())
    assert http_server.count("/robots.txt") == 1
    assert http_server.count("/no-newsdesk/page") == 1


@pytest.mark.parametrize(("status", "allowed"), [(404, True), (403, True), (500, False)])
def test_robots_unavailable(
    http_server: FixtureServer, settings: Settings, status: int, allowed: bool
) -> None:
    http_server.error("/robots.txt", status)
    url = http_server.route("/page", b"page")

    async def go() -> None:
        async with Fetcher(settings) as fetcher:
            for _ in range(2):
                if allowed:
                    assert (await fetcher.fetch(url, check_robots=True)).body == b"page"
                else:
                    with pytest.raises(RobotsDisallowedError):
                        await fetcher.fetch(url, check_robots=True)

    asyncio.run(go())
    assert http_server.count("/robots.txt") == 1
