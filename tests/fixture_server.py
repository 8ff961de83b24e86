"""A real HTTP server on 127.0.0.1 for tests: register routes, then assert on what was requested.

server.route("/feed.xml", body=b"<rss/>", content_type="application/rss+xml", etag='"v1"')
server.redirect("/old", "/feed.xml")
server.url("/old")                   # "http://127.0.0.1:PORT/old"
server.count("/feed.xml")            # requests received for that path
server.max_concurrent("/slow/")      # most requests under that prefix in flight at once
"""

from __future__ import annotations

import gzip
import sys
import threading
import time
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from email.message import Message
from functools import lru_cache
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from urllib.parse import urlsplit

import brotli

AUTO = -1  # content_length: send the true length


@dataclass
class RecordedRequest:
    """One request as the server saw it; ``headers`` is case-insensitive."""

    method: str
    path: str
    target: str
    headers: Message
    started: float
    ended: float | None = None


@dataclass(frozen=True)
class Reply:
    """What a handler callable returns."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)


Handler = Callable[[RecordedRequest], Reply]


@dataclass(frozen=True)
class Route:
    body: bytes = b""
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay: float = 0.0
    trickle: bool = False
    trickle_interval: float = 0.5
    encoding: str = ""
    content_length: int | None = AUTO
    chunked: bool = False
    handler: Handler | None = None
    stream: Callable[[], Iterable[bytes]] | None = None
    hang: bool = False


def _encode(body: bytes, encoding: str) -> bytes:
    if encoding == "gzip":
        return gzip.compress(body)
    if encoding == "deflate":
        return zlib.compress(body)
    if encoding == "br":
        return bytes(brotli.compress(body))
    return body


@lru_cache(maxsize=4)
def gzip_bomb_bytes(size: int) -> bytes:
    """Return gzip data that inflates to ``size`` zero bytes (about 1000:1)."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS | 16)
    block = bytes(1 << 20)
    parts = [compressor.compress(block) for _ in range(size >> 20)]
    parts.append(compressor.compress(bytes(size & ((1 << 20) - 1))))
    parts.append(compressor.flush())
    return b"".join(parts)


class _RequestHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def _serve(self) -> None:
        fixture = self.server.fixture
        record = fixture._record(self)
        try:
            self._respond(fixture, record)
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            self.close_connection = True
        finally:
            record.ended = time.monotonic()

    def _respond(self, fixture: FixtureServer, record: RecordedRequest) -> None:
        route = fixture._routes.get(record.path)
        if route is None:
            route = Route(body=b"not found", status=404, headers={"Content-Type": "text/plain"})
        if route.hang:
            fixture._stopping.wait()
            self.close_connection = True
            return
        if route.delay and fixture._stopping.wait(route.delay):
            return
        status, body, headers = route.status, route.body, dict(route.headers)
        if route.handler is not None:
            reply = route.handler(record)
            status, body, headers = reply.status, reply.body, {**headers, **reply.headers}
        if route.etag is not None:
            headers["ETag"] = route.etag
        if route.last_modified is not None:
            headers["Last-Modified"] = route.last_modified
        if self._not_modified(route):
            status, body = 304, b""
        elif route.encoding:
            body = _encode(body, route.encoding)
            headers["Content-Encoding"] = route.encoding
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        if route.chunked:
            self.send_header("Transfer-Encoding", "chunked")
        elif route.content_length is None:
            self.send_header("Connection", "close")
            self.close_connection = True
        elif route.content_length != AUTO:
            self.send_header("Content-Length", str(route.content_length))
        elif route.stream is None:
            self.send_header("Content-Length", str(len(body)))
        else:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command == "HEAD" or status == 304:
            return
        self._write_body(fixture, route, body)

    def _not_modified(self, route: Route) -> bool:
        if route.etag is not None and route.etag in self.headers.get("If-None-Match", ""):
            return True
        since = self.headers.get("If-Modified-Since")
        return route.last_modified is not None and since == route.last_modified

    def _write_body(self, fixture: FixtureServer, route: Route, body: bytes) -> None:
        if route.chunked:
            for chunk in route.stream() if route.stream is not None else [body]:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(chunk), chunk))
            self.wfile.write(b"0\r\n\r\n")
        elif route.trickle:
            for index in range(len(body)):
                self.wfile.write(body[index : index + 1])
                self.wfile.flush()
                if fixture._stopping.wait(route.trickle_interval):
                    return
        elif route.stream is not None:
            for chunk in route.stream():
                self.wfile.write(chunk)
        else:
            self.wfile.write(body)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    fixture: FixtureServer

    def handle_error(self, request: object, client_address: object) -> None:
        # Clients that hang up mid-response are part of the tests, not failures of the server.
        if not isinstance(sys.exc_info()[1], ConnectionError | TimeoutError):
            super().handle_error(request, client_address)  # type: ignore[arg-type]


class FixtureServer:
    """A threaded HTTP/1.1 server on an ephemeral 127.0.0.1 port with a route table."""

    def __init__(self) -> None:
        self._routes: dict[str, Route] = {}
        self._requests: list[RecordedRequest] = []
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd = _Server(("127.0.0.1", 0), _RequestHandler)
        self._httpd.fixture = self
        self.port: int = self._httpd.server_address[1]
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True
        )

    def start(self) -> FixtureServer:
        """Start serving in a background thread."""
        self._thread.start()
        return self

    def stop(self) -> None:
        """Release hanging handlers and shut the server down."""
        self._stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def url(self, path: str = "/") -> str:
        """Return the absolute URL of ``path`` on this server."""
        return f"http://127.0.0.1:{self.port}{path}"

    # Registering responses

    def route(
        self,
        path: str,
        body: bytes | str = b"",
        *,
        status: int = 200,
        headers: dict[str, str] | None = None,
        content_type: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
        delay: float = 0.0,
        trickle: bool = False,
        trickle_interval: float = 0.5,
        encoding: str = "",
        content_length: int | None = AUTO,
        chunked: bool = False,
        handler: Handler | None = None,
        stream: Callable[[], Iterable[bytes]] | None = None,
        hang: bool = False,
    ) -> str:
        """Register a response for ``path`` (exact, without query) and return its URL.

        ``etag``/``last_modified`` make conditional requests get a 304. ``encoding`` ("gzip",
        "deflate", "br") compresses the body. ``content_length`` None omits the header and
        closes the connection; an int sends that (possibly false) value. ``chunked`` uses
        Transfer-Encoding: chunked instead.
        """
        all_headers = dict(headers or {})
        if content_type is not None:
            all_headers["Content-Type"] = content_type
        self._routes[path] = Route(
            body=body.encode() if isinstance(body, str) else body,
            status=status,
            headers=all_headers,
            etag=etag,
            last_modified=last_modified,
            delay=delay,
            trickle=trickle,
            trickle_interval=trickle_interval,
            encoding=encoding,
            content_length=content_length,
            chunked=chunked,
            handler=handler,
            stream=stream,
            hang=hang,
        )
        return self.url(path)

    def redirect(self, path: str, location: str, status: int = 302) -> str:
        """Redirect ``path`` to ``location`` (absolute or relative)."""
        return self.route(path, status=status, headers={"Location": location})

    def error(self, path: str, status: int, retry_after: str | None = None) -> str:
        """Answer ``path`` with an error status, optionally with Retry-After."""
        headers = {} if retry_after is None else {"Retry-After": retry_after}
        return self.route(path, f"error {status}", status=status, headers=headers)

    def hang(self, path: str) -> str:
        """Accept requests for ``path`` and never answer."""
        return self.route(path, hang=True)

    def oversized(
        self, path: str, size: int, content_length: int | None = None, chunked: bool = False
    ) -> str:
        """Stream ``size`` bytes with a false or missing Content-Length, or chunked."""

        def chunks() -> Iterator[bytes]:
            block = b"x" * 65536
            for start in range(0, size, len(block)):
                yield block[: min(len(block), size - start)]

        return self.route(
            path,
            content_type="text/plain",
            stream=chunks,
            content_length=content_length,
            chunked=chunked,
        )

    def gzip_bomb(self, path: str, size: int = 64 << 20) -> str:
        """Serve gzip data that inflates to ``size`` bytes, with an honest compressed length."""
        data = gzip_bomb_bytes(size)
        return self.route(
            path, data, content_type="text/html", headers={"Content-Encoding": "gzip"}
        )

    # Inspecting what was requested

    def _record(self, handler: BaseHTTPRequestHandler) -> RecordedRequest:
        record = RecordedRequest(
            method=handler.command,
            path=urlsplit(handler.path).path,
            target=handler.path,
            headers=handler.headers,
            started=time.monotonic(),
        )
        with self._lock:
            self._requests.append(record)
        return record

    @property
    def requests(self) -> list[RecordedRequest]:
        """Every request received so far, in arrival order."""
        with self._lock:
            return list(self._requests)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        """Requests received for exactly ``path``."""
        return [r for r in self.requests if r.path == path]

    def count(self, path: str) -> int:
        """How many requests were received for exactly ``path``."""
        return len(self.requests_to(path))

    def max_concurrent(self, prefix: str = "/") -> int:
        """Most requests whose path starts with ``prefix`` that were being served at once."""
        events: list[tuple[float, int]] = []
        for r in self.requests:
            if r.path.startswith(prefix):
                events.append((r.started, 1))
                events.append((r.ended if r.ended is not None else float("inf"), -1))
        current = peak = 0
        for _, step in sorted(events):
            current += step
            peak = max(peak, current)
        return peak
