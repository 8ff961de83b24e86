"""Property fuzzing of the stages that read untrusted bytes: no uncaught exception, bounded time.

`make test` runs a few dozen examples per target. For a long run, set NEWSDESK_FUZZ_EXAMPLES:

    NEWSDESK_FUZZ_EXAMPLES=5000 .venv/bin/pytest tests/test_fuzz.py -p no:randomly
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from live_markup import live_markup
from newsdesk.fetch.decode import decode_body
from newsdesk.fetch.decompress import decoder_for
from newsdesk.fetch.errors import ProtocolError
from newsdesk.opml import OpmlError, parse_opml
from newsdesk.pipeline.discover import discover_feeds
from newsdesk.pipeline.extract import ExtractError, extract_article
from newsdesk.pipeline.feeds import FeedError, parse_feed
from newsdesk.pipeline.sanitize import html_to_text, sanitize_html
from newsdesk.pipeline.urls import absolute_url, canonical_url, identity_url, is_web_url

EXAMPLES = int(os.environ.get("NEWSDESK_FUZZ_EXAMPLES", "100"))
SECONDS_PER_INPUT = 2.0
fuzz = settings(
    max_examples=EXAMPLES,
    deadline=None,  # timed below, against a generous bound, instead of hypothesis' 200 ms
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    derandomize=EXAMPLES <= 100,  # brief runs in `make test` are repeatable
    database=None,
)

SNIPPETS = [
    "<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "<svg onload=alert(1)>",
    '<a href="jav&#x09;ascript:alert(1)">x</a>', "<![CDATA[", "]]>", "<!--", "-->", "&amp;", "&",
    "&#0;", "&#xD800;", "&lol;", '<!ENTITY x "y">', "<!DOCTYPE rss [", "]>", "<?xml ?>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\">", "<math><mtext><table>",
    "<style>", "</style>", "<base href=//evil>", '<meta http-equiv="refresh" content="0">',
    "<form>", "<div style=position:fixed>", "\x00", "\ud800", "\r\n", "\x1b[2J", "<", ">",
    "<item>", "</item>", "<entry>", "</entry>", "<title>", "</title>", "<link>", "</link>",
    "<description>", "</description>", "<content:encoded>", "xml:base=\"..\"", '"', "'",
    "<div>" * 50, "</div>" * 50, "data:text/html,<script>alert(1)</script>", "\ufeff",
]  # fmt: skip
text = st.text(st.characters(codec=None, exclude_categories=()), max_size=200)
soup = st.lists(st.one_of(st.sampled_from(SNIPPETS), text), max_size=30).map("".join)


@contextmanager
def bounded() -> Iterator[None]:
    started = time.monotonic()
    yield
    assert time.monotonic() - started < SECONDS_PER_INPUT


def _encode(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


@st.composite
def xml_feeds(draw: Callable[..., str]) -> bytes:
    """RSS and Atom documents with fuzzed text and markup in every field and between them."""
    fields = [draw(soup) for _ in range(6)]
    if draw(st.booleans()):
        items = "".join(
            f"<item><title>{fields[1]}</title><link>{fields[2]}</link>"
            f"<description>{fields[3]}</description>{fields[4]}</item>"
            for _ in range(draw(st.integers(0, 3)))
        )
        channel = f"<channel><title>{fields[0]}</title>{items}</channel>"
        document = f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'
    else:
        entries = "".join(
            f"<entry><title type='html'>{fields[1]}</title><link href='{fields[2]}'/>"
            f"<content type='xhtml'>{fields[3]}</content>{fields[4]}</entry>"
            for _ in range(draw(st.integers(0, 3)))
        )
        document = (
            f'<feed xmlns="http://www.w3.org/2005/Atom"><title>{fields[0]}</title>{entries}</feed>'
        )
    cut = draw(st.integers(0, len(document)))
    return _encode(document[:cut] + fields[5] + document[cut:] if draw(st.booleans()) else document)


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | text,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(text, inner, max_size=4),
    max_leaves=20,
)


@st.composite
def json_feeds(draw: Callable[..., object]) -> bytes:
    item = {k: draw(json_values) for k in ("id", "url", "title", "content_html", "authors")}
    document = {"version": "https://jsonfeed.org/version/1.1", "title": draw(json_values)}
    document["items"] = [item, draw(json_values)]
    return json.dumps(document).encode("utf-8", "surrogatepass")


@fuzz
@given(st.one_of(st.binary(max_size=2000), xml_feeds(), json_feeds()))
def test_parse_feed(data: bytes) -> None:
    with bounded(), suppress(FeedError):
        parse_feed(data, url="http://example.com/feed")


@fuzz
@given(soup)
def test_sanitize_leaves_no_live_markup(html: str) -> None:
    with bounded():
        clean = sanitize_html(html, base_url="http://example.com/a/")
        html_to_text(html)
    assert live_markup(clean) == []
    # Sanitized output is stable under a second pass, so storing it re-sanitized changes nothing.
    assert live_markup(sanitize_html(clean, base_url="http://example.com/a/")) == []


@settings(fuzz, max_examples=max(10, EXAMPLES // 3))
@given(st.one_of(soup, st.binary(max_size=3000)))
def test_extract_article(page: str | bytes) -> None:
    with bounded():
        try:
            extracted = extract_article(page, "http://example.com/a.html")
        except ExtractError:
            return
    assert live_markup(extracted.html) == []
    assert extracted.image == "" or extracted.image.startswith(("http://", "https://"))


url_parts = st.sampled_from(
    ["http://", "https://", "HTTP://", "javascript:", "//", "/", "?", "#", "@", ":", "[", "]",
     "%", "%0d%0a", "..", "xn--", "ä", "\x00", " ", "\t", "127.0.0.1", "[::1]", ":99999",
     "utm_source=x", "&", "=", "example.com", "www.", "amp", ".amp.html"]
)  # fmt: skip
urls = st.lists(st.one_of(url_parts, text), max_size=12).map("".join)


@fuzz
@given(urls, urls)
def test_url_normalisation(url: str, base: str) -> None:
    with bounded():
        is_web_url(url)
        absolute_url(url, base)
        canonical = canonical_url(url)
        identity_url(url)
    if is_web_url(canonical):
        assert is_web_url(url)


@st.composite
def opml_documents(draw: Callable[..., str]) -> bytes:
    outlines = "".join(
        f'<outline text="{draw(soup)}" xmlUrl="{draw(urls)}" category="{draw(text)}">'
        f"{draw(soup)}</outline>"
        for _ in range(draw(st.integers(0, 3)))
    )
    return _encode(f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>')


@fuzz
@given(st.one_of(st.binary(max_size=2000), opml_documents()))
def test_parse_opml(data: bytes) -> None:
    with bounded():
        try:
            feeds = parse_opml(data)
        except OpmlError:
            return
    assert all(f.url.lower().startswith(("http://", "https://")) for f in feeds)


@fuzz
@given(st.one_of(soup, st.binary(max_size=2000)), urls)
def test_discover_feeds(html: str | bytes, base: str) -> None:
    with bounded():
        found = discover_feeds(html, base)
    assert all(url.startswith(("http://", "https://")) for url in found)


@fuzz
@given(st.binary(max_size=2000), st.sampled_from(["gzip", "deflate", "br", "gzip, br", "x"]))
def test_decoders_and_charsets(data: bytes, coding: str) -> None:
    with bounded():
        decode_body(data, "utf-16")
        decode_body(data)
        try:
            decoder = decoder_for(coding)
            for _ in decoder.feed(data):
                pass
        except ProtocolError:
            pass
