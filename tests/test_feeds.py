"""Feed parsing: every file in data/feeds carries its own expectation (see data/feeds/README.md)."""

from __future__ import annotations

import contextlib
import json
import re
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from newsdesk.models import Entry, ParsedFeed
from newsdesk.pipeline import feeds
from newsdesk.pipeline.feeds import FeedError, looks_like_feed, parse_feed
from newsdesk.pipeline.feeds_fast import has_loose_ampersand
from newsdesk.pipeline.feeds_loose import parse_loose
from newsdesk.pipeline.feeds_repair import inner_markup, unwrap_content

CASES = Path(__file__).parent / "data" / "feeds"
_HEADER = re.compile(rb"<!--\s*expect:(.*?)-->", re.DOTALL)
_CHECK = re.compile(r'\s*(\w+)(?:\[(\d+)\])?\s*([=~])\s*("(?:[^"\\]|\\.)*"|[^;]*)\s*(?:;|$)')


def expectation(data: bytes) -> str:
    if data.lstrip().startswith(b"{"):
        return str(json.loads(data)["_expect"])
    match = _HEADER.search(data)
    assert match, "case file has no <!-- expect: ... --> header"
    return match.group(1).decode()


def checks(spec: str) -> list[tuple[str, int | None, str, Any]]:
    found = []
    for key, index, op, raw in _CHECK.findall(spec.strip()):
        raw = raw.strip()
        value: Any = None if raw == "None" else json.loads(raw) if raw.startswith('"') else raw
        found.append((key, int(index) if index else None, op, value))
    return found


def entry_value(entry: Entry, key: str) -> str | None:
    if key == "categories":
        return "|".join(entry.categories)
    if key == "enclosures":
        return "|".join(f"{e.url} {e.type} {e.length}" for e in entry.enclosures)
    value = getattr(entry, key)
    if isinstance(value, datetime):
        return value.isoformat()
    return value if value is None else str(value)


def feed_value(feed: ParsedFeed, key: str) -> str:
    return str(len(feed.entries)) if key == "entries" else str(getattr(feed, key))


def same(actual: str | None, op: str, expected: Any) -> bool:
    if expected is None or actual is None:
        return actual == expected
    return expected in actual if op == "~" else actual == str(expected)


@pytest.mark.parametrize(
    "path", sorted(p for p in CASES.iterdir() if p.name != "README.md"), ids=lambda p: p.name
)
def test_case(path: Path) -> None:
    data = path.read_bytes()
    spec = checks(expectation(data))
    options = {
        k: str(v)
        for k, i, _, v in spec
        if i is None and k in ("url", "content_type", "content_language")
    }
    errors = [v for k, _, _, v in spec if k == "error"]
    if errors:
        with pytest.raises(FeedError, match=re.escape(errors[0])):
            parse_feed(data, **options)
        return
    feed = parse_feed(data, **options)
    for key, index, op, expected in spec:
        if key in options:
            continue
        entry = None if index is None else feed.entries[index]
        actual = feed_value(feed, key) if entry is None else entry_value(entry, key)
        assert same(actual, op, expected), f"{key}[{index}]: {actual!r} {op} {expected!r}"


def test_dates_are_utc_and_aware() -> None:
    feed = parse_feed((CASES / "rss20_full.xml").read_bytes())
    for entry in feed.entries:
        if entry.published is not None:
            assert entry.published.utcoffset() is not None
            assert entry.published.utcoffset().total_seconds() == 0  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "body", [b"", b"   \n\t", b"\x00\x01\x02", b"{not json", b"[1, 2]", b'{"a": 1}']
)
def test_garbage_raises_feed_error(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body)


def test_truncated_feeds_never_crash() -> None:
    data = (CASES / "rss20_full.xml").read_bytes()
    for cut in range(0, len(data), 97):
        with contextlib.suppress(FeedError):
            parse_feed(data[:cut])


def test_external_dtd_is_never_loaded(tmp_path: Path) -> None:
    dtd = tmp_path / "evil.dtd"
    dtd.write_text('<!ENTITY secret "LEAKED">')
    body = (
        f'<?xml version="1.0"?><!DOCTYPE rss SYSTEM "{dtd.as_uri()}">'
        '<rss version="2.0"><channel><title>t &secret;</title>'
        "<item><title>a &secret;</title><link>http://ex.com/a</link></item></channel></rss>"
    ).encode()
    for parse in (lambda: parse_feed(body), lambda: parse_loose(body, "", "rss2.0")):
        try:
            feed = parse()
        except FeedError:
            continue
        assert "LEAKED" not in feed.title
        assert all("LEAKED" not in e.title for e in feed.entries)


def test_utf16_entity_declaration_is_refused() -> None:
    body = (CASES / "billion_laughs.xml").read_text().replace('<?xml version="1.0"?>', "")
    with pytest.raises(FeedError, match="entity declarations"):
        parse_feed(body.encode("utf-16"))


def test_looks_like_feed() -> None:
    assert looks_like_feed((CASES / "rss20_full.xml").read_bytes())
    assert looks_like_feed((CASES / "atom03.xml").read_bytes())
    assert looks_like_feed((CASES / "json11.json").read_bytes())
    assert not looks_like_feed((CASES / "html_page.html").read_bytes())
    assert not looks_like_feed(b"<html><body>hi</body></html>", "text/html")
    assert not looks_like_feed(b'{"a": 1}')
    assert not looks_like_feed(b"")


@pytest.mark.parametrize(
    ("body", "loose"),
    [
        (b"<a>&amp; &#38; &#x26;</a>", False),
        (b"<a>fish & chips</a>", True),
        (b"<a>&nbsp;</a>", True),
        (b"<a><![CDATA[fish & chips]]></a>", False),
        # A comment inside CDATA is text: the "&" after it is still inside the section.
        (b"<a><![CDATA[<!--more--> fish & chips]]></a>", False),
        (b"<a><!-- fish & chips --></a>", False),
        (b"<a><![CDATA[x]]> & </a>", True),
        (b"<a><![CDATA[& never closed</a>", True),
        (b"<a><!-- <![CDATA[ --> & </a>", True),
    ],
)
def test_loose_ampersand_outside_cdata_and_comments(body: bytes, loose: bool) -> None:
    assert has_loose_ampersand(body) is loose


def test_control_characters_are_only_removed_from_byte_encodings() -> None:
    # In ISO-2022-JP, ESC (\x1b) switches character sets: removing it would garble the text.
    jis = "日本".encode("iso-2022-jp")
    item = b"<item><title>" + jis + b"\x03</title><link>http://example.com/1</link></item>"
    for declaration, removed in ((b"utf-8", True), (b"ISO-8859-1", True), (b"ISO-2022-JP", False)):
        body = b'<?xml version="1.0" encoding="' + declaration + b'"?><rss version="2.0">'
        body += b"<channel><title>t</title>" + item + b"</channel></rss>"
        feed = feeds._parse_without_controls(body, "", "rss2.0")
        assert (feed is not None) is removed, declaration
    wide = "<rss><channel><item><title>t\x03</title></item></channel></rss>".encode("utf-16")
    assert feeds._parse_without_controls(wide, "", "rss2.0") is None  # NUL is half of each char


_ATOM = 'xmlns="http://www.w3.org/2005/Atom" type="xhtml"'
_DIV = '<div xmlns="http://www.w3.org/1999/xhtml">'


@pytest.mark.parametrize(
    "serialized",
    [
        f"<content {_ATOM}/>",
        f"<content {_ATOM}>{_DIV}<p>a &amp; b</p><div><p>nested</p></div></div></content>",
        f"<content {_ATOM}>\n  {_DIV}<p>one</p></div>\n</content>\n  ",
        f"<content {_ATOM}>{_DIV}<p>one</p></div>{_DIV}<p>two</p></div></content>",
        f"<content {_ATOM}>{_DIV}text &lt;only&gt;</div></content>",
        f"<content {_ATOM}>{_DIV}<p>a</p><!-- c --></div></content>",
        f"<content {_ATOM}>{_DIV}<p>a</p><div/><br/></div></content>",
        f'<content {_ATOM}>{_DIV}<svg xmlns="http://www.w3.org/2000/svg"><g/></svg></div></content>',
    ],
)
def test_xhtml_content_unwraps_as_the_tree_would(serialized: str) -> None:
    # The fast reading of fastfeedparser's serialisation must match reparsing it with lxml.
    element = etree.fromstring(serialized.strip().encode())
    assert unwrap_content(serialized) == inner_markup(element)
