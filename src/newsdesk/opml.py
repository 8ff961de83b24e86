"""OPML subscription lists: parse them safely into feeds, and export sources as OPML 2.0."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from itertools import pairwise
from urllib.parse import urlsplit, urlunsplit

from lxml import etree

from newsdesk.models import Source

SECTIONS: tuple[str, ...] = (
    "world", "politics", "business", "technology", "science", "health", "sports",
    "entertainment", "lifestyle", "crime", "environment", "opinion",
)  # fmt: skip

_SECTION_WORDS: dict[str, str] = {
    **dict.fromkeys(
        ("world", "international", "global", "foreign", "europe", "asia", "africa", "americas",
         "middleeast", "worldnews"), "world"),
    **dict.fromkeys(
        ("politics", "political", "government", "election", "elections", "policy", "congress",
         "parliament", "whitehouse"), "politics"),
    **dict.fromkeys(
        ("business", "economy", "economics", "finance", "financial", "markets", "market", "money",
         "companies", "investing", "startups"), "business"),
    **dict.fromkeys(
        ("tech", "technology", "technologies", "computing", "computers", "gadgets", "internet",
         "software", "digital", "programming", "ai", "it", "security", "cybersecurity"),
        "technology"),
    **dict.fromkeys(
        ("science", "sciences", "scientific", "space", "research", "astronomy", "physics",
         "biology", "chemistry"), "science"),
    **dict.fromkeys(
        ("health", "medicine", "medical", "wellness", "wellbeing", "healthcare", "fitness"),
        "health"),
    **dict.fromkeys(
        ("sport", "sports", "football", "soccer", "cricket", "tennis", "rugby", "golf", "nfl",
         "nba", "mlb", "nhl", "f1", "formula1", "baseball", "basketball", "hockey", "athletics",
         "olympics", "cycling", "motorsport"), "sports"),
    **dict.fromkeys(
        ("entertainment", "culture", "arts", "art", "movies", "movie", "film", "films", "music",
         "tv", "television", "celebrity", "celebrities", "books", "showbiz", "gaming", "games"),
        "entertainment"),
    **dict.fromkeys(
        ("lifestyle", "life", "living", "food", "travel", "fashion", "style", "home", "family",
         "cooking", "recipes", "design"), "lifestyle"),
    **dict.fromkeys(("crime", "justice", "law", "legal", "courts", "police"), "crime"),
    **dict.fromkeys(
        ("environment", "environmental", "climate", "climatechange", "green", "ecology",
         "sustainability", "planet"), "environment"),
    **dict.fromkeys(
        ("opinion", "opinions", "comment", "commentary", "editorial", "editorials", "columns",
         "columnists", "analysis"), "opinion"),
}  # fmt: skip

_WORD = re.compile(r"[a-z0-9]+")
_BARE_AMPERSAND = re.compile(rb"&(?!#[0-9]+;|#x[0-9a-fA-F]+;|[A-Za-z][A-Za-z0-9]*;)")


class OpmlError(ValueError):
    """The bytes are not a usable OPML document; the message says why."""


@dataclass(frozen=True)
class OpmlFeed:
    """One subscription from an OPML file.

    ``group`` is the enclosing folder path ("A/B"), ``section`` the known section named by the
    outline's category attribute, else the one hinted by its folder, else "".
    """

    url: str
    title: str
    site_url: str
    group: str
    section: str = ""


def section_hint(group: str) -> str:
    """Map a folder name such as "Sports & Football" or "News/Tech" to a section, or ""."""
    for part in reversed(group.split("/")):
        words = _WORD.findall(part.lower())
        joined = ["".join(pair) for pair in pairwise(words)]
        for word in [*joined, *words]:
            if word in _SECTION_WORDS:
                return _SECTION_WORDS[word]
    return ""


def parse_opml(data: bytes) -> list[OpmlFeed]:
    """Parse OPML bytes into feeds, deduplicated by URL; raise OpmlError when it is not OPML."""
    root = _parse_xml(data)
    if _local_name(root) != "opml":
        raise OpmlError(f"not an OPML document: the root element is <{_local_name(root)}>")
    body = next((child for child in root if _local_name(child) == "body"), None)
    if body is None:
        raise OpmlError("not an OPML document: it has no <body>")
    feeds: dict[str, OpmlFeed] = {}
    for feed in _walk(body, ()):
        feeds.setdefault(feed.url, feed)
    return list(feeds.values())


def export_opml(
    sources: Sequence[Source], title: str = "newsdesk sources", created: datetime | None = None
) -> str:
    """Render sources as an OPML 2.0 document, one folder level per "/" of ``Source.group``."""
    root = etree.Element("opml", version="2.0")
    head = etree.SubElement(root, "head")
    etree.SubElement(head, "title").text = title
    if created is not None:
        etree.SubElement(head, "dateCreated").text = format_datetime(created)
    body = etree.SubElement(root, "body")
    folders: dict[tuple[str, ...], etree._Element] = {(): body}
    for source in sources:
        parent = _folder(folders, tuple(p for p in source.group.split("/") if p.strip()))
        attrs = {"type": "rss", "text": source.title or source.url}
        if source.title:
            attrs["title"] = source.title
        attrs["xmlUrl"] = source.url
        if source.site_url:
            attrs["htmlUrl"] = source.site_url
        if source.section:
            attrs["category"] = source.section
        etree.SubElement(parent, "outline", attrs)
    etree.indent(root, space="  ")
    text: str = etree.tostring(root, encoding="unicode")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + text + "\n"


def _folder(
    folders: dict[tuple[str, ...], etree._Element], path: tuple[str, ...]
) -> etree._Element:
    if path not in folders:
        parent = _folder(folders, path[:-1])
        folders[path] = etree.SubElement(parent, "outline", text=path[-1], title=path[-1])
    return folders[path]


def _parse_xml(data: bytes) -> etree._Element:
    if not isinstance(data, bytes | bytearray):
        raise OpmlError("OPML must be given as bytes")
    if not data.strip():
        raise OpmlError("the file is empty")
    root = _try_parse(bytes(data), recover=False)
    if root is None:
        # Real exports often carry a bare "&" in a title or URL; repair that before recovering.
        repaired = _BARE_AMPERSAND.sub(b"&amp;", bytes(data))
        root = _try_parse(repaired, recover=False)
        if root is None:
            root = _try_parse(repaired, recover=True)
    if root is None:
        raise OpmlError("not well-formed XML")
    dtd = root.getroottree().docinfo.internalDTD
    if dtd is not None and any(True for _ in dtd.iterentities()):
        raise OpmlError("refused: the document declares XML entities")
    return root


def _try_parse(data: bytes, *, recover: bool) -> etree._Element | None:
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=recover
    )
    try:
        return etree.fromstring(data, parser)
    except (etree.LxmlError, ValueError):
        return None


def _walk(element: etree._Element, folder: tuple[str, ...]) -> Iterator[OpmlFeed]:
    for child in element:
        if _local_name(child) != "outline":
            continue
        try:
            attrs = {str(k).lower(): str(v).strip() for k, v in child.attrib.items()}
        except ValueError:  # lxml cannot decode the attribute (invalid UTF-8): skip the outline
            continue
        name = attrs.get("title") or attrs.get("text") or ""
        if "xmlurl" in attrs:
            url = attrs["xmlurl"]
            if _is_web_url(url):
                yield _feed(_tidy_url(url), name, attrs, folder)
        elif len(child):
            yield from _walk(child, (*folder, name) if name else folder)


def _feed(url: str, name: str, attrs: dict[str, str], folder: tuple[str, ...]) -> OpmlFeed:
    group = "/".join(folder)
    site_url = attrs.get("htmlurl", "")
    categories = [c.strip().strip("/").lower() for c in attrs.get("category", "").split(",")]
    section = next((c for c in categories if c in SECTIONS), "") or section_hint(group)
    return OpmlFeed(
        url=url,
        title="" if name == url else name,
        site_url=site_url if _is_web_url(site_url) else "",
        group=group,
        section=section,
    )


def _tidy_url(url: str) -> str:
    """One spelling of a feed URL: scheme and host in lower case, no fragment; the path and
    query stay as written (servers may tell their cases apart)."""
    parts = urlsplit(url)
    host = parts.netloc.lower() if "@" not in parts.netloc else parts.netloc
    return urlunsplit((parts.scheme.lower(), host, parts.path or "/", parts.query, ""))


def _is_web_url(url: str) -> bool:
    try:
        parts = urlsplit(url)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and " " not in url


def _local_name(element: etree._Element) -> str:
    tag = element.tag
    if not isinstance(tag, str):  # comments and processing instructions
        return ""
    return tag.rsplit("}", 1)[-1].lower()


def import_summary(listed: Sequence[Source], known: set[int]) -> str:
    """What an import did: "imported 3 new sources (4 already followed)"; `known` holds the
    ids of the sources there before it."""
    new = sum(1 for s in listed if s.id not in known)
    text = f"imported {new} new source{'' if new == 1 else 's'}"
    there = len(listed) - new
    return f"{text} ({there} already followed)" if there else text
