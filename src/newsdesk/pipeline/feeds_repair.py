"""Repairs to fastfeedparser entries that need the document tree: xml:base links, markup titles.

Both would otherwise send the feed to feedparser, which costs ten times as much as one lxml parse.
"""

from __future__ import annotations

import re
from html import escape
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newsdesk.pipeline.feeds_text import is_absolute

# No entity expansion, no DTD loading, no network. Recovering, as fastfeedparser's own parse does;
# the entry count check below catches a recovery that went differently.
_PARSER = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, recover=True
)
_STRICT = etree.XMLParser(
    resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False, recover=False
)
_OWN = (
    "http://purl.org/rss/1.0/",
    "http://backend.userland.com/rss2",
    "http://backend.userland.com/RSS2",
    "http://www.w3.org/2005/Atom",
    "http://purl.org/atom/ns#",
)
_XHTML_DIV = "{http://www.w3.org/1999/xhtml}div"
# lxml serialises with one space before each attribute; a literal prefix keeps the scan fast.
_XMLNS = re.compile(r' xmlns(?::\w+)?="[^"]*"')
_XHTML_DIV_OPEN = '<div xmlns="http://www.w3.org/1999/xhtml">'
_DIV_TAG = re.compile(r"<div\b[^>]*?(/?)>|</div>")


class Unrepairable(Exception):
    """The document cannot be lined up with fastfeedparser's entries."""


def repair_entries(
    data: bytes, url: str, raw_entries: list[dict[str, Any]]
) -> tuple[list[tuple[str, str, str | None]], str | None]:
    """(link, title, summary) per entry, and the feed title, read again from the tree.

    Links are resolved through xml:base; titles holding child elements keep their inner markup;
    title and summary come from the feed's own elements, never an extension's (media:title,
    x:description) that fastfeedparser may take instead. Summary is None when the tree has none.
    The feed title is None when the tree has nothing better than fastfeedparser's.
    """
    # Whitespace before the XML declaration is common and is all that stops a strict parse.
    data = data.lstrip() if data[:1].isspace() else data
    strict = True
    try:
        root = etree.fromstring(data, _STRICT, base_url=url or None)
    except (etree.XMLSyntaxError, ValueError):
        strict = False
        try:
            root = etree.fromstring(data, _PARSER, base_url=url or None)
        except (etree.XMLSyntaxError, ValueError) as error:
            raise Unrepairable(str(error)) from error
    if root is None:
        raise Unrepairable("no document element")
    elements = list(root.iter("{*}entry", "{*}item", "entry", "item"))
    if len(elements) != len(raw_entries):
        raise Unrepairable("entries do not line up with the tree")
    fixed = []
    for raw, element in zip(raw_entries, elements, strict=True):
        link = raw.get("link") or ""
        if link and not is_absolute(link):
            link = _resolve_in_tree(element, link)
        title = raw.get("title") or ""
        summary = None
        if strict:
            # A recovered tree can lose text (libxml2 drops &amp; after some errors): keep
            # fastfeedparser's reading of plain fields unless the tree is the whole document.
            title, summary = _own_text(element, "title", title), _own_summary(element)
        fixed.append((link, _markup_title(element) or title, summary))
    channel = root.find("channel") if root.find("channel") is not None else root
    return fixed, _markup_title(channel) or None


def _resolve_in_tree(entry: etree._Element, link: str) -> str:
    for child in entry:
        if not isinstance(child.tag, str) or etree.QName(child).localname != "link":
            continue
        href = (child.get("href") or child.text or "").strip()
        if href == link:
            return urljoin(child.base or "", link) if child.base else link
    raise Unrepairable(f"no link element for {link}")


def _own_text(entry: etree._Element, name: str, default: str) -> str:
    """The text of the entry's own `name` child, ignoring extension namespaces."""
    for child in entry:
        if isinstance(child.tag, str) and child.tag in (name, *(f"{{{ns}}}{name}" for ns in _OWN)):
            return "".join(child.itertext())
    return default


def _own_summary(entry: etree._Element) -> str | None:
    """RSS <description> or Atom <summary> as given: text, or the markup it holds."""
    for child in entry:
        if not isinstance(child.tag, str):
            continue
        ns, _, local = (
            child.tag[1:].rpartition("}") if child.tag[:1] == "{" else ("", "", child.tag)
        )
        if local in ("description", "summary") and (not ns or ns in _OWN):
            return inner_markup(child) if len(child) else (child.text or "")
    return None


def _markup_title(parent: etree._Element) -> str:
    """The inner markup of the first <title> child when it holds elements, else ""."""
    for child in parent:
        if isinstance(child.tag, str) and etree.QName(child).localname == "title":
            return inner_markup(child) if len(child) else ""
    return ""


def inner_markup(element: etree._Element) -> str:
    """What an element holds, as markup; an XHTML <div> wrapper is unwrapped as Atom says."""
    div = element.find(_XHTML_DIV)
    holder = div if div is not None and len(element) == 1 else element
    if not len(holder):
        return escape(holder.text or "", quote=False)
    # One serialisation of the holder, cut between its own tags (lxml escapes ">" in attribute
    # values, so the first ">" ends the start tag); cheaper than one call per child.
    whole = etree.tostring(holder, encoding="unicode", with_tail=False)
    markup = whole[whole.index(">") + 1 : whole.rindex("</")]
    return _XMLNS.sub("", markup) if "xmlns" in markup else markup


def unwrap_content(serialized: str) -> str:
    """fastfeedparser's serialized <content type="xhtml"> element, reduced to what it holds."""
    if (inner := _single_div_markup(serialized)) is not None:
        return inner
    try:
        element = etree.fromstring(serialized.encode(), _PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return serialized
    return inner_markup(element)


def _single_div_markup(serialized: str) -> str | None:
    """What inner_markup gives for the usual shape, read off lxml's serialization; else None.

    The usual shape is one XHTML <div> holding elements, with no comment, processing instruction
    or CDATA anywhere. In lxml's output every "<" starts markup ("<" and ">" in text and attribute
    values are escaped), so counting <div> tags finds where the first one closes. Anything else
    is parsed again.
    """
    start, end = serialized.find(">") + 1, serialized.rfind("</")
    if "<!" in serialized or "<?" in serialized or not 0 < start <= end:
        return None  # also an empty, self-closed <content/>
    body = serialized[start:end].strip()
    if not body.startswith(_XHTML_DIV_OPEN) or not body.endswith("</div>"):
        return None
    if body.count("</div>") > 1 and _first_div_end(body) != len(body):
        return None  # a second child follows the first <div>
    inner = body[len(_XHTML_DIV_OPEN) : -len("</div>")]
    if "<" not in inner:
        return None  # text alone: inner_markup escapes it afresh
    return _XMLNS.sub("", inner) if "xmlns" in inner else inner


def _first_div_end(markup: str) -> int:
    """Where the <div> that `markup` starts with closes, by counting div tags."""
    depth = 0
    for tag in _DIV_TAG.finditer(markup):
        if not tag.group(1):  # <div/> opens and closes at once
            depth += -1 if tag.group(0) == "</div>" else 1
        if depth == 0:
            return tag.end()
    return -1
