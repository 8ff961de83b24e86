"""Article extraction: main text, sanitized HTML and metadata of one HTML page, via trafilatura."""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from charset_normalizer import from_bytes
from lxml import etree
from lxml.html import HtmlElement
from trafilatura import bare_extraction
from trafilatura.settings import Document
from trafilatura.utils import load_html

from newsdesk.models import Extracted
from newsdesk.pipeline.feeds_text import primary_language
from newsdesk.pipeline.sanitize import sanitize_html, tree_text
from newsdesk.pipeline.urls import trusted_canonical

MAX_HTML_BYTES = 20_000_000
# Fewer words than this is a menu, a form or a teaser, not an article.
MIN_ARTICLE_WORDS = 15

# Settings picked on the Zyte article benchmark (bench/extract.py): fast mode skips the
# fallback extractors at no cost in F1, comments are not article text, and inline images drag
# in print logos, galleries and captions, so the lead image travels in Extracted.image instead.
EXTRACTION_OPTIONS: dict[str, Any] = {
    "fast": True,
    "favor_recall": True,
    "include_comments": False,
    "include_links": True,
    "include_formatting": True,
    "include_images": False,
    "with_metadata": False,
    "output_format": "txt",  # skips the Markdown rendering bare_extraction does for "python"
}

_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([a-zA-Z0-9._:-]+)""", re.I)
_XML_ENCODING = re.compile(rb"""^<\?xml[^>]{0,100}encoding\s*=\s*["']([a-zA-Z0-9._:-]+)""")
# WHATWG: these labels mean windows-1252, and a meta declaring UTF-16 on a byte-oriented page
# is a mistake to read as UTF-8.
_CHARSET_ALIASES = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "latin1": "cp1252",
                    "us-ascii": "cp1252", "ascii": "cp1252", "utf-16": "utf-8",
                    "utf-16le": "utf-8", "utf-16be": "utf-8", "gb2312": "gb18030",
                    "gbk": "gb18030", "x-sjis": "shift_jis", "tis-620": "cp874"}  # fmt: skip
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HI_TAGS = {"#b": "strong", "#i": "em", "#u": "u", "#t": "code", "#sub": "sub", "#sup": "sup"}
_BLOCK_TAGS = {"list": "ul", "item": "li", "quote": "blockquote", "code": "pre", "lb": "br",
               "row": "tr", "doc": "div", "body": "div", "main": "div"}  # fmt: skip
_BYLINE_PREFIX = re.compile(r"^\s*(?:by|von|par|por|di|door)\s+", re.I)
_ARTICLE_TYPES = {"article", "newsarticle", "blogposting", "reportagenewsarticle", "report",
                  "analysisnewsarticle", "opinionnewsarticle", "scholarlyarticle"}  # fmt: skip


class ExtractError(ValueError):
    """Why a page yielded no article, in one line."""


def extract_article(html: bytes | str, url: str) -> Extracted:
    """Extract the main text, sanitized HTML and metadata of one page; raise ExtractError."""
    if len(html) > MAX_HTML_BYTES:
        raise ExtractError("page too large")
    try:
        text = decode_html(html) if isinstance(html, bytes) else html
        if not text.strip():
            raise ExtractError("empty page")
        tree = load_html(text)
        if tree is None or not isinstance(tree, HtmlElement):
            raise ExtractError("not HTML")
        meta = _Metadata(tree, url)
        document = bare_extraction(tree, url=url or None, **EXTRACTION_OPTIONS)
        if not isinstance(document, Document) or document.body is None:
            raise ExtractError("no article text found")
        body = _to_html(document.body)
        article_text = tree_text(body)
        if len(article_text.split()) < MIN_ARTICLE_WORDS:
            raise ExtractError("no article text found")
        canonical = meta.canonical_url()
        return Extracted(
            text=article_text,
            html=sanitize_html(etree.tostring(body, encoding="unicode"), canonical or url),
            title=meta.title(),
            author=meta.author(),
            published=meta.published(),
            image=meta.image(),
            canonical_url=canonical,
            language=meta.language(),
        )
    except ExtractError:
        raise
    except Exception as exc:  # hostile pages find bugs in parsers; callers get one error type
        raise ExtractError(f"extraction failed: {type(exc).__name__}") from exc


def decode_html(data: bytes) -> str:
    """Decode page bytes: BOM, then the declared charset, then UTF-8, then a detector's guess."""
    for bom, bom_encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom) :].decode(bom_encoding, errors="replace")
    head = data[:4096]
    match = _XML_ENCODING.match(head) or _CHARSET.search(head)
    declared = _python_codec(match.group(1).decode("ascii")) if match else None
    for candidate in (declared, "utf-8"):
        if candidate:
            try:
                return data.decode(candidate)
            except UnicodeDecodeError:
                pass
    guess = from_bytes(data[:65536]).best()
    guessed = _python_codec(guess.encoding) if guess else None
    if guess is None or all("Latin" in alphabet for alphabet in guess.alphabets):
        # Detectors can't tell Western single-byte encodings apart on short pages; the web's
        # de facto default is the better bet when windows-1252 reads the bytes cleanly.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode(guessed or declared or "cp1252", errors="replace")


def _python_codec(label: str) -> str | None:
    """The Python codec for a charset label, or None when unknown or not a text encoding."""
    label = label.strip().lower()
    label = _CHARSET_ALIASES.get(label, label)
    try:
        b"".decode(label)  # raises LookupError for unknown labels and for rot13, base64 & co
    except LookupError:
        return None
    return codecs.lookup(label).name


def _to_html(body: etree._Element) -> etree._Element:
    """Rename trafilatura's XML body to plain HTML tags, in place."""
    for element in body.iter("*"):
        tag = str(element.tag)
        if tag == "hi":
            element.tag = _HI_TAGS.get(element.get("rend", ""), "span")
        elif tag == "head":
            rend = element.get("rend", "")
            element.tag = rend if rend in ("h1", "h2", "h3", "h4", "h5", "h6") else "h3"
        elif tag == "list":
            element.tag = "ol" if element.get("rend") == "ol" else "ul"
        elif tag == "cell":
            element.tag = "th" if element.get("role") == "head" else "td"
        elif tag == "ref":
            element.tag = "a"
            target = element.get("target", "")
            element.attrib.clear()
            if target:
                element.set("href", target)
            continue
        else:
            element.tag = _BLOCK_TAGS.get(tag, tag)
        element.attrib.clear()
    return body


class _Metadata:
    """Cheap metadata reads from the parsed page: meta tags, JSON-LD and a few elements."""

    def __init__(self, tree: HtmlElement, url: str) -> None:
        self.tree = tree
        self.url = url
        self.metas: dict[str, str] = {}
        for meta in tree.iterfind(".//meta"):
            key = (meta.get("property") or meta.get("name") or meta.get("itemprop") or "").lower()
            content = (meta.get("content") or "").strip()
            if key and content and key not in self.metas:
                self.metas[key] = content
        self.ld = list(_json_ld_articles(tree))

    def _meta(self, *keys: str) -> str:
        return next((self.metas[k] for k in keys if k in self.metas), "")

    def _ld(self, key: str) -> Any:
        return next((item[key] for item in self.ld if item.get(key)), None)

    def _absolute(self, link: str) -> str:
        absolute = urljoin(self.url, link.strip()) if link else ""
        return absolute if urlsplit(absolute).scheme in ("http", "https") else ""

    def title(self) -> str:
        headline = self._ld("headline")
        first_h1 = self.tree.find(".//h1")
        h1 = first_h1.text_content() if first_h1 is not None else ""
        title = self.tree.findtext(".//title") or ""
        for value in (self._meta("og:title", "twitter:title"), headline, h1, title):
            if isinstance(value, str) and value.strip():
                return " ".join(value.split())
        return ""

    def author(self) -> str:
        meta = self._meta("author", "article:author", "byl", "parsely-author", "dc.creator",
                          "sailthru.author")  # fmt: skip
        if meta and not meta.startswith(("http://", "https://")):
            return _byline(meta)
        names = [_byline(_ld_name(a)) for a in _as_list(self._ld("author"))]
        if names := [n for n in names if n]:
            return ", ".join(dict.fromkeys(names))
        for xpath in ('.//*[@rel="author"]', './/*[@itemprop="author"]'):
            found = self.tree.find(xpath)
            text = _byline(found.text_content()) if found is not None else ""
            if text and len(text.split()) <= 6:  # longer is a whole byline block, date and all
                return text
        return ""

    def published(self) -> datetime | None:
        candidates = (
            self._meta(
                "article:published_time",
                "og:published_time",
                "datepublished",
                "pubdate",
                "publishdate",
                "date",
                "dc.date.issued",
                "dc.date",
                "sailthru.date",
                "parsely-pub-date",
            ),
            self._ld("datePublished"),
            self.tree.xpath("string((.//time[@datetime])[1]/@datetime)"),
        )
        return next((d for d in map(parse_date, candidates) if d is not None), None)

    def image(self) -> str:
        link = self._meta("og:image", "og:image:url", "og:image:secure_url", "twitter:image",
                          "twitter:image:src")  # fmt: skip
        if not link:
            ld_image = _as_list(self._ld("image"))
            link = _ld_name(ld_image[0], "url") if ld_image else ""
        if not link:
            link = self.tree.xpath('string(.//link[@rel="image_src"]/@href)')
        return self._absolute(link)

    def canonical_url(self) -> str:
        """The page's own rel=canonical (or og:url), when it can name this page at all."""
        link = self.tree.xpath('string(.//link[@rel="canonical"]/@href)') or self._meta("og:url")
        return trusted_canonical(self._absolute(link), self.url)

    def language(self) -> str:
        html_lang = self.tree.get("lang") or self.tree.get(
            "{http://www.w3.org/XML/1998/namespace}lang"
        )
        lang = html_lang or self._meta("content-language", "og:locale", "language")
        lang = lang or self.tree.xpath('string(.//meta[@http-equiv="content-language"]/@content)')
        return primary_language(lang)


def parse_date(value: object) -> datetime | None:
    """An ISO 8601 or RFC 2822 date as an aware UTC datetime; naive dates are taken as UTC."""
    if not isinstance(value, str) or not (value := value.strip()):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(value)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def _json_ld_articles(tree: HtmlElement) -> Iterator[dict[str, Any]]:
    """Article-like objects of the page's JSON-LD blocks, @graph included."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        try:
            data = json.loads(script.text or "")
        except ValueError:
            continue
        stack = _as_list(data)
        while stack:
            item = stack.pop(0)
            if not isinstance(item, dict):
                continue
            stack.extend(_as_list(item.get("@graph")))
            types = {str(t).lower() for t in _as_list(item.get("@type"))}
            if types & _ARTICLE_TYPES:
                yield item


def _byline(text: str) -> str:
    """An author name without the "By" in front of it."""
    return _BYLINE_PREFIX.sub("", " ".join(text.split()))


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [] if value is None else [value]


def _ld_name(value: Any, key: str = "name") -> str:
    """A JSON-LD person/image given as a string or an object with a name or url."""
    if isinstance(value, dict):
        value = value.get(key)
    return " ".join(value.split()) if isinstance(value, str) else ""
