"""The Fetcher: newsdesk's only HTTP client, with every safety limit applied on every hop."""

from __future__ import annotations

import asyncio
import contextlib
import re
from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus

import aiohttp
from yarl import URL

from newsdesk.fetch.decompress import PIECE, Decoder, decoder_for
from newsdesk.fetch.errors import (
    BlockedAddressError,
    ConnectError,
    FetchError,
    FetchTimeoutError,
    HTTPStatusError,
    ProtocolError,
    RobotsDisallowedError,
    TooLargeError,
    TooManyRedirectsError,
    UnsupportedSchemeError,
)
from newsdesk.fetch.result import FetchResult
from newsdesk.fetch.robots import RobotsCache
from newsdesk.fetch.safety import (
    AddressPolicy,
    BlockedResolutionError,
    GuardedResolver,
    is_public_address,
    literal_address,
)
from newsdesk.settings import Settings

REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
PERMANENT_REDIRECTS = frozenset({301, 308})
ACCEPT_ENCODING = "gzip, deflate, br"
_CHARSET = re.compile(r"""charset\s*=\s*["']?([^"';\s]+)""", re.I)


def parse_retry_after(value: str, now: datetime | None = None) -> float | None:
    """Return the seconds a Retry-After value (delta-seconds or HTTP-date) asks to wait."""
    value = value.strip()
    if not value:
        return None
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


def _media_type(content_type: str) -> tuple[str, str]:
    """Split a Content-Type header into (media type, charset), both possibly empty."""
    media = content_type.split(";", 1)[0].strip().lower()
    match = _CHARSET.search(content_type)
    return media, (match.group(1).lower() if match else "")


class Fetcher:
    """Fetches URLs politely and safely; use one per event loop, as an async context manager.

    ``address_policy`` replaces :func:`is_public_address` as the test every destination address
    must pass when ``settings.allow_private_networks`` is off (tests use it to treat one loopback
    address as public).
    """

    def __init__(self, settings: Settings, *, address_policy: AddressPolicy | None = None) -> None:
        self._settings = settings
        self._policy: AddressPolicy | None = None
        if not settings.allow_private_networks:
            self._policy = address_policy or is_public_address
        self._session: aiohttp.ClientSession | None = None
        self._host_slots: dict[str, asyncio.Semaphore] = {}
        self._robots = RobotsCache(self._fetch_robots_txt)

    async def __aenter__(self) -> Fetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Close the underlying connection pool."""
        if self._session is not None:
            await self._session.close()
            self._session = None

    async def fetch(
        self,
        url: str,
        *,
        etag: str = "",
        last_modified: str = "",
        check_robots: bool = False,
        accept: str = "*/*",
    ) -> FetchResult:
        """Fetch ``url`` following redirects; raise a FetchError subclass on any failure."""
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        deadline = self._settings.total_timeout
        try:
            if check_robots:
                self._checked(url)
                refusal = await self._robots.refusal(url)
                if refusal is not None:
                    raise RobotsDisallowedError(f"not fetching {url}: {refusal}")
            return await self._follow(url, headers, _Budget(deadline))
        except FetchError:
            raise
        except TimeoutError as exc:
            raise FetchTimeoutError(f"gave up on {url} after {deadline:g}s") from exc
        except Exception as exc:
            raise FetchError(
                f"unexpected {type(exc).__name__} fetching {url}: {_brief(exc)}"
            ) from exc

    async def _fetch_robots_txt(self, url: str) -> FetchResult:
        budget = _Budget(self._settings.total_timeout)
        return await self._follow(url, {"Accept": "text/plain, */*;q=0.5"}, budget)

    async def _follow(self, url: str, headers: dict[str, str], budget: _Budget) -> FetchResult:
        current = self._checked(url)
        seen = {current}
        permanent: bool | None = None  # None until a redirect is followed
        for _ in range(self._settings.max_redirects + 1):
            outcome = await self._request(current, headers, budget)
            if isinstance(outcome, FetchResult):
                return replace(outcome, moved=True) if permanent else outcome
            location, for_good = outcome
            permanent = for_good if permanent is None else permanent and for_good
            try:
                target = current.join(URL(location))
            except (ValueError, TypeError) as exc:
                raise ProtocolError(
                    f"bad redirect Location {_brief(location)!r} from {current}"
                ) from exc
            current = self._checked(target)
            if current in seen:
                raise TooManyRedirectsError(f"redirect loop at {current} (from {url})")
            seen.add(current)
        limit = self._settings.max_redirects
        raise TooManyRedirectsError(f"more than {limit} redirects from {url}")

    def _checked(self, url: str | URL) -> URL:
        """Parse and vet one hop: http(s) only, and no literal non-public address."""
        try:
            parsed = URL(url) if isinstance(url, str) else url
        except (ValueError, TypeError) as exc:
            raise FetchError(f"invalid URL {_brief(url)!r}: {_brief(exc)}") from exc
        if parsed.scheme not in ("http", "https"):
            scheme = f"{parsed.scheme}: URL" if parsed.scheme else "URL without a scheme"
            raise UnsupportedSchemeError(f"refusing {scheme} {url}")
        host = parsed.raw_host
        if not host:
            raise FetchError(f"URL has no host: {url}")
        if self._policy is not None:
            # aiohttp never asks the resolver about IP literals, so they are vetted here.
            literal = literal_address(host)
            if literal is not None and not self._policy(literal):
                raise BlockedAddressError(f"refusing non-public address {literal} in {url}")
        return parsed.with_fragment(None)

    def _client(self) -> aiohttp.ClientSession:
        if self._session is None:
            s = self._settings
            connector = aiohttp.TCPConnector(
                limit=s.max_connections,
                limit_per_host=s.max_connections_per_host,
                resolver=GuardedResolver(self._policy) if self._policy is not None else None,
            )
            self._session = aiohttp.ClientSession(
                connector=connector,
                # Only the TCP/TLS handshake has its own limit; fetch() holds the overall deadline.
                timeout=aiohttp.ClientTimeout(total=None, sock_connect=s.connect_timeout),
                headers={"User-Agent": s.user_agent, "Accept-Encoding": ACCEPT_ENCODING},
                auto_decompress=False,
                cookie_jar=aiohttp.DummyCookieJar(),
                trust_env=False,
            )
        return self._session

    async def _request(
        self, target: URL, headers: dict[str, str], budget: _Budget
    ) -> FetchResult | tuple[str, bool]:
        """Make one request; return the result, or a redirect's Location and whether it is
        permanent.

        The deadline runs only while a request is under way: time spent queueing for a
        per-host slot behind other sources of the same host is politeness, not a slow server.
        """
        host = target.host or ""
        slot = self._host_slots.get(host)
        if slot is None:
            slot = self._host_slots[host] = asyncio.Semaphore(
                self._settings.max_connections_per_host
            )
        async with slot, budget.running():
            try:
                async with self._client().get(
                    target, headers=headers, allow_redirects=False
                ) as response:
                    return await self._response(target, response, headers)
            except FetchError:
                raise
            except (aiohttp.ClientError, OSError, ValueError) as exc:
                raise _translate(exc, target) from exc

    async def _response(
        self, target: URL, response: aiohttp.ClientResponse, sent: dict[str, str]
    ) -> FetchResult | tuple[str, bool]:
        status = response.status
        location = response.headers.get("Location", "")
        if status in REDIRECT_STATUSES and location:
            return location, status in PERMANENT_REDIRECTS
        media, charset = _media_type(response.headers.get("Content-Type", ""))
        etag = response.headers.get("ETag", "")
        last_modified = response.headers.get("Last-Modified", "")
        if status == 304:
            return FetchResult(
                url=str(target),
                status=304,
                body=b"",
                content_type=media,
                charset=charset,
                etag=etag or sent.get("If-None-Match", ""),
                last_modified=last_modified or sent.get("If-Modified-Since", ""),
            )
        if not 200 <= status < 300:
            raise _status_error(target, response)
        body = await self._read_body(target, response)
        return FetchResult(str(target), status, body, media, charset, etag, last_modified)

    async def _read_body(self, target: URL, response: aiohttp.ClientResponse) -> bytes:
        limit = self._settings.max_body_bytes
        encoding = response.headers.get("Content-Encoding", "").strip()
        declared = response.content_length
        if not encoding and declared is not None and declared > limit:
            raise TooLargeError(f"{target} declares {declared} bytes, over the {limit} limit")
        decoder: Decoder = decoder_for(encoding)
        parts: list[bytes] = []
        size = 0
        async for chunk in response.content.iter_chunked(PIECE):
            for piece in decoder.feed(chunk):
                size += len(piece)
                if size > limit:
                    raise TooLargeError(f"body of {target} exceeds the {limit} byte limit")
                parts.append(piece)
        for piece in decoder.finish():
            size += len(piece)
            if size > limit:
                raise TooLargeError(f"body of {target} exceeds the {limit} byte limit")
            parts.append(piece)
        return b"".join(parts)


class _Budget:
    """The seconds one fetch may still spend on the network, across all its hops."""

    def __init__(self, seconds: float) -> None:
        self.left = seconds

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        loop = asyncio.get_running_loop()
        started = loop.time()
        try:
            async with asyncio.timeout(max(0.0, self.left)):
                yield
        finally:
            self.left -= loop.time() - started


def _status_error(target: URL, response: aiohttp.ClientResponse) -> HTTPStatusError:
    status = response.status
    try:
        reason = response.reason or HTTPStatus(status).phrase
    except ValueError:
        reason = "unknown status"
    retry_after = None
    if status in (429, 503):
        retry_after = parse_retry_after(response.headers.get("Retry-After", ""))
    message = f"HTTP {status} {reason} from {target}"
    if retry_after is not None:
        message += f" (retry after {retry_after:g}s)"
    return HTTPStatusError(message, status=status, retry_after=retry_after)


def _brief(text: object, limit: int = 160) -> str:
    """First line of ``text``, shortened: error messages stay one readable line."""
    line = str(text).strip().splitlines()[0] if str(text).strip() else ""
    return line if len(line) <= limit else line[: limit - 3] + "..."


def _translate(exc: Exception, target: URL) -> FetchError:
    """Turn an aiohttp or socket exception into a FetchError with a one-line reason."""
    where = f"{target.host}:{target.port}"
    if isinstance(exc, aiohttp.ClientConnectorError):
        if isinstance(exc.os_error, BlockedResolutionError):
            return BlockedAddressError(f"refusing {target}: {exc.os_error}")
        if isinstance(exc, aiohttp.ClientConnectorDNSError):
            return ConnectError(f"could not resolve {target.host}")
        if isinstance(exc, aiohttp.ClientConnectorCertificateError):
            return ConnectError(
                f"TLS certificate of {where} rejected: {_brief(exc.certificate_error)}"
            )
    if isinstance(exc, TimeoutError):
        return FetchTimeoutError(f"timed out connecting to {where}")
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = _brief(exc.os_error.strerror or exc.os_error) or type(exc.os_error).__name__
        return ConnectError(f"could not connect to {where}: {reason}")
    if isinstance(exc, aiohttp.ServerDisconnectedError):
        return ConnectError(f"{where} closed the connection")
    if isinstance(exc, aiohttp.ClientSSLError):
        return ConnectError(f"TLS error with {where}: {_brief(exc)}")
    if isinstance(exc, aiohttp.ClientPayloadError):
        return ProtocolError(f"broken response body from {target}: {_brief(exc)}")
    if isinstance(exc, aiohttp.ClientResponseError):
        return ProtocolError(f"malformed response from {target}: {_brief(exc.message)}")
    if isinstance(exc, aiohttp.InvalidURL):
        return FetchError(f"invalid URL {target}")
    if isinstance(exc, OSError):
        return ConnectError(f"connection to {where} failed: {_brief(exc.strerror or exc)}")
    return FetchError(f"fetching {target} failed: {type(exc).__name__}: {_brief(exc)}")
