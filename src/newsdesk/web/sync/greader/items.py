"""Articles as Google Reader items: JSON for stream/contents, Atom for reader/atom."""

from __future__ import annotations

import html
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape, quoteattr

from newsdesk.models import Article, Source
from newsdesk.store.base_reading import ReadingItem
from newsdesk.web.sync.greader.common import LABEL, READ, READING_LIST, STARRED, STATE
from newsdesk.web.sync.ids import long_item_id, usec

GOOGLE_SCHEME = "http://www.google.com/reader/"


def content_html(article: Article) -> str:
    """The article's sanitized HTML, else its summary or text as escaped paragraphs."""
    if article.content_html:
        return article.content_html
    text = article.summary or article.text
    return "".join(f"<p>{html.escape(p)}</p>" for p in text.split("\n\n") if p.strip())


def item_states(item: ReadingItem) -> list[str]:
    states = [READING_LIST]
    if item.is_read:
        states.append(READ)
    if item.is_starred:
        states.append(STARRED)
    return states


def item_json(item: ReadingItem, sources: dict[int, Source]) -> dict[str, Any]:
    """One item; `sources` by id give its feed's folder (their section) and web site."""
    a = item.article
    categories = item_states(item)
    source = sources.get(a.source_id)
    if source is not None and source.section:
        categories.append(LABEL + source.section)
    stamp = usec(a.published)
    return {
        "id": long_item_id(a.id),
        "crawlTimeMsec": str(usec(a.fetched_at) // 1000),
        "timestampUsec": str(stamp),
        "published": int(a.published.timestamp()),
        "updated": int(a.published.timestamp()),
        "title": a.title,
        "author": a.author,
        "canonical": [{"href": a.url}],
        "alternate": [{"href": a.url, "type": "text/html"}],
        "categories": categories,
        "origin": {
            "streamId": f"feed/{a.source_id}",
            "title": a.source_title,
            "htmlUrl": (source.site_url or source.url) if source else "",
        },
        "summary": {"direction": "ltr", "content": content_html(a)},
    }


def stream_json(
    stream_id: str, title: str, items: list[ReadingItem], sources: dict[int, Source]
) -> dict[str, Any]:
    newest = max((i.article.published for i in items), default=None)
    return {
        "direction": "ltr",
        "id": stream_id,
        "title": title,
        "description": "",
        "updated": int(newest.timestamp()) if newest else 0,
        "items": [item_json(i, sources) for i in items],
    }


def _rfc3339(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _category(stream: str) -> str:
    label = stream.rsplit("/", 1)[-1]
    return (
        f"<category term={quoteattr(stream)} scheme={quoteattr(GOOGLE_SCHEME)}"
        f" label={quoteattr(label)}/>"
    )


def atom_feed(stream_id: str, title: str, self_url: str, items: list[ReadingItem]) -> str:
    """An Atom document in Google Reader's dialect: read state as labelled categories.

    Unread items carry the `fresh` label, so that newsboat takes the server's word when an
    item it had read becomes unread again.
    """
    updated = max((i.article.published for i in items), default=None)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom"'
        ' xmlns:gr="http://www.google.com/schemas/reader/atom/">',
        f"<id>tag:google.com,2005:reader/{escape(stream_id)}</id>",
        f"<title>{escape(title)}</title>",
        f'<link rel="self" href={quoteattr(self_url)}/>',
        f"<updated>{_rfc3339(updated) if updated else '1970-01-01T00:00:00Z'}</updated>",
    ]
    for item in items:
        a = item.article
        states = item_states(item)
        if not item.is_read:
            states.append(STATE + "fresh")
        parts += [
            '<entry gr:crawl-timestamp-msec="' + str(usec(a.fetched_at) // 1000) + '">',
            f"<id>{long_item_id(a.id)}</id>",
            f'<title type="text">{escape(a.title)}</title>',
            f"<published>{_rfc3339(a.published)}</published>",
            f"<updated>{_rfc3339(a.published)}</updated>",
            f'<link rel="alternate" href={quoteattr(a.url)} type="text/html"/>',
            *(_category(s) for s in states),
            f'<content type="html">{escape(content_html(a))}</content>',
            f"<author><name>{escape(a.author or a.source_title)}</name></author>",
            f'<source gr:stream-id="feed/{a.source_id}"><title>{escape(a.source_title)}</title>'
            "</source>",
            "</entry>",
        ]
    parts.append("</feed>")
    return "\n".join(parts)
