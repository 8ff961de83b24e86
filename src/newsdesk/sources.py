"""Adding sources: a feed URL, a web page whose feeds are discovered, an OPML file, the defaults."""

from __future__ import annotations

from newsdesk.default_sources import DEFAULT_SOURCES
from newsdesk.fetch import Fetcher, FetchError, FetchResult
from newsdesk.models import Source
from newsdesk.opml import parse_opml
from newsdesk.pipeline.discover import discover_feeds, likely_feeds
from newsdesk.pipeline.feeds import FeedError, looks_like_feed, parse_feed
from newsdesk.pipeline.urls import is_web_url
from newsdesk.store.base import Store

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/xml;q=0.9, "
    "text/xml;q=0.9, text/html;q=0.8, */*;q=0.5"
)


# Feed URLs guessed for a page that advertises none, at most (each is a request to its site).
MAX_GUESSES = 8


class SourceError(ValueError):
    """The URL could not be added as a source; the message says why."""


async def find_feed(fetcher: Fetcher, url: str) -> tuple[str, str, str]:
    """Return (feed_url, title, site_url) for a feed URL or a page that links to feeds."""
    if not is_web_url(url):
        raise SourceError(f"not an http(s) URL: {url!r}")
    try:
        response = await fetcher.fetch(url, accept=FEED_ACCEPT)
    except FetchError as exc:
        raise SourceError(f"could not fetch {url}: {exc}") from exc
    if looks_like_feed(response.body, response.content_type, response.charset):
        return _checked(response)
    advertised = discover_feeds(response.body, response.url)
    # The first advertised feed that works: one may be gone, or a comments feed listed first.
    errors: list[SourceError] = []
    for candidate in advertised:
        try:
            return await find_feed_direct(fetcher, candidate)
        except SourceError as exc:
            errors.append(exc)
    if errors:
        raise errors[0]
    # No feed advertised: the page's feed-like links, then the site's well-known feed paths.
    for candidate in likely_feeds(response.body, response.url)[:MAX_GUESSES]:
        try:
            return await find_feed_direct(fetcher, candidate)
        except SourceError:
            continue
    raise SourceError(f"{url} is neither a feed nor a page that links to one")


async def find_feed_direct(fetcher: Fetcher, url: str) -> tuple[str, str, str]:
    try:
        response = await fetcher.fetch(url, accept=FEED_ACCEPT)
    except FetchError as exc:
        raise SourceError(f"could not fetch discovered feed {url}: {exc}") from exc
    return _checked(response)


def _checked(response: FetchResult) -> tuple[str, str, str]:
    try:
        feed = parse_feed(
            response.body,
            url=response.url,
            content_type=response.content_type,
            charset=response.charset,
        )
    except FeedError as exc:
        raise SourceError(f"{response.url} is not a usable feed: {exc}") from exc
    return response.url, feed.title, feed.site_url if is_web_url(feed.site_url) else ""


async def add_source(
    store: Store, fetcher: Fetcher, url: str, *, section: str = "", group: str = ""
) -> Source:
    """Subscribe to url (or the first feed its page links to), checking that the feed parses."""
    existing = store.source_by_url(url)
    if existing is not None:
        return existing
    feed_url, title, site_url = await find_feed(fetcher, url)
    return store.add_source(feed_url, title=title, site_url=site_url, section=section, group=group)


def import_opml(store: Store, data: bytes) -> list[Source]:
    """Add every feed of an OPML document; folders become groups and count as section hints."""
    return [
        store.add_source(
            feed.url,
            title=feed.title,
            site_url=feed.site_url,
            group=feed.group,
            section=feed.section,
        )
        for feed in parse_opml(data)
    ]


def seed_defaults(store: Store) -> list[Source]:
    """Add the built-in world-news sources, only when the store has none."""
    if store.list_sources():
        return []
    return [
        store.add_source(
            d.url, title=d.title, site_url=d.site_url, section=d.section, group=d.section
        )
        for d in DEFAULT_SOURCES
    ]
