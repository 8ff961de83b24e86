"""Render articles as RSS 2.0 and Atom 1.0 documents; pure, so every feed-out route shares it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime

from lxml import etree

from newsdesk.models import Article

ATOM_NS = "http://www.w3.org/2005/Atom"
# Characters XML 1.0 cannot carry at all, even escaped.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
SUMMARY_CHARS = 600


@dataclass(frozen=True)
class FeedInfo:
    title: str
    page_url: str  # the HTML page this feed mirrors
    self_url: str  # this feed's own URL
    description: str


@dataclass(frozen=True)
class FeedItem:
    article: Article
    url: str  # the article's page on this site
    source_url: str = ""  # the feed the article came from (RSS <source url=...>)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def _summary(article: Article) -> str:
    text = article.summary or article.text
    text = " ".join(text.split())
    return text if len(text) <= SUMMARY_CHARS else text[: SUMMARY_CHARS - 1].rstrip() + "…"


def _add(parent: etree._Element, tag: str, text: str = "", **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.rstrip("_"): _clean(v) for k, v in attrs.items()})
    if text:
        element.text = _clean(text)
    return element


def rss(info: FeedInfo, items: Sequence[FeedItem], now: datetime | None = None) -> bytes:
    """An RSS 2.0 document, with an atom:link to itself as the RSS Advisory Board advises."""
    root = etree.Element("rss", version="2.0", nsmap={"atom": ATOM_NS})
    channel = etree.SubElement(root, "channel")
    _add(channel, "title", info.title)
    _add(channel, "link", info.page_url)
    _add(channel, "description", info.description)
    _add(channel, f"{{{ATOM_NS}}}link", href=info.self_url, rel="self", type="application/rss+xml")
    _add(channel, "lastBuildDate", format_datetime(_updated(items, now)))
    _add(channel, "generator", "newsdesk")
    for item in items:
        a = item.article
        element = etree.SubElement(channel, "item")
        _add(element, "title", a.title or "(untitled)")
        _add(element, "link", item.url)
        _add(element, "guid", item.url, isPermaLink="true")
        _add(element, "pubDate", format_datetime(a.published.astimezone(UTC)))
        if a.summary or a.text:
            _add(element, "description", _summary(a))
        if a.section:
            _add(element, "category", a.section)
        if a.source_title and item.source_url:
            _add(element, "source", a.source_title, url=item.source_url)
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def atom(info: FeedInfo, items: Sequence[FeedItem], now: datetime | None = None) -> bytes:
    """An Atom 1.0 document; each entry's author is its byline, else its source."""
    root = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS})
    _add(root, f"{{{ATOM_NS}}}id", info.self_url)
    _add(root, f"{{{ATOM_NS}}}title", info.title)
    _add(root, f"{{{ATOM_NS}}}subtitle", info.description)
    _add(root, f"{{{ATOM_NS}}}updated", _updated(items, now).isoformat())
    _add(root, f"{{{ATOM_NS}}}link", href=info.self_url, rel="self")
    _add(root, f"{{{ATOM_NS}}}link", href=info.page_url, rel="alternate", type="text/html")
    _add(root, f"{{{ATOM_NS}}}generator", "newsdesk")
    for item in items:
        a = item.article
        entry = etree.SubElement(root, f"{{{ATOM_NS}}}entry")
        _add(entry, f"{{{ATOM_NS}}}id", item.url)
        _add(entry, f"{{{ATOM_NS}}}title", a.title or "(untitled)", type="text")
        _add(entry, f"{{{ATOM_NS}}}link", href=item.url, rel="alternate", type="text/html")
        _add(entry, f"{{{ATOM_NS}}}published", a.published.astimezone(UTC).isoformat())
        _add(entry, f"{{{ATOM_NS}}}updated", a.published.astimezone(UTC).isoformat())
        author = etree.SubElement(entry, f"{{{ATOM_NS}}}author")
        _add(author, f"{{{ATOM_NS}}}name", a.author or a.source_title or "newsdesk")
        if a.section:
            _add(entry, f"{{{ATOM_NS}}}category", term=a.section)
        if a.summary or a.text:
            _add(entry, f"{{{ATOM_NS}}}summary", _summary(a), type="text")
    return bytes(etree.tostring(root, xml_declaration=True, encoding="utf-8"))


def _updated(items: Sequence[FeedItem], now: datetime | None) -> datetime:
    if items:
        return max(i.article.published for i in items).astimezone(UTC)
    return (now or datetime.now(UTC)).astimezone(UTC)
