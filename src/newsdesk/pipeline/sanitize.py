"""Allow-list HTML sanitizing for article reading, and HTML to plain text."""

from __future__ import annotations

import re
import threading
from html import unescape
from urllib.parse import urljoin, urlsplit

import nh3
from lxml import etree

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "dfn",
        "dl", "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
        "i", "img", "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "samp", "small",
        "span", "strong", "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead",
        "time", "tr", "u", "ul", "var", "wbr",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "*": set(),  # nh3 would otherwise allow lang and title on every tag
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "del": {"cite", "datetime"},
    "ins": {"cite", "datetime"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Dropped together with their content: their text is code, styling or chrome, never article prose.
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "template", "iframe", "object", "embed", "noscript", "svg", "math",
     "form", "select", "textarea", "button", "title", "head", "frame", "frameset", "applet"}
)  # fmt: skip

BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "div",
        "dl", "dt", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6",
        "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "summary",
        "table", "tbody", "tfoot", "thead", "tr", "ul",
    }
)  # fmt: skip
SKIPPED_TAGS = DROPPED_WITH_CONTENT | {"img"}
_SPACES = re.compile(r"\s+")
_BLOCK_NAMES = "|".join(sorted(BLOCK_TAGS))
# Case-insensitive matching costs twice as much, and markup is almost always lower case.
_BLOCK_BOUNDARY = re.compile(rf"</?(?:{_BLOCK_NAMES})\b[^>]*>")
_BLOCK_BOUNDARY_ANY_CASE = re.compile(rf"</?(?:{_BLOCK_NAMES})\b[^>]*>", re.I)
_UPPER_CASE_TAG = re.compile(r"</?[A-Z]")
_LINE_BREAK = re.compile(r"<br\b[^>]*>", re.I)
_CELL = re.compile(r"<t[dh]\b[^>]*>", re.I)
# NUL, other C0 controls but tab/CR/LF, and lone surrogates, which nh3 cannot even be given.
_UNSTORABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
# html5ever's tree builder is quadratic in nesting depth: 100,000 nested <div>s take minutes,
# 1,024 about 2 ms. Markup with fewer tags than this cannot nest deeper, and is left alone.
MAX_DEPTH = 1024
_TAG_TOKEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)[^>]*>")
_VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
     "source", "track", "wbr"}
)  # fmt: skip


def sanitize_html(html: str, base_url: str = "") -> str:
    """Clean untrusted HTML down to article markup that is safe to insert in a page as-is.

    Relative links are resolved against an http(s) `base_url`, and removed without one. Links
    get rel="noopener noreferrer" and never a target: the reader decides where a link opens, and
    a page cannot reach back through window.opener.
    """
    if not html:
        return ""
    _CLEANERS.base = base_url if urlsplit(base_url).scheme.lower() in ("http", "https") else ""
    return str(_CLEANERS.article.clean(_parseable(html)))


class _Cleaners(threading.local):
    """nh3 cleaners built once per thread (building one costs more than most cleans).

    The article cleaner resolves relative URLs through a callback that nh3 calls on the thread
    running the clean, so the base URL of the clean in progress lives here too.
    """

    def __init__(self) -> None:
        self.base = ""
        self.article = nh3.Cleaner(
            tags=set(ALLOWED_TAGS),
            clean_content_tags=set(DROPPED_WITH_CONTENT),
            attributes={tag: set(names) for tag, names in ALLOWED_ATTRIBUTES.items()},
            url_schemes=set(URL_SCHEMES),
            link_rel="noopener noreferrer",
            strip_comments=True,
            url_relative=self.resolve,
        )
        self.text = nh3.Cleaner(
            tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT), strip_comments=True
        )

    def resolve(self, url: str) -> str | None:
        """A relative URL made absolute against the current base; None removes it."""
        if not self.base:
            return None
        absolute = urljoin(self.base, url.strip())
        return absolute if urlsplit(absolute).scheme.lower() in ("http", "https") else None


_CLEANERS = _Cleaners()


def _parseable(html: str) -> str:
    """Untrusted HTML made safe to hand to the parser: nothing unstorable, nesting bounded."""
    if _UNSTORABLE.search(html):
        html = _UNSTORABLE.sub("", html)
    if html.count("<") > MAX_DEPTH:
        html = limit_nesting(html)
    return html


def limit_nesting(html: str, max_depth: int = MAX_DEPTH) -> str:
    """Drop the start and end tags of elements nested deeper than `max_depth` (text is kept).

    A tag-level approximation of the tree, in one pass: the result still goes through the real
    parser and the allow-list, so it only has to bound depth, not to be exact.
    """
    out: list[str] = []
    kept: list[tuple[str, bool]] = []
    open_count: dict[str, int] = {}
    pos = 0
    for match in _TAG_TOKEN.finditer(html):
        closing, name = match.group(1), match.group(2).lower()
        keep = True
        if not closing and name not in _VOID and not match.group(0).endswith("/>"):
            keep = len(kept) < max_depth
            kept.append((name, keep))
            open_count[name] = open_count.get(name, 0) + 1
        elif closing and open_count.get(name):
            while kept:  # close implicitly everything above the matching start tag
                top, keep = kept.pop()
                open_count[top] -= 1
                if top == name:
                    break
        if not keep:
            out.append(html[pos : match.start()])
            pos = match.end()
    out.append(html[pos:])
    return "".join(out)


def html_to_text(html: str) -> str:
    """Plain text of an HTML fragment: one paragraph per block, separated by blank lines.

    nh3 does the parsing (and drops script, style and the like with their content); marking
    block boundaries first keeps paragraphs apart. This is a few times faster than building an
    lxml tree, which matters for feeds whose entries carry only a summary.
    """
    if not html.strip():
        return ""
    if "<" not in html:  # most feed summaries are plain text
        return _plain_text(_UNSTORABLE.sub("", unescape(html)))
    html = _parseable(html)
    blocks = _BLOCK_BOUNDARY_ANY_CASE if _UPPER_CASE_TAG.search(html) else _BLOCK_BOUNDARY
    marked = _CELL.sub(" ", _LINE_BREAK.sub("\n", blocks.sub("\n\n", html)))
    stripped = _CLEANERS.text.clean(marked)
    text = unescape(stripped)
    # The markup is storable already: only a numeric reference (&#1;), decoded by nh3 or by
    # unescape, can bring in a control character, so the scan is needed only when one is there.
    return _plain_text(_UNSTORABLE.sub("", text) if "&#" in html else text)


def _plain_text(text: str) -> str:
    """Paragraphs split at blank lines, each line's whitespace collapsed, empty lines dropped.

    One pass over the lines: str.split() splits on exactly the characters \\s matches, so a line
    with no words is a blank line (the paragraph break "\\n\\s*\\n" in regex terms).
    """
    paragraphs: list[str] = []
    lines: list[str] = []
    for line in text.split("\n"):
        if words := line.split():
            lines.append(" ".join(words))
        elif lines:
            paragraphs.append("\n".join(lines))
            lines = []
    if lines:
        paragraphs.append("\n".join(lines))
    return "\n\n".join(paragraphs)


def tree_text(root: etree._Element) -> str:
    """Plain text of a parsed HTML tree: one paragraph per block, separated by blank lines."""
    paragraphs: list[str] = []
    parts: list[str] = []

    def flush() -> None:
        lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
        text = "\n".join(line for line in lines if line)
        if text:
            paragraphs.append(text)
        parts.clear()

    # iterwalk rather than recursion: hostile pages nest deeper than Python's stack allows
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, element in walker:
        tag = element.tag if isinstance(element.tag, str) else ""
        if event == "start":
            if tag in SKIPPED_TAGS:
                walker.skip_subtree()
                continue
            if tag in BLOCK_TAGS:
                flush()
            elif tag == "br":
                parts.append("\n")
            elif tag in ("td", "th"):
                parts.append(" ")
            if element.text and tag not in ("br",):
                parts.append(element.text)
            continue
        if event == "end" and tag in BLOCK_TAGS:
            flush()
        if element.tail and element is not root:
            parts.append(element.tail)
    flush()
    return "\n\n".join(paragraphs)
