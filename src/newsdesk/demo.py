"""The offline demo: a local HTTP server publishing the bundled Wikinews corpus as news feeds."""

from __future__ import annotations

import gzip
import hashlib
import logging
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import cast

from newsdesk.demo_corpus import (
    DemoFeed,
    WikinewsArticle,
    load_wikinews,
    split_into_feeds,
)
from newsdesk.demo_pages import (
    ROBOTS_TXT,
    article_path,
    feed_path,
    render_article,
    render_feed,
    render_index,
)

__all__ = ["DemoServer", "WikinewsArticle", "load_wikinews"]

log = logging.getLogger(__name__)

HTML = "text/html; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Resource:
    body: bytes
    content_type: str
    last_modified: datetime

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha256(self.body).hexdigest()[:32] + '"'


def build_site(base_url: str, feed_count: int = 6) -> tuple[list[DemoFeed], dict[str, Resource]]:
    """Render every page of the demo site for ``base_url``, keyed by path."""
    articles = load_wikinews()
    feeds = split_into_feeds(articles, feed_count)
    newest = max(a.published for a in articles)
    site: dict[str, Resource] = {
        "/": Resource(render_index(feeds, base_url).encode(), HTML, newest),
        "/robots.txt": Resource(ROBOTS_TXT.encode(), TEXT, articles[0].published),
    }
    for feed in feeds:
        updated = max(a.published for a in feed.articles)
        site[feed_path(feed)] = Resource(render_feed(feed, base_url).encode(), RSS, updated)
    for index, article in enumerate(articles):
        related = [*articles[max(0, index - 3) : index], *articles[index + 1 : index + 4]]
        page = render_article(article, feeds, related)
        site[article_path(article)] = Resource(page.encode(), HTML, article.published)
    return feeds, site


class DemoServer:
    """Serve the demo site from ``host:port`` (0 picks a free port) in a background thread."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self._host = host
        self._port = port
        self._server: _SiteServer | None = None
        self._thread: threading.Thread | None = None
        self._feeds: list[DemoFeed] = []

    def start(self) -> None:
        if self._server is not None:
            return
        server = _SiteServer((self._host, self._port), _Handler)
        self._port = server.server_address[1]
        self._feeds, server.site = build_site(self.base_url)
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="newsdesk-demo", daemon=True
        )
        self._thread.start()
        log.info("demo site serving %d feeds at %s", len(self._feeds), self.base_url)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join()
        self._server, self._thread = None, None

    @property
    def base_url(self) -> str:
        return f"http://{self._host}:{self._port}"

    def feed_urls(self) -> list[tuple[str, str]]:
        """(title, url) of every demo feed; the server must be started."""
        if self._server is None:
            raise RuntimeError("the demo server is not running; call start() first")
        return [(feed.title, self.base_url + feed_path(feed)) for feed in self._feeds]

    def __enter__(self) -> DemoServer:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()


class _SiteServer(ThreadingHTTPServer):
    daemon_threads = True
    site: dict[str, Resource]


class _Handler(BaseHTTPRequestHandler):
    server_version = "newsdesk-demo/1"

    def do_GET(self) -> None:
        self._respond(with_body=True)

    def do_HEAD(self) -> None:
        self._respond(with_body=False)

    def log_message(self, format: str, *args: object) -> None:
        log.debug("demo %s - " + format, self.address_string(), *args)

    def _respond(self, *, with_body: bool) -> None:
        path = self.path.split("?", 1)[0].split("#", 1)[0]
        resource = cast(_SiteServer, self.server).site.get(path)
        if resource is None:
            self._send(404, b"not found\n", TEXT, {}, with_body)
            return
        headers = {
            "ETag": resource.etag,
            "Last-Modified": format_datetime(resource.last_modified, usegmt=True),
            "Cache-Control": "max-age=60",
            "Vary": "Accept-Encoding",
        }
        if self._not_modified(resource):
            self._send(304, b"", "", headers, with_body=False)
            return
        body = resource.body
        if "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 1024:
            body = gzip.compress(body, compresslevel=6, mtime=0)
            headers["Content-Encoding"] = "gzip"
            headers["ETag"] = "W/" + resource.etag
        self._send(200, body, resource.content_type, headers, with_body)

    def _not_modified(self, resource: Resource) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
            return "*" in tags or resource.etag in tags
        if_modified_since = self.headers.get("If-Modified-Since")
        if if_modified_since:
            try:
                since = parsedate_to_datetime(if_modified_since)
            except (TypeError, ValueError):
                return False
            if since.tzinfo is None:
                since = since.replace(tzinfo=UTC)
            return resource.last_modified <= since
        return False

    def _send(
        self, status: int, body: bytes, content_type: str, headers: dict[str, str], with_body: bool
    ) -> None:
        self.send_response(status)
        if content_type:
            self.send_header("Content-Type", content_type)
        for name, value in headers.items():
            self.send_header(name, value)
        if status != 304:
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if with_body and body:
            self.wfile.write(body)
