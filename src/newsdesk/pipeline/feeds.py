"""Feed parsing, a pure stage: feed bytes in, ParsedFeed out.

The fast path is fastfeedparser. Its result is checked cheaply (did it raise, did it find every
<item>/<entry>, does it miss something feedparser would read) and redone with feedparser when it
cannot be trusted. When only some entries are malformed, feedparser reads just those and
fastfeedparser the rest. JSON Feed is mapped from the standard json module. Before either XML
parser sees the body, HTML pages and documents that declare entities are refused.
"""

from __future__ import annotations

import logging
import re
from dataclasses import replace

from lxml import etree

from newsdesk.models import ParsedFeed
from newsdesk.pipeline.feeds_fast import ENTRY_TAG, Untrusted, has_loose_ampersand, parse_fast
from newsdesk.pipeline.feeds_json import JsonFeedError, parse_json_feed
from newsdesk.pipeline.feeds_loose import LooseParseError, parse_loose
from newsdesk.pipeline.feeds_sniff import (
    declares_entities,
    entry_spans,
    feed_format,
    looks_like_feed,
    might_be_wide,
    recoded,
    sniff,
    unwrapped_feed,
)

__all__ = ["MAX_ENTRIES", "FeedError", "looks_like_feed", "parse_feed", "parse_feed_explained"]

log = logging.getLogger(__name__)

_REFUSED = {
    "empty": "not a feed: empty document",
    "html": "not a feed: HTML page",
    "unknown": "not a feed: no RSS, Atom or JSON Feed structure found",
}
# Entries read from one document, in document order (newest first in practice). A feed of
# 100,000 items is an attack on parse time and on the article fetches that follow.
MAX_ENTRIES = 1000
# Strict: any well-formedness error marks an entry for feedparser. Never expands or fetches.
_STRICT = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, recover=False)
# C0 controls other than tab, newline and carriage return: XML 1.0 allows none of them.
_CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13))
_ENCODING = re.compile(rb"""^(?:\xef\xbb\xbf)?<\?xml[^>]*?encoding=["']([A-Za-z0-9_.:-]+)""")
_BYTE_ENCODING = re.compile(
    rb"(?i)(?:utf-?8|us-ascii|ascii|iso[-_]?8859-\d+|latin-?1|(?:windows|cp)-?125\d|koi8-[ru])$"
)


class FeedError(ValueError):
    """The body is not a feed we can parse; the message is a one-line reason."""


def parse_feed(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    charset: str = "",
    content_language: str = "",
) -> ParsedFeed:
    """Parse RSS 0.9x/1.0/2.0, Atom 0.3/1.0, CDF or JSON Feed bytes; FeedError if not a feed.

    `charset` is the Content-Type header's; a byte order mark or an XML declaration beats it.
    `content_language` is the HTTP Content-Language header, used when the feed names no language.
    """
    return parse_feed_explained(
        data,
        url=url,
        content_type=content_type,
        charset=charset,
        content_language=content_language,
    )[0]


def parse_feed_explained(
    data: bytes,
    *,
    url: str = "",
    content_type: str = "",
    charset: str = "",
    content_language: str = "",
) -> tuple[ParsedFeed, str]:
    """Like parse_feed, and also why the fast path was not used alone ("" when it was)."""
    feed, reason = _parse(bytes(data), url, content_type, charset)
    if reason:
        feed = replace(feed, notes=(*feed.notes, reason))
    feed = _guids_told_apart(feed, url)
    if not feed.language and content_language:
        language = content_language.split(",")[0].strip().replace("_", "-")
        feed = replace(feed, language=language)
    return feed, reason


def _parse(data: bytes, url: str, content_type: str, charset: str) -> tuple[ParsedFeed, str]:
    kind = sniff(data, content_type)
    data = recoded(data, kind, charset)
    if kind == "json":
        try:
            return parse_json_feed(data, url, max_entries=MAX_ENTRIES), ""
        except JsonFeedError as error:
            raise FeedError(str(error)) from None
    if kind != "xml":
        raise FeedError(_REFUSED[kind])
    if declares_entities(data):
        raise FeedError("XML entity declarations are not allowed")
    fmt = feed_format(data)
    data, count = _first_entries(data, MAX_ENTRIES)
    try:
        return parse_fast(data, url, fmt, expected=count), ""
    except Untrusted as why:
        reason = str(why)
    except Exception as error:  # lxml on hostile bytes (e.g. undecodable text): the slow path
        reason = f"fast path failed: {type(error).__name__}"
    if (feed := _parse_unwrapped(data, url)) is not None:
        return feed, reason + "; the feed inside the HTML page was read"
    if (feed := _parse_without_controls(data, url, fmt)) is not None:
        return feed, reason + "; read again without its control characters"
    if (feed := _parse_mixed(data, url, fmt)) is not None:
        return feed, reason + "; feedparser read only the malformed entries"
    log.debug("falling back to feedparser for %s: %s", url or "feed", reason)
    try:
        return parse_loose(data, url, fmt), reason
    except LooseParseError as error:
        raise FeedError(str(error)) from None
    except Exception as error:  # garbage must surface as FeedError, never a crash
        raise FeedError(f"unparseable feed: {type(error).__name__}") from None


def _guids_told_apart(feed: ParsedFeed, url: str) -> ParsedFeed:
    """Entries sharing a GUID but not a link take their link as GUID; same GUID and link stay one.

    Some blogs give every item the site's URL as its <guid>, so each new post passed for the
    first one and was dropped. The link is as stable from one refresh to the next as the GUID.
    """
    first_link: dict[str, str] = {}
    shared: set[str] = set()
    for entry in feed.entries:
        if first_link.setdefault(entry.guid, entry.url) != entry.url:
            shared.add(entry.guid)
    if not shared:
        return feed
    log.info("%s: entries share a GUID but not a link; their links serve as GUIDs", url or "feed")
    entries = tuple(
        replace(e, guid=e.url) if e.guid in shared and e.url else e for e in feed.entries
    )
    moved = sum(1 for old, new in zip(feed.entries, entries, strict=True) if old is not new)
    note = f"{moved} entries shared a GUID with another entry; their links serve as GUIDs"
    return replace(feed, entries=entries, notes=(*feed.notes, note))


def _parse_unwrapped(data: bytes, url: str) -> ParsedFeed | None:
    """The fast path over a feed cut out of the HTML page it was wrapped in, or None."""
    if not data.lstrip().startswith((b"<!DOCTYPE html", b"<html", b"<?xml")):
        return None
    inner = unwrapped_feed(data)
    if inner is None or len(inner) == len(data):
        return None
    try:
        return parse_fast(inner, url, feed_format(inner))
    except Exception:  # Untrusted, or a parser failing on hostile bytes
        return None


def _parse_without_controls(data: bytes, url: str, fmt: str) -> ParsedFeed | None:
    """The fast path over the document without the control characters XML forbids, or None.

    One stray byte such as \\x03 or \\x00 in a post stops libxml2 there, so fastfeedparser loses
    every entry after it; feedparser reads on, and plain text drops the character anyway. Only
    for UTF-8 and single-byte encodings, where such a byte is never part of another character.
    """
    declared = _ENCODING.search(data, 0, 200)
    if might_be_wide(data) or (declared and not _BYTE_ENCODING.match(declared.group(1))):
        return None
    cleaned = data.translate(None, _CONTROLS)
    if len(cleaned) == len(data):
        return None
    try:
        return parse_fast(cleaned, url, fmt)
    except Exception:  # Untrusted, or a parser failing on hostile bytes
        return None


def _parse_mixed(data: bytes, url: str, fmt: str) -> ParsedFeed | None:
    """fastfeedparser for well-formed entries, feedparser for the rest; None if not worth it.

    feedparser costs about ten times fastfeedparser, so a feed with one broken entry of twenty-five
    is read in a fraction of the time, and each entry by the parser a whole-feed fallback would
    have given it to, or a stricter one.
    """
    spans = entry_spans(data)
    if not spans:
        return None
    head, tail = data[: spans[0][0]], data[spans[-1][1] :]
    if not _sound(head + tail):
        return None
    bad = [i for i, (a, b) in enumerate(spans) if not _sound(head + data[a:b] + tail)]
    if not bad or 2 * len(bad) > len(spans):
        return None
    good = [i for i in range(len(spans)) if i not in set(bad)]
    try:
        fast = parse_fast(_only(data, spans, good), url, fmt)
        loose = parse_loose(_only(data, spans, bad), url, fmt)
    except (Untrusted, LooseParseError):
        return None
    except Exception:  # feedparser on a fragment: anything odd means the whole-feed fallback
        return None
    if len(fast.entries) != len(good) or len(loose.entries) != len(bad):
        return None
    by_position = dict(zip(good, fast.entries, strict=True))
    by_position.update(zip(bad, loose.entries, strict=True))
    entries = tuple(by_position[i] for i in range(len(spans)))
    return replace(fast, entries=entries, parser="fastfeedparser+feedparser")


def _first_entries(data: bytes, limit: int) -> tuple[bytes, int | None]:
    """The document cut down to its first `limit` entries, and its entry tag count if known."""
    count = len(ENTRY_TAG.findall(data))
    if count <= limit:
        return data, count
    spans = entry_spans(data)
    return (_only(data, spans, list(range(limit))), None) if len(spans) > limit else (data, count)


def _only(data: bytes, spans: list[tuple[int, int]], keep: list[int]) -> bytes:
    """The document with only the entries at positions `keep`."""
    body = b"\n".join(data[spans[i][0] : spans[i][1]] for i in keep)
    return data[: spans[0][0]] + body + data[spans[-1][1] :]


def _sound(document: bytes) -> bool:
    """Well-formed, and without the undefined entities a non-resolving parser lets through."""
    if has_loose_ampersand(document):
        return False
    try:
        etree.fromstring(document, _STRICT)
    except (etree.XMLSyntaxError, ValueError):
        return False
    return True
