"""JSON Feed 1.0/1.1 mapped onto ParsedFeed with the standard library's json module."""

from __future__ import annotations

import html
import json
from typing import Any

from newsdesk.models import Enclosure, Entry, ParsedFeed
from newsdesk.pipeline.feeds_text import (
    MAX_TITLE_CHARS,
    make_enclosure,
    make_entry,
    parse_date,
    plain_text,
    resolve_url,
    unique_terms,
)


class JsonFeedError(ValueError):
    """The body is JSON but not a JSON Feed."""


def parse_json_feed(data: bytes, url: str = "", *, max_entries: int | None = None) -> ParsedFeed:
    """Map a JSON Feed document onto ParsedFeed; raises JsonFeedError when it is not one.

    Only the first `max_entries` items are read, when given.
    """
    try:
        document = json.loads(data)
    except RecursionError as error:
        raise JsonFeedError("JSON nested too deeply") from error
    except ValueError as error:
        raise JsonFeedError(f"JSON syntax error: {error}") from error
    if not isinstance(document, dict):
        raise JsonFeedError("not a feed: JSON document is not an object")
    version = _text(document.get("version"))
    items = document.get("items")
    if "jsonfeed.org" not in version and not isinstance(items, list):
        raise JsonFeedError("not a feed: JSON document without a JSON Feed version or items")
    base = _text(document.get("feed_url")) or url
    site_url = resolve_url(_text(document.get("home_page_url")), base)
    feed_authors = _authors(document)
    entries = tuple(
        entry
        for item in (items if isinstance(items, list) else [])[:max_entries]
        if isinstance(item, dict) and (entry := _entry(item, base, feed_authors)) is not None
    )
    return ParsedFeed(
        title=plain_text(_text(document.get("title")), MAX_TITLE_CHARS),
        site_url=site_url,
        entries=entries,
        parser="json",
        format="json" + version.rstrip("/").rsplit("/", 1)[-1] if version else "json",
        language=_text(document.get("language")),
    )


def _entry(item: dict[str, Any], base: str, feed_authors: str) -> Entry | None:
    content = _text(item.get("content_html"))
    if not content and (text := _text(item.get("content_text"))):
        # Downstream stages expect HTML; plain text is escaped so it stays text.
        content = html.escape(text)
    tags = item.get("tags")
    attachments = item.get("attachments")
    item_id = item.get("id")
    return make_entry(
        guid=str(item_id) if isinstance(item_id, (str, int)) else "",
        link=_text(item.get("url")) or _text(item.get("external_url")),
        title=_text(item.get("title")),
        base=base,
        summary=_text(item.get("summary")),
        content=content,
        author=_authors(item) or feed_authors,
        published=parse_date(item.get("date_published")),
        updated=parse_date(item.get("date_modified")),
        categories=unique_terms(
            t for t in (tags if isinstance(tags, list) else []) if isinstance(t, str)
        ),
        enclosures=_enclosures(attachments, base),
    )


def _enclosures(attachments: object, base: str) -> tuple[Enclosure, ...]:
    if not isinstance(attachments, list):
        return ()
    found = (
        make_enclosure(a.get("url"), a.get("mime_type"), a.get("size_in_bytes"), base)
        for a in attachments
        if isinstance(a, dict)
    )
    return tuple(e for e in found if e is not None)


def _authors(node: dict[str, Any]) -> str:
    """Author names joined by commas: 1.1 `authors`, else 1.0 `author`."""
    authors = node.get("authors")
    if not isinstance(authors, list):
        authors = [node.get("author")]
    names = [_text(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n)


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""
