"""The fast path: fastfeedparser's result mapped onto ParsedFeed, with a check that it can be trusted."""

from __future__ import annotations

import re
from xml.sax.saxutils import escape as xml_escape
from typing import Any

import fastfeedparser

from newsdesk.models import Enclosure, Entry, ParsedFeed
from newsdesk.pipeline.feeds_repair import Unrepairable, repair_entries
from newsdesk.pipeline.feeds_text import (
    is_absolute,
    make_enclosure,
    make_entry,
    parse_iso,
    plain_text,
    resolve_url,
    unique_terms,
)

_ENTRY_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:item|entry)[\s>/]")


_REPAIRABLE = frozenset({"relative links under xml:base", "xhtml title dropped"})


class Untrusted(Exception):
    """The fast path's result cannot be trusted; the reason says why."""


def parse_fast(data: bytes, url: str, feed_format: str) -> ParsedFeed:
    """Parse with fastfeedparser; raise Untrusted when the result should be redone by feedparser."""
    try:
        # Always bytes: given a str that starts with http, fastfeedparser would fetch it.
        result = fastfeedparser.parse(bytes(data))
    except Exception as error:  # noqa: BLE001 - any failure of the fast path means "use the slow one"
        raise Untrusted(f"fastfeedparser raised: {_first_line(error)}") from error
    raw_entries: list[dict[str, Any]] = list(result.get("entries") or [])
    expected = len(_ENTRY_TAG.findall(data))
    if len(raw_entries) < expected:
        raise Untrusted(f"fastfeedparser found {len(raw_entries)} of {expected} entries")
    feed: dict[str, Any] = result.get("feed") or {}
    site_url = _str(feed.get("link"))
    fixes = [(_str(raw.get("link")), _str(raw.get("title"))) for raw in raw_entries]
    if reason := _suspicion(raw_entries, site_url, data):
        if reason not in _REPAIRABLE:
            raise Untrusted(reason)
        try:
            fixes = repair_entries(data, url, raw_entries)
        except Unrepairable as error:
            raise Untrusted(f"{reason}, not repairable: {error}") from None
    entries = tuple(
        e
        for raw, (link, title) in zip(raw_entries, fixes, strict=True)
        if (e := _entry(raw, link, title, url)) is not None
    )
    return ParsedFeed(
        title=plain_text(_str(feed.get("title"))),
        site_url=resolve_url(site_url, url),
        entries=entries,
        parser="fastfeedparser",
        format=feed_format,
        language=_str(feed.get("language")),
    )


def _suspicion(raw_entries: list[dict[str, Any]], site_url: str, data: bytes) -> str:
    """Why fastfeedparser's entries are known to differ from the document, or ""."""
    links = [_str(raw.get("link")) for raw in raw_entries]
    # Each scan of the document runs only once something in the result calls for it.
    if site_url and not is_absolute(site_url) and b"xml:base" in data:
        return "relative site link under xml:base"
    relative = any(link and not is_absolute(link) for link in links)
    if relative and b"xml:base" in data:
        return "relative links under xml:base"
    guid_links = [link for raw, link in zip(raw_entries, links, strict=True) if link == raw.get("id")]
    # fastfeedparser takes an http guid for the link even when isPermaLink="false" says it is not.
    if any(guid_links) and (b'isPermaLink="false"' in data or b"isPermaLink='false'" in data):
        if not all(_has_link_element(data, link) for link in guid_links if link):
            return "guid isPermaLink=false taken as a link"
    untitled = any(not raw.get("title") for raw in raw_entries)
    if untitled and (b'type="xhtml"' in data or b"type='xhtml'" in data):
        return "xhtml title dropped"
    return ""


def _entry(raw: dict[str, Any], link: str, title: str, base: str) -> Entry | None:
    contents = raw.get("content") or []
    content = _str(contents[0].get("value")) if contents and isinstance(contents[0], dict) else ""
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


def _has_link_element(data: bytes, link: str) -> bool:
    """True when the document holds <link>LINK</link>, so the link did not come from the guid."""
    return any(b"<link>" + form.encode() + b"</link>" in data for form in {link, xml_escape(link)})


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
