"""Feed discovery: the RSS, Atom and JSON Feed links an HTML page advertises, best first, and
the places a page without them most likely keeps its feed."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

FEED_TYPES = frozenset(
    {
        "application/rss+xml",
        "application/x-rss+xml",
        "application/atom+xml",
        "application/x-atom+xml",
        "application/rdf+xml",
        "application/feed+json",
    }
)
# JSON Feed 1.0 was advertised as application/json, which also names every WordPress REST API
# link (/wp-json/...): such links are tried, but last, and never the REST API.
_PLAIN_JSON = "application/json"
# Where a page with no feed links keeps its feed, as Miniflux and FreshRSS also try.
WELL_KNOWN_PATHS = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")
_FEEDISH_ANCHOR = re.compile(
    r"(?:/(?:feed|rss|atom)(?:\.xml)?|\.rss|\.atom|/(?:feeds?|rss)/[^/]+\.xml)/?$"
)


class _LinkCollector(HTMLParser):
    """Collects <base href>, feed <link>s (with a rank) and feed-like <a> links, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.hrefs: list[tuple[int, str]] = []
        self.anchors: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "base", "a"):
            return
        values = {name: (value or "").strip() for name, value in attrs}
        href = values.get("href", "")
        if not href:
            return
        if tag == "base":
            self.base = self.base or href
            return
        if tag == "a":
            if _FEEDISH_ANCHOR.search(href.split("?", 1)[0].split("#", 1)[0].lower()):
                self.anchors.append(href)
            return
        rels = values.get("rel", "").lower().split()
        mime = values.get("type", "").lower().split(";")[0].strip()
        if ("alternate" in rels and mime in FEED_TYPES) or "feed" in rels:
            self.hrefs.append((_rank(href, values.get("title", "")), href))
        elif "alternate" in rels and mime == _PLAIN_JSON and "/wp-json" not in href.lower():
            self.hrefs.append((2, href))

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def _rank(href: str, title: str) -> int:
    """0 for a site's own feeds, 1 for comment feeds (a blog lists both; readers want posts)."""
    return 1 if "comment" in f"{href} {title}".lower() else 0


def discover_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Absolute feed URLs from <link rel="alternate"> tags without repeats: the site's own
    feeds in page order, then comment feeds, then plain-JSON links that may be JSON Feeds."""
    collector = _collect(html)
    base = _base(collector, base_url)
    ranked = sorted(collector.hrefs, key=lambda pair: pair[0])  # stable: page order kept
    return _absolute(base, [href for _, href in ranked])


def likely_feeds(html: bytes | str, base_url: str) -> list[str]:
    """For a page that advertises no feed: its links that look like feeds, then the well-known
    feed paths of its site, absolute and without repeats."""
    collector = _collect(html)
    base = _base(collector, base_url)
    return _absolute(base, [*collector.anchors, *WELL_KNOWN_PATHS])


def _collect(html: bytes | str) -> _LinkCollector:
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    collector = _LinkCollector()
    try:
        collector.feed(text)
        collector.close()
    except (AssertionError, ValueError):
        # html.parser gives up on some malformed markup; keep what it found before that.
        pass
    return collector


def _base(collector: _LinkCollector, base_url: str) -> str:
    try:
        return urljoin(base_url, collector.base) if collector.base else base_url
    except ValueError:  # a malformed <base href> (e.g. "http://[::1"): resolve against the page
        return base_url


def _absolute(base: str, hrefs: list[str]) -> list[str]:
    found: dict[str, None] = {}
    for href in hrefs:
        try:
            url = urljoin(base, href)
        except ValueError:
            continue
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, None)
    return list(found)
