"""Cheap checks on raw feed bytes before any parser sees them: kind, encoding, is it safe."""

from __future__ import annotations

import codecs
import json
import re
from typing import Literal

from newsdesk.fetch.decode import text_codec

Kind = Literal["xml", "json", "html", "empty", "unknown"]

_SNIFF_BYTES = 65536
_FEED_ROOTS = frozenset({"rss", "feed", "rdf", "channel"})
_HTML_ROOTS = frozenset({"html", "head", "body", "div", "p", "script", "title", "meta", "a"})
_FEED_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF)[\s>/]")
_DECLARED_FEED = re.compile(
    r"<rss\s[^>]*version=|<feed\s[^>]*xmlns=[\"']http://(?:www\.w3\.org/2005/Atom|purl\.org/atom)"
    r"|<rdf:RDF[\s>]"
)
_ENTITY_DECL = re.compile(r"<!\s*ENTITY", re.IGNORECASE)
_ENTITY_DECL_BYTES = re.compile(rb"<!\s*ENTITY", re.IGNORECASE)
# A DOCTYPE that opens an internal subset, quoted identifiers (which may hold ">") skipped.
_INTERNAL_SUBSET = re.compile(r"""<!DOCTYPE(?:[^>\["']|"[^"]*"|'[^']*')*\[""", re.IGNORECASE)
_PROLOGUE_SKIP = re.compile(
    r"\s+|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>", re.DOTALL | re.IGNORECASE
)
_ELEMENT_NAME = re.compile(r"<([A-Za-z_][\w.:-]*)")
_DOCTYPE_HTML = re.compile(r"<!DOCTYPE\s+html", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_ENCODING_DECLARED = re.compile(rb"\s*<\?xml[^>]*?\bencoding\s*=")
_NULL_PATTERNS = (
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00<\x00?", "utf-16-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00r", "utf-16-be"),
    (b"<\x00r\x00", "utf-16-le"),
    (b"\x00<\x00f", "utf-16-be"),
    (b"<\x00f\x00", "utf-16-le"),
)


def as_text(data: bytes, limit: int | None = None) -> str:
    """The document (or its first `limit` bytes) decoded just well enough to look for markup."""
    chunk = data if limit is None else data[:limit]
    for bom, encoding in _BOMS:
        if chunk.startswith(bom):
            return chunk[len(bom) :].decode(encoding, errors="replace")
    for head, encoding in _NULL_PATTERNS:
        if chunk.startswith(head):
            return chunk.decode(encoding, errors="replace")
    # latin-1 keeps every ASCII byte where it is, which is all the markup checks need.
    return chunk.decode("latin-1")


def declares_entities(data: bytes) -> bool:
    """True when the document declares XML entities outside CDATA (billion laughs, XXE)."""
    if not might_be_wide(data) and not _ENTITY_DECL_BYTES.search(data):
        return False
    text = as_text(data)
    if _INTERNAL_SUBSET.search(text) and _ENTITY_DECL.search(text):
        # Inside a DTD, "<![CDATA[" means nothing, so a fake one in a comment hides nothing.
        return True
    for match in _ENTITY_DECL.finditer(text):
        opened = text.rfind("<![CDATA[", 0, match.start())
        if opened == -1 or text.find("]]>", opened, match.start()) != -1:
            return True
    return False


def might_be_wide(data: bytes) -> bool:
    """True when the document may be UTF-16 or UTF-32, where NUL bytes are part of characters."""
    return b"\x00" in data[:4] or data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


def root_name(text: str) -> str:
    """Local name of the first element after the prologue, lower-cased; "" if none is found."""
    pos = 0
    while True:
        skipped = _PROLOGUE_SKIP.match(text, pos)
        if not skipped or skipped.end() == pos:
            break
        pos = skipped.end()
    element = _ELEMENT_NAME.match(text, pos)
    if not element:
        return ""
    return element.group(1).rsplit(":", 1)[-1].lower()


def sniff(data: bytes, content_type: str = "") -> Kind:
    """What the body looks like: an XML feed, a JSON document, an HTML page, empty, or unknown."""
    text = as_text(data, _SNIFF_BYTES).lstrip("\ufeff \t\r\n")
    if not text.strip("\x00"):
        return "empty"
    if text.startswith(("{", "[")):
        return "json"
    name = root_name(text)
    if name in _FEED_ROOTS:
        return "xml"
    if name in _HTML_ROOTS or _DOCTYPE_HTML.match(text):
        # A feed wrapped in an HTML shell still parses; a page that merely links to one does not.
        return "xml" if _DECLARED_FEED.search(text) else "html"
    # Junk before the root (PHP warnings, stray text) is common; the loose parser copes with it.
    if _FEED_TAG.search(text.encode("latin-1", "replace")):
        return "xml"
    if "html" in content_type.lower() and name:
        return "html"
    return "unknown"


def looks_like_feed(data: bytes, content_type: str = "", charset: str = "") -> bool:
    """Cheap sniff: does this body look like an RSS/Atom/JSON feed rather than an HTML page?"""
    kind = sniff(data, content_type)
    if kind == "json":
        return is_json_feed(data, charset)
    return kind == "xml"


def is_json_feed(data: bytes, charset: str = "") -> bool:
    """True for a JSON object that names a jsonfeed.org version or carries an items list."""
    try:
        document = json.loads(recoded(data, "json", charset))
    except (ValueError, RecursionError):
        return False
    if not isinstance(document, dict):
        return False
    version = document.get("version")
    return (isinstance(version, str) and "jsonfeed.org" in version) or isinstance(
        document.get("items"), list
    )


_RSS_VERSION = re.compile(r"<rss[^>]*?\sversion\s*=\s*[\"']([\d.]+)", re.IGNORECASE)
_ATOM_03 = "http://purl.org/atom/ns#"


def feed_format(data: bytes) -> str:
    """A short format name from the head: rss2.0, rss0.91, rss1.0, atom1.0, atom0.3 or ""."""
    text = as_text(data, 4096)
    name = root_name(text.lstrip("\ufeff"))
    if name == "rss":
        version = _RSS_VERSION.search(text)
        return "rss" + (version.group(1) if version else "")
    if name == "rdf":
        return "rss1.0" if "purl.org/rss/1.0" in text else "rss0.90"
    if name == "feed":
        return "atom0.3" if _ATOM_03 in text else "atom1.0"
    return name


_ENTRY_SPAN = re.compile(
    rb"<(?P<p>[A-Za-z_][\w.-]*:)?(?P<n>item|entry)[\s>/].*?</(?P=p)?(?P=n)\s*>", re.DOTALL
)
_FEED_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?P<n>rss|feed|RDF)[\s>]")
_XML_DECLARATION = re.compile(rb"<\?xml[^>]*\?>")


def entry_spans(data: bytes) -> list[tuple[int, int]]:
    """Byte spans of each <item>/<entry> element, found without parsing; [] if they nest oddly."""
    spans = [m.span() for m in _ENTRY_SPAN.finditer(data)]
    if any(b"<![CDATA[" in data[a:b] and b"]]>" not in data[a:b] for a, b in spans):
        return []  # an entry's end tag sat inside CDATA: the byte view cannot be trusted
    return spans


def unwrapped_feed(data: bytes) -> bytes | None:
    """The feed element cut out of an HTML page that wraps it, with the XML declaration."""
    match = _FEED_ELEMENT.search(data)
    if match is None or match.start() == 0:
        return None
    end = data.rfind(b"</" + match.group(0)[1:-1].strip() + b">")
    if end == -1:
        return None
    closer = data.find(b">", end) + 1
    declaration = _XML_DECLARATION.match(data)
    prolog = declaration.group(0) if declaration else b""
    return prolog + data[match.start() : closer]


def recoded(data: bytes, kind: Kind, charset: str = "") -> bytes:
    """The document as bytes its parser decodes rightly: UTF-8 when only HTTP or a guess knows.

    A byte order mark wins, then (for XML) the XML declaration, as in libxml2-based readers such
    as Miniflux, then the HTTP `charset`, then UTF-8 if the bytes are valid UTF-8, else
    windows-1252 for each byte that is not (feedparser's and browsers' fallback). Documents the
    parsers would already read rightly come back as they are. JSON is UTF-8 by its spec, so the
    header is used only for bytes that are not UTF-8.
    """
    if kind not in ("xml", "json") or data.isascii() or might_be_wide(data):
        return data
    if data.startswith(codecs.BOM_UTF8) or (
        kind == "xml" and _XML_ENCODING_DECLARED.match(data, 0, 1024)
    ):
        return data
    codec = _text_codec(charset)
    if kind == "xml" and codec not in (None, "utf_8"):
        return data.decode(codec, "replace").encode()
    try:
        data.decode()
    except UnicodeDecodeError:
        pass
    else:
        return data
    if codec not in (None, "utf_8"):
        return data.decode(codec, "replace").encode()
    return data.decode("utf-8", "cp1252-bytes").encode()


def _text_codec(label: str) -> str | None:
    """The Python codec for a charset label, normalised ("utf_8"); None if unknown or not text.

    Also None for UTF-16 and UTF-32: a document whose markup was read as ASCII is neither.
    """
    codec = text_codec(label) if label else None
    if codec is None:
        return None
    name = codecs.lookup(codec).name.replace("-", "_")
    return None if name.startswith(("utf_16", "utf_32")) else name


def _cp1252_bytes(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: bytes that are not UTF-8 read as windows-1252, one by one."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bad.decode("cp1252", "replace"), error.end


codecs.register_error("cp1252-bytes", _cp1252_bytes)
