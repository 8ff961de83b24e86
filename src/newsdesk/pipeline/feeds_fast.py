"""The fast path: fastfeedparser's result mapped onto ParsedFeed, checked before it is trusted."""

from __future__ import annotations

import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import fastfeedparser

from newsdesk.models import Enclosure, Entry, ParsedFeed
from newsdesk.pipeline.feeds_repair import Unrepairable, repair_entries, unwrap_content
from newsdesk.pipeline.feeds_text import (
    is_absolute,
    make_enclosure,
    make_entry,
    parse_iso,
    plain_text,
    resolve_url,
    unique_terms,
)

_LOOSE_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);|#[0-9]+;|#[xX][0-9a-fA-F]+;)")
_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*([A-Za-z0-9_-]{1,35})\s*</(?:dc:)?language>")
_TITLE_WITH_CHILD = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?title\b[^>]*>[^<]*<(?![/!])")
_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")


_REPAIRABLE = frozenset({"relative links under xml:base", "title with markup"})


class Untrusted(Exception):
    """The fast path's result cannot be trusted; the reason says why."""


def parse_fast(data: bytes, url: str, feed_format: str) -> ParsedFeed:
    """Parse with fastfeedparser; raise Untrusted when the result should be redone by feedparser."""
    try:
        # Always bytes: given a str that starts with http, fastfeedparser would fetch it.
        result = fastfeedparser.parse(bytes(data))
    except Exception as error:  # any failure of the fast path: use the slow one
        raise Untrusted(f"fastfeedparser raised: {_first_line(error)}") from error
    raw_entries: list[dict[str, Any]] = list(result.get("entries") or [])
    expected = len(_ENTRY_TAG.findall(data))
    if len(raw_entries) < expected:
        raise Untrusted(f"fastfeedparser found {len(raw_entries)} of {expected} entries")
    feed: dict[str, Any] = result.get("feed") or {}
    site_url = _str(feed.get("link"))
    feed_title = _str(feed.get("title"))
    fixes = [(_guid_free_link(raw, data), _str(raw.get("title"))) for raw in raw_entries]
    if reason := _suspicion(raw_entries, site_url, data):
        if reason not in _REPAIRABLE:
            raise Untrusted(reason)
        try:
            fixes, repaired_title = repair_entries(data, url, raw_entries)
            feed_title = repaired_title or feed_title
        except Unrepairable as error:
            raise Untrusted(f"{reason}, not repairable: {error}") from None
        fixes = [
            (_guid_free_link(raw, data, link), title)
            for raw, (link, title) in zip(raw_entries, fixes, strict=True)
        ]
    entries = tuple(
        e
        for raw, (link, title) in zip(raw_entries, fixes, strict=True)
        if (e := _entry(raw, link, title, url)) is not None
    )
    return ParsedFeed(
        title=plain_text(feed_title),
        site_url=resolve_url(site_url, url),
        entries=entries,
        parser="fastfeedparser",
        format=feed_format,
        language=_str(feed.get("language")) or _channel_language(data),
    )


def _suspicion(raw_entries: list[dict[str, Any]], site_url: str, data: bytes) -> str:
    """Why fastfeedparser's entries are known to differ from the document, or ""."""
    links = [_str(raw.get("link")) for raw in raw_entries]
    # Each scan of the document runs only once something in the result calls for it.
    if _has_loose_ampersand(data):
        # libxml2 drops undefined entities and mangles bare "&"; feedparser reads them as HTML does.
        return "undefined entity or bare & outside CDATA"
    if site_url and not is_absolute(site_url) and b"xml:base" in data:
        return "relative site link under xml:base"
    relative = any(link and not is_absolute(link) for link in links)
    if relative and b"xml:base" in data:
        return "relative links under xml:base"
    if _TITLE_WITH_CHILD.search(data):
        # fastfeedparser keeps only the text before a title's first child element.
        return "title with markup"
    return ""


def _entry(raw: dict[str, Any], link: str, title: str, base: str) -> Entry | None:
    contents = raw.get("content") or []
    content = _str(contents[0].get("value")) if contents and isinstance(contents[0], dict) else ""
    if content.startswith("<content"):
        content = unwrap_content(content)
    tags = raw.get("tags") or []
    return make_entry(
        guid=_str(raw.get("id")),
        link=link,
        title=title,
        base=base,
        summary=_str(raw.get("description")),
        content=content,
        author=_str(raw.get("author")),
        published=parse_iso(raw.get("published")),
        updated=parse_iso(raw.get("updated")),
        categories=unique_terms(_str(t.get("term")) for t in tags if isinstance(t, dict)),
        enclosures=_enclosures(raw.get("enclosures"), base),
    )


def _enclosures(raw: object, base: str) -> tuple[Enclosure, ...]:
    if not isinstance(raw, list):
        return ()
    found = (
        make_enclosure(e.get("url") or e.get("href"), e.get("type"), e.get("length"), base)
        for e in raw
        if isinstance(e, dict)
    )
    return tuple(e for e in found if e is not None)


def _guid_free_link(raw: dict[str, Any], data: bytes, link: str | None = None) -> str:
    """The entry's link, minus one fastfeedparser took from a guid marked isPermaLink="false"."""
    link = _str(raw.get("link")) if link is None else link
    if not link or link != raw.get("id") or b"isPermaLink" not in data:
        return link
    forms = {link.encode(), xml_escape(link).encode()}
    if any(b"<link>" + form + b"</link>" in data for form in forms):
        return link
    not_permalink = (b'isPermaLink="false">', b"isPermaLink='false'>")
    if any(marker + form + b"</guid>" in data for marker in not_permalink for form in forms):
        return ""
    return link


def _has_loose_ampersand(data: bytes) -> bool:
    """True when an "&" outside CDATA and comments starts no XML entity or char reference."""
    pos = 0
    while (match := _LOOSE_AMPERSAND.search(data, pos)) is not None:
        cdata = data.rfind(b"<![CDATA[", pos, match.start())
        comment = data.rfind(b"<!--", pos, match.start())
        if cdata == comment == -1:
            return True
        closer = b"]]>" if cdata > comment else b"-->"
        closed = data.find(closer, max(cdata, comment))
        if closed == -1 or closed < match.start():
            return True
        pos = closed + len(closer)
    return False


def _channel_language(data: bytes) -> str:
    """RSS <language> or <dc:language> from the head; fastfeedparser reads only xml:lang."""
    match = _LANGUAGE.search(data, 0, 8192)
    return match.group(1).decode("ascii", "replace").strip() if match else ""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
