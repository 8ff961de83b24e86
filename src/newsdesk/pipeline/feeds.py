"""Feed parsing, a pure stage: feed bytes in, ParsedFeed out.

The fast path is fastfeedparser. Its result is checked cheaply (did it raise, did it find every
<item>/<entry>, can its links be resolved without the tree) and redone with feedparser when it
cannot be trusted. JSON Feed is mapped from the standard json module. Before either XML parser
sees the body, HTML pages and documents that declare entities are refused.
"""

from __future__ import annotations

import logging

from newsdesk.models import ParsedFeed
from newsdesk.pipeline.feeds_fast import Untrusted, parse_fast
from newsdesk.pipeline.feeds_json import JsonFeedError, parse_json_feed
from newsdesk.pipeline.feeds_loose import LooseParseError, parse_loose
from newsdesk.pipeline.feeds_sniff import declares_entities, feed_format, looks_like_feed, sniff

__all__ = ["FeedError", "looks_like_feed", "parse_feed", "parse_feed_explained"]

log = logging.getLogger(__name__)

_REFUSED = {
    "empty": "not a feed: empty document",
    "html": "not a feed: HTML page",
    "unknown": "not a feed: no RSS, Atom or JSON Feed structure found",
}


class FeedError(ValueError):
    """The body is not a feed we can parse; the message is a one-line reason."""


def parse_feed(data: bytes, *, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0 or JSON Feed bytes; FeedError when it is not one."""
    return parse_feed_explained(data, url=url, content_type=content_type)[0]


def parse_feed_explained(
    data: bytes, *, url: str = "", content_type: str = ""
) -> tuple[ParsedFeed, str]:
    """Like parse_feed, and also why the fast path was not used ("" when it was)."""
    data = bytes(data)
    kind = sniff(data, content_type)
    if kind == "json":
        try:
            return parse_json_feed(data, url), ""
        except JsonFeedError as error:
            raise FeedError(str(error)) from None
    if kind != "xml":
        raise FeedError(_REFUSED[kind])
    if declares_entities(data):
        raise FeedError("XML entity declarations are not allowed")
    fmt = feed_format(data)
    try:
        return parse_fast(data, url, fmt), ""
    except Untrusted as why:
        reason = str(why)
    log.debug("falling back to feedparser for %s: %s", url or "feed", reason)
    try:
        return parse_loose(data, url, fmt), reason
    except LooseParseError as error:
        raise FeedError(str(error)) from None
    except Exception as error:  # garbage must surface as FeedError, never a crash
        raise FeedError(f"unparseable feed: {type(error).__name__}") from None
