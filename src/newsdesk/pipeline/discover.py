"""Feed discovery: the RSS, Atom and JSON Feed links an HTML page advertises."""

from __future__ import annotations

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


class _LinkCollector(HTMLParser):
    """Collects <base href> and feed <link>s in document order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base = ""
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in ("link", "base"):
            return
        values = {name: (value or "").strip() for name, value in attrs}
        href = values.get("href", "")
        if not href:
            return
        if tag == "base":
            self.base = self.base or href
            return
        rels = values.get("rel", "").lower().split()
        mime = values.get("type", "").lower().split(";")[0].strip()
        if ("alternate" in rels and mime in FEED_TYPES) or "feed" in rels:
            self.hrefs.append(href)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)


def discover_feeds(html: bytes | str, base_url: str) -> list[str]:
    """Absolute feed URLs from <link rel="alternate"> tags, in page order, without repeats."""
    text = html.decode("utf-8", errors="replace") if isinstance(html, bytes) else html
    collector = _LinkCollector()
    try:
        collector.feed(text)
        collector.close()
    except (AssertionError, ValueError):
        # html.parser gives up on some malformed markup; keep what it found before that.
        pass
    try:
        base = urljoin(base_url, collector.base) if collector.base else base_url
    except ValueError:  # a malformed <base href> (e.g. "http://[::1"): resolve against the page
        base = base_url
    found: dict[str, None] = {}
    for href in collector.hrefs:
        try:
            url = urljoin(base, href)
        except ValueError:
            continue
        if urlsplit(url).scheme in ("http", "https"):
            found.setdefault(url, None)
    return list(found)
