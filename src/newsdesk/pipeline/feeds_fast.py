"""The fast path: fastfeedparser's result mapped onto ParsedFeed, checked before it is trusted."""

from __future__ import annotations

import html
import re
from typing import Any
from xml.sax.saxutils import escape as xml_escape

import fastfeedparser

from newsdesk.models import Enclosure, Entry, ParsedFeed
from newsdesk.pipeline.feeds_repair import Unrepairable, repair_entries, unwrap_content
from newsdesk.pipeline.feeds_text import (
    MAX_TITLE_CHARS,
    is_absolute,
    make_enclosure,
    make_entry,
    parse_iso,
    plain_text,
    resolve_url,
    unique_terms,
)

_LOOSE_AMPERSAND = re.compile(rb"&(?!(?:amp|lt|gt|quot|apos);|#[0-9]+;|#[xX][0-9a-fA-F]+;)")
_SECTION_OPENER = re.compile(rb"<!(?:\[CDATA\[|--)")
_LANGUAGE = re.compile(rb"<(?:dc:)?language>\s*([A-Za-z0-9_-]{1,35})\s*</(?:dc:)?language>")
_DC_TITLE = re.compile(rb"<dc:title>([^<]*)</dc:title>")
_CHANNEL_LINK = re.compile(rb"<link>\s*([^<\s]+)\s*</link>|<link\s[^>]*?href=[\"']([^\"']+)")
_ITEM_LINK = re.compile(rb"<link>\s*([^<\s]+)\s*</link>")
_ATOM_ALTERNATE = re.compile(rb"<atom:link\b[^>]*>")
_NESTED_LINKS = re.compile(rb"<(image|textInput)\b.*?</\1\s*>", re.DOTALL | re.IGNORECASE)
_ENCLOSURE_LINK = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?link\b[^>]*\brel=[\"']enclosure[\"'][^>]*>")
_LENGTH = re.compile(rb"""\blength=["']\s*(\d+)\s*["']""")
_HREF = re.compile(rb"""href=["']([^"']+)["']""")
_NOT_PERMALINK = re.compile(rb"""<guid\s+isPermaLink=["']false["']\s*>\s*([^<]*?)\s*</guid>""")
_BASE64_TEXT = re.compile(r"[A-Za-z0-9+/]{8,}={0,2}")
_BASE64_START = re.compile(r"\s*[A-Za-z0-9+/]{8}")
_HEAD_BYTES = 8192
# An opening <title> (any prefix) whose text is followed by a child element.
_TITLE_WITH_CHILD = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?title\b[^>]*>[^<]*<(?![/!])")
# The same for <title> or <summary>, in Atom: one scan of the document instead of two.
_ATOM_WITH_CHILD = re.compile(
    rb"<(?:[A-Za-z_][\w.-]*:)?(?:(title)\b|summary\b(?![^>]*type=[\"']xhtml))[^>]*>[^<]*<(?![/!])"
)
# <item>, <entry> or a prefixed one; the unprefixed forms first, as the quicker to rule out.
ENTRY_TAG = re.compile(rb"<(?:item[\s>/]|entry[\s>/]|[A-Za-z_][\w.-]*:(?:item|entry)[\s>/])")
# Extension elements that share a local name with an RSS item's own, and the own start tags.
_EXTENSION_NAMES = (
    (b":title", re.compile(rb"<title[\s>]")),
    (b":description", re.compile(rb"<description[\s>]")),
)
# The elements fastfeedparser reads an item's publication date from, whatever their prefix.
_PUBLISHED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:pubDate|published|issued|date)[\s>]", re.I)
_ENTRY_END = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:item|entry)\s*>")
_NAME_END = frozenset((b" ", b">", b"\t", b"\n", b"\r", b"/"))
_PREFIX = re.compile(rb"[A-Za-z_][\w.-]*")


_REPAIRABLE = frozenset(
    {
        "relative links under xml:base",
        "title with markup",
        "summary with markup",
        "extension element named like a core one",
    }
)


class Untrusted(Exception):
    """The fast path's result cannot be trusted; the reason says why."""


def parse_fast(data: bytes, url: str, feed_format: str, expected: int | None = None) -> ParsedFeed:
    """Parse with fastfeedparser; raise Untrusted when the result should be redone by feedparser.

    `expected` is the number of <item>/<entry> tags in `data` when the caller has counted them.
    """
    try:
        # Always bytes: given a str that starts with http, fastfeedparser would fetch it.
        # newsdesk reads no media: elements (enclosures carry lead images): skip them.
        result = fastfeedparser.parse(bytes(data), include_media=False)
    except Exception as error:  # any failure of the fast path: use the slow one
        raise Untrusted(f"fastfeedparser raised: {_first_line(error)}") from error
    raw_entries: list[dict[str, Any]] = list(result.get("entries") or [])
    if expected is None:
        expected = len(ENTRY_TAG.findall(data))
    if len(raw_entries) < expected:
        raise Untrusted(f"fastfeedparser found {len(raw_entries)} of {expected} entries")
    feed: dict[str, Any] = result.get("feed") or {}
    head = _channel_head(data, feed_format)
    site_url = _site_url(feed, head)
    feed_title = _str(feed.get("title")) or _dc_title(head)
    if reason := _incomplete(raw_entries, feed_title, feed_format, data):
        raise Untrusted(reason)
    # Only a link equal to the entry's id can have come from a guid; the scan waits for one.
    linked_ids = any(raw.get("link") and raw.get("link") == raw.get("id") for raw in raw_entries)
    not_permalink = _not_permalink_guids(data) if linked_ids else frozenset()
    fixes: list[tuple[str, str, str | None]] = [
        (_guid_free_link(raw, not_permalink), _str(raw.get("title")), None) for raw in raw_entries
    ]
    if reason := _suspicion(raw_entries, site_url, data, feed_format):
        if reason not in _REPAIRABLE:
            raise Untrusted(reason)
        try:
            fixes, repaired_title = repair_entries(data, url, raw_entries)
            feed_title = repaired_title or feed_title
        except Unrepairable as error:
            raise Untrusted(f"{reason}, not repairable: {error}") from None
        fixes = [
            (_guid_free_link(raw, not_permalink, link), title, summary)
            for raw, (link, title, summary) in zip(raw_entries, fixes, strict=True)
        ]
    lengths = _enclosure_lengths(data, raw_entries)
    guessed = _guessed_dates(raw_entries, data)
    entries = tuple(
        e
        for i, (raw, (link, title, summary)) in enumerate(zip(raw_entries, fixes, strict=True))
        if (e := _entry(raw, link, title, summary, url, lengths, i in guessed)) is not None
    )
    return ParsedFeed(
        title=plain_text(feed_title, MAX_TITLE_CHARS),
        site_url=resolve_url(site_url, url),
        entries=entries,
        parser="fastfeedparser",
        format=feed_format,
        language=(_str(feed.get("language")) or _channel_language(data)).replace("_", "-"),
    )


def _incomplete(
    raw_entries: list[dict[str, Any]], feed_title: str, feed_format: str, data: bytes
) -> str:
    """Why fastfeedparser's result misses something feedparser would read, or ""."""
    # Looked for once, and only in RSS when an item has neither summary nor content.
    atom_content: bool | None = None if feed_format.startswith("rss") else False
    for raw in raw_entries:
        content = raw.get("content") or [{}]
        text = (_str(raw.get("description")), _str(content[0].get("value")))
        if not any(text) and not _str(raw.get("title")) and _bare_link(raw):
            # Markup, base64, <fullitem>, xhtml:body, id-only or link-only entries land here.
            return "entry with no title, summary or content"
        if not any(text) and atom_content is None:
            atom_content = b"<atom:content" in data
        if not any(text) and atom_content:
            return "atom:content inside an RSS item"
        if str(content[0].get("type") or "").startswith("application/octet"):
            return "base64 content"
        if any(_looks_base64(t) for t in (_str(raw.get("title")), *text)):
            return "base64 text"
    if _looks_base64(feed_title):
        return "base64 feed title"
    return ""


def _bare_link(raw: dict[str, Any]) -> bool:
    """True when the entry has no link, or only one fastfeedparser took from an enclosure."""
    return not raw.get("link") or _has_enclosure_link(raw)


def _has_enclosure_link(raw: dict[str, Any]) -> bool:
    links = raw.get("links") or ()
    return any(isinstance(x, dict) and x.get("rel") == "enclosure" for x in links)


def _looks_base64(text: str) -> bool:
    """A long run of base64 alphabet with no spaces: Atom's mode="base64", undecoded."""
    # Eight base64 characters after any leading space, checked without copying the text.
    if len(text) < 16 or not _BASE64_START.match(text):
        return False
    text = text.strip()
    if len(text) < 16 or len(text) % 4 or not _BASE64_TEXT.fullmatch(text):
        return False
    return text.endswith("=") or any(c.isdigit() for c in text)


def _suspicion(
    raw_entries: list[dict[str, Any]], site_url: str, data: bytes, feed_format: str
) -> str:
    """Why fastfeedparser's entries are known to differ from the document, or ""."""
    links = [_str(raw.get("link")) for raw in raw_entries]
    # Each scan of the document runs only once something in the result calls for it.
    if has_loose_ampersand(data):
        # libxml2 drops undefined entities and mangles bare "&"; feedparser reads them as HTML does.
        return "undefined entity or bare & outside CDATA"
    if site_url and not is_absolute(site_url) and b"xml:base" in data:
        return "relative site link under xml:base"
    relative = any(link and not is_absolute(link) for link in links)
    if relative and b"xml:base" in data:
        return "relative links under xml:base"
    # fastfeedparser keeps only the text before a title's (or summary's) first child element.
    if not feed_format.startswith("atom"):
        if _TITLE_WITH_CHILD.search(data):
            return "title with markup"
    elif found := _ATOM_WITH_CHILD.search(data):
        return "title with markup" if found.group(1) else "summary with markup"
    if feed_format.startswith("rss") and _extension_first(data):
        # fastfeedparser takes media:title or x:description when it comes before the core one.
        return "extension element named like a core one"
    return ""


def _extension_first(data: bytes) -> bool:
    """True unless every x:title and x:description follows its item's own title or description.

    fastfeedparser keeps the first child of each local name, so an extension element after the
    core one (WordPress puts media:title inside media:content at the end of the item) is harmless.
    The check is by bytes and errs towards True: the channel head, or no core element found
    between the item's opening tag and the extension element, counts as first.
    """
    for name, core in _EXTENSION_NAMES:
        pos = 0
        while (found := data.find(name, pos)) != -1:
            pos = found + len(name)
            if data[pos : pos + 1] not in _NAME_END:
                continue
            opener = data.rfind(b"<", 0, found)
            if not _PREFIX.fullmatch(data, opener + 1, found):
                continue  # an end tag, or text that is no element
            item = data.rfind(b"<item", 0, opener)
            if item == -1 or not core.search(data, item, opener):
                return True
    return False


def _entry(
    raw: dict[str, Any],
    link: str,
    title: str,
    summary: str | None,
    base: str,
    lengths: dict[str, str],
    guessed_date: bool = False,
) -> Entry | None:
    contents = raw.get("content") or []
    content = _str(contents[0].get("value")) if contents and isinstance(contents[0], dict) else ""
    if content.startswith("<content"):
        content = unwrap_content(content)
    tags = raw.get("tags") or []
    guid = _str(raw.get("id"))
    enclosures = _enclosures(raw.get("enclosures"), base)
    if not enclosures and _has_enclosure_link(raw):
        enclosures, link, guid = _atom_enclosures(raw, link, guid, base, lengths)
    return make_entry(
        guid=guid,
        link=link,
        title=title,
        base=base,
        summary=_str(raw.get("description")) if summary is None else summary,
        content=content,
        author=_str(raw.get("author")),
        published=None if guessed_date else parse_iso(raw.get("published")),
        updated=parse_iso(raw.get("updated")),
        categories=unique_terms(_str(t.get("term")) for t in tags if isinstance(t, dict)),
        enclosures=enclosures,
    )


def _guessed_dates(raw_entries: list[dict[str, Any]], data: bytes) -> frozenset[int]:
    """Positions of the entries whose published date fastfeedparser made up from the guid.

    An item with no date of its own has its guid, unless a URL, read by dateutil: "1" becomes the
    first of this month, "wed" the coming Wednesday. Such an entry carries no element a date is
    read from between its own start tag and the next entry's.
    """
    suspects = [i for i, raw in enumerate(raw_entries) if _date_may_be_guessed(raw)]
    if not suspects:
        return frozenset()
    starts = [m.start() for m in ENTRY_TAG.finditer(data)]
    if len(starts) != len(raw_entries):
        # Entries and tags do not line up: only a document with no such element is sure.
        dated = starts and _PUBLISHED_TAG.search(data, starts[0])
        return frozenset() if dated else frozenset(suspects)
    # The last entry ends at its end tag: channel elements may follow it, a <pubDate> among them.
    last_end = _ENTRY_END.search(data, starts[-1])
    ends = [*starts[1:], last_end.end() if last_end else len(data)]
    return frozenset(i for i in suspects if not _PUBLISHED_TAG.search(data, starts[i], ends[i]))


def _date_may_be_guessed(raw: dict[str, Any]) -> bool:
    """A published date that is not the updated one, beside a guid that is no URL."""
    published, guid = raw.get("published"), raw.get("id")
    return (
        bool(published)
        and published != raw.get("updated")
        and isinstance(guid, str)
        and not guid.startswith(("http://", "https://"))
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


def _not_permalink_guids(data: bytes) -> frozenset[bytes]:
    """The text of every <guid isPermaLink="false"> that is no item's <link>, read once."""
    if b"isPermaLink" not in data:
        return frozenset()
    guids = frozenset(_NOT_PERMALINK.findall(data))
    return guids - frozenset(_ITEM_LINK.findall(data)) if guids else guids


def _enclosure_lengths(data: bytes, raw_entries: list[dict[str, Any]]) -> dict[str, str]:
    """href -> length of Atom enclosure links, which fastfeedparser reads without the length."""
    if not any(not r.get("enclosures") and _has_enclosure_link(r) for r in raw_entries):
        return {}
    found = {}
    for tag in _ENCLOSURE_LINK.findall(data):
        href, length = _HREF.search(tag), _LENGTH.search(tag)
        if href and length:
            found[html.unescape(href.group(1).decode("utf-8", "replace"))] = length.group(
                1
            ).decode()
    return found


def _atom_enclosures(
    raw: dict[str, Any], link: str, guid: str, base: str, lengths: dict[str, str]
) -> tuple[tuple[Enclosure, ...], str, str]:
    """Enclosures from rel="enclosure" links; the link and id lose one taken from them."""
    hrefs = []
    for x in raw.get("links") or ():
        if isinstance(x, dict) and x.get("rel") == "enclosure" and (href := _str(x.get("href"))):
            hrefs.append((href, x.get("type")))
    found = (make_enclosure(h, t, lengths.get(h), base) for h, t in hrefs)
    taken = {h for h, _ in hrefs}
    return (
        tuple(e for e in found if e is not None),
        "" if link in taken else link,
        "" if guid in taken else guid,
    )


def _guid_free_link(
    raw: dict[str, Any], not_permalink: frozenset[bytes], link: str | None = None
) -> str:
    """The entry's link, minus one fastfeedparser took from a guid marked isPermaLink="false"."""
    link = _str(raw.get("link")) if link is None else link
    if not link or link != raw.get("id") or not not_permalink:
        return link
    if link.encode() in not_permalink or xml_escape(link).encode() in not_permalink:
        return ""
    return link


def has_loose_ampersand(data: bytes) -> bool:
    """True when an "&" outside CDATA and comments starts no XML entity or char reference."""
    pos = 0
    match = _LOOSE_AMPERSAND.search(data)
    while match is not None:
        # The first section opened before the "&" decides: "<!--" inside CDATA opens nothing.
        opener = _SECTION_OPENER.search(data, pos, match.start())
        if opener is None:
            return True
        closer = b"]]>" if opener.group() == b"<![CDATA[" else b"-->"
        closed = data.find(closer, opener.end())
        if closed == -1:
            return True
        pos = closed + len(closer)
        if pos > match.start():
            match = _LOOSE_AMPERSAND.search(data, pos)
    return False


def _channel_head(data: bytes, feed_format: str) -> bytes:
    """The RSS channel's own elements: the bytes before the first <item>, at most 8 KiB."""
    if not feed_format.startswith("rss"):
        return b""
    end = data.find(b"<item", 0, _HEAD_BYTES)
    return data[: end if end != -1 else _HEAD_BYTES]


def _site_url(feed: dict[str, Any], head: bytes) -> str:
    """The channel link; with several <link>s the last wins, as in feedparser and gofeed."""
    links = _CHANNEL_LINK.findall(head)
    if len(links) > 1:
        # <image> and <textInput> carry links of their own that are not the site's.
        links = _CHANNEL_LINK.findall(_NESTED_LINKS.sub(b"", head))
    if len(links) > 1:
        return html.unescape(b"".join(links[-1]).decode("utf-8", "replace"))
    if link := _str(feed.get("link")):
        return link
    for tag in _ATOM_ALTERNATE.findall(head):
        if b"alternate" in tag and (href := _HREF.search(tag)):
            return html.unescape(href.group(1).decode("utf-8", "replace"))
    return ""


def _dc_title(head: bytes) -> str:
    """An RSS channel's <dc:title>, which fastfeedparser does not read."""
    match = _DC_TITLE.search(head)
    return html.unescape(match.group(1).decode("utf-8", "replace")) if match else ""


def _channel_language(data: bytes) -> str:
    """RSS <language> or <dc:language> from the head; fastfeedparser reads only xml:lang."""
    match = _LANGUAGE.search(data, 0, _HEAD_BYTES)
    return match.group(1).decode("ascii", "replace").strip() if match else ""


def _str(value: object) -> str:
    return value if isinstance(value, str) else ""


def _first_line(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__
