"""The fallback path: feedparser's loose, forgiving parse mapped onto ParsedFeed."""

from __future__ import annotations

import io
import re
import time
from calendar import timegm
from datetime import UTC, datetime
from typing import Any

import feedparser

from newsdesk.models import Enclosure, Entry, ParsedFeed
from newsdesk.pipeline.feeds_text import (
    MAX_TITLE_CHARS,
    make_enclosure,
    make_entry,
    plain_text,
    resolve_url,
    unique_terms,
)

_WEB_URL = re.compile(r"https?://", re.IGNORECASE)
_CHAR_REF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


class LooseParseError(ValueError):
    """feedparser found no feed in the document."""


def parse_loose(data: bytes, url: str, feed_format: str) -> ParsedFeed:
    """Parse with feedparser; raise LooseParseError when it finds no feed at all."""
    headers = {"content-location": url} if url else {}
    if b"&#" in data:
        data = _CHAR_REF.sub(_safe_char_ref, data)
    # A file-like object: feedparser treats bytes and str as a file name or URL to open.
    result: Any = feedparser.parse(
        io.BytesIO(data),
        response_headers=headers,
        sanitize_html=False,
        resolve_relative_uris=False,
    )
    feed = result.get("feed", {})
    raw_entries = result.get("entries", [])
    cdf = feed_format == "channel" and bool(feed)  # feedparser names no version for CDF
    if not result.get("version") and not raw_entries and not cdf:
        raise LooseParseError(_reason(result.get("bozo_exception")))
    entries = tuple(e for raw in raw_entries if (e := _entry(raw, url)) is not None)
    return ParsedFeed(
        title=plain_text(feed.get("title", ""), MAX_TITLE_CHARS),
        site_url=feed.get("link", "") or "",
        entries=entries,
        parser="feedparser",
        format="cdf" if cdf else feed_format or result.get("version", ""),
        language=(feed.get("language", "") or "").replace("_", "-"),
    )


def _safe_char_ref(match: re.Match[bytes]) -> bytes:
    """A reference to a character XML forbids becomes U+FFFD; feedparser crashes on surrogates."""
    digits = match.group(1)
    code = int(digits[1:], 16) if digits[:1] in b"xX" else int(digits)
    allowed = code in (0x9, 0xA, 0xD) or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0x10FFFF
    return match.group(0) if allowed and code not in (0xFFFE, 0xFFFF) else b"&#xFFFD;"


def _entry(raw: Any, base: str) -> Entry | None:
    contents = raw.get("content") or []
    summary = raw.get("summary", "") or ""
    content = contents[0].get("value", "") if contents else ""
    tags = raw.get("tags") or []
    link = raw.get("link", "") or ""
    took_guid = raw.get("guidislink") and link == raw.get("id")
    if took_guid and not _WEB_URL.match(resolve_url(link, base)):
        link = ""  # feedparser took a guid that is no web address for the link
    return make_entry(
        guid=raw.get("id", ""),
        link=link,
        title=raw.get("title", ""),
        base=base,
        summary=summary,
        content=content,
        author=raw.get("author", ""),
        published=_utc(dict.get(raw, "published_parsed")),
        updated=_utc(dict.get(raw, "updated_parsed")),
        categories=unique_terms(t.get("term") for t in tags),
        enclosures=_enclosures(raw.get("enclosures") or [], base),
    )


def _enclosures(raw: list[Any], base: str) -> tuple[Enclosure, ...]:
    found = (make_enclosure(e.get("href"), e.get("type"), e.get("length"), base) for e in raw)
    return tuple(e for e in found if e is not None)


def _utc(parsed: time.struct_time | None) -> datetime | None:
    """feedparser's struct_time is already UTC."""
    if parsed is None:
        return None
    try:
        return datetime.fromtimestamp(timegm(parsed), tz=UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _reason(error: object) -> str:
    line = getattr(error, "getLineNumber", None)
    if callable(line):
        message = getattr(error, "getMessage", lambda: str(error))()
        return f"XML syntax error at line {line()}: {message}"
    return "not a feed: no RSS, Atom or JSON Feed structure found"
