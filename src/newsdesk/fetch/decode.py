"""Turn a response body into text: declared charset first, then the document's own hints."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

_SNIFF_BYTES = 4096
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_XML_DECL = re.compile(rb"""^\s*<\?xml[^>]*?\bencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']""")
_META_CHARSET = re.compile(rb"""<meta[^>]+?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
# Browsers treat these labels as windows-1252, and so do the pages that declare them.
_WHATWG_ALIASES = {"ascii": "cp1252", "latin_1": "cp1252", "iso8859_1": "cp1252"}


def text_codec(label: str) -> str | None:
    """Return the Python codec name for a charset label, or None if unknown or not text."""
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    # Reject bytes-to-bytes codecs such as base64 or zlib that a hostile header could name.
    if not getattr(info, "_is_text_encoding", True):
        return None
    return _WHATWG_ALIASES.get(info.name.replace("-", "_"), info.name)


def _from_bom(body: bytes) -> str | None:
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return codec
    return None


def sniff_charset(body: bytes) -> str | None:
    """Return the codec a document declares for itself (BOM, XML declaration, meta tag)."""
    bom = _from_bom(body)
    if bom is not None:
        return bom
    head = body[:_SNIFF_BYTES]
    for pattern in (_XML_DECL, _META_CHARSET):
        match = pattern.search(head)
        if match:
            codec = text_codec(match.group(1).decode("ascii"))
            # A document that could be read to find this label cannot really be UTF-16.
            if codec is not None and not codec.startswith("utf_16"):
                return codec
    return None


def decode_body(body: bytes, charset: str = "") -> str:
    """Decode ``body`` using a BOM, the header charset, the document's hints, else detection."""
    if not body:
        return ""
    # A byte order mark beats the header, as in browsers: servers mislabel, BOMs rarely lie.
    codec = _from_bom(body) or (text_codec(charset) if charset else None) or sniff_charset(body)
    if codec is None:
        best = from_bytes(body[:200_000]).best()
        codec = text_codec(best.encoding) if best is not None else None
    try:
        return body.decode(codec or "utf-8", errors="replace")
    except (LookupError, UnicodeError, ValueError):
        return body.decode("utf-8", errors="replace")
