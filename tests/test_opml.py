"""OPML import and export. Each file in data/opml carries its expectation in a leading comment."""

from __future__ import annotations

import json
import random
import re
from dataclasses import asdict
from pathlib import Path

import pytest

from newsdesk.default_sources import DEFAULT_SOURCES
from newsdesk.models import Source
from newsdesk.opml import SECTIONS, OpmlError, OpmlFeed, export_opml, parse_opml, section_hint

CASES = sorted((Path(__file__).parent / "data" / "opml").glob("*.opml"))
EXPECT = re.compile(rb"<!-- (expect|error): (.*?) -->", re.S)


@pytest.mark.parametrize("path", CASES, ids=[p.name for p in CASES])
def test_opml_case(path: Path) -> None:
    data = path.read_bytes()
    found = EXPECT.search(data)
    assert found, f"{path.name} has no expectation comment"
    kind, expected = found.group(1), found.group(2).decode()
    if kind == b"error":
        with pytest.raises(OpmlError, match=re.escape(expected)):
            parse_opml(data)
    else:
        assert [asdict(feed) for feed in parse_opml(data)] == json.loads(expected)


def sources() -> list[Source]:
    return [
        Source(
            1, "https://example.com/a.xml", "Alpha & Co <News>", "https://example.com/", "world"
        ),
        Source(2, "https://example.com/b.xml", "Bravo", "", "sports", "Sport"),
        Source(3, "https://example.com/c.xml", 'Charlie "quoted"', "", "", "Sport/Cricket"),
        Source(4, "http://example.org/d", "Délta ünïcode", "https://example.org/", "", "Reading"),
        Source(5, "https://example.com/e.xml", "Echo", "", "technology", "Sport"),
    ]


def test_round_trip_keeps_feeds_groups_titles_and_sections() -> None:
    parsed = parse_opml(export_opml(sources()).encode())
    by_url = {feed.url: feed for feed in parsed}
    assert len(parsed) == len(sources())
    for source in sources():
        feed = by_url[source.url]
        assert (feed.title, feed.site_url, feed.group) == (
            source.title,
            source.site_url,
            source.group,
        )
        assert feed.section == (source.section or section_hint(source.group))


def test_export_is_opml_2_with_folders_and_categories() -> None:
    text = export_opml(sources(), title="My list")
    assert text.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    assert "<title>My list</title>" in text
    assert 'category="sports"' in text
    assert text.count('text="Sport"') == 1
    assert '<outline text="Cricket" title="Cricket">' in text


def test_untitled_source_exports_url_as_text_and_parses_back_untitled() -> None:
    text = export_opml([Source(1, "https://example.com/feed")])
    assert 'text="https://example.com/feed"' in text
    assert parse_opml(text.encode()) == [OpmlFeed("https://example.com/feed", "", "", "")]


def test_empty_export_parses_to_no_feeds() -> None:
    assert parse_opml(export_opml([]).encode()) == []


@pytest.mark.parametrize("data", [b"", b"   ", b"<opml", b"\xef\xbb\xbf", b"<x/>", b"null"])
def test_small_garbage_raises_opml_error(data: bytes) -> None:
    with pytest.raises(OpmlError):
        parse_opml(data)


def test_random_mutations_never_crash() -> None:
    seed = export_opml(sources()).encode()
    rng = random.Random(20240601)
    for _ in range(500):
        data = bytearray(seed)
        for _ in range(rng.randint(1, 20)):
            data[rng.randrange(len(data))] = rng.randrange(256)
        cut = bytes(data[: rng.randint(0, len(data))])
        try:
            feeds = parse_opml(cut)
        except OpmlError:
            continue
        assert all(feed.url.startswith(("http://", "https://")) for feed in feeds)


@pytest.mark.parametrize(
    ("group", "section"),
    [
        ("Sport", "sports"),
        ("Sports & Football", "sports"),
        ("Tech", "technology"),
        ("World News", "world"),
        ("News/Business", "business"),
        ("Middle East", "world"),
        ("Climate change", "environment"),
        ("Arts & Culture", "entertainment"),
        ("Op-Ed/Opinion", "opinion"),
        ("Food and Travel", "lifestyle"),
        ("Crime", "crime"),
        ("Health", "health"),
        ("Space", "science"),
        ("Elections 2024", "politics"),
        ("Misc", ""),
        ("", ""),
        ("Blogs I like", ""),
    ],
)
def test_section_hint(group: str, section: str) -> None:
    assert section_hint(group) == section


def test_default_sources_are_unique_https_feeds_in_known_sections() -> None:
    assert 30 <= len(DEFAULT_SOURCES) <= 50
    assert len({d.url for d in DEFAULT_SOURCES}) == len(DEFAULT_SOURCES)
    for default in DEFAULT_SOURCES:
        assert default.url.startswith("https://") and default.site_url.startswith("https://")
        assert default.title and default.section in SECTIONS


def test_default_sources_survive_an_opml_round_trip() -> None:
    listed = [
        Source(i, d.url, d.title, d.site_url, d.section) for i, d in enumerate(DEFAULT_SOURCES)
    ]
    parsed = parse_opml(export_opml(listed).encode())
    assert [(f.url, f.title, f.site_url, f.section) for f in parsed] == [
        (d.url, d.title, d.site_url, d.section) for d in DEFAULT_SOURCES
    ]


def test_feed_urls_get_one_spelling() -> None:
    data = b"""<?xml version="1.0"?><opml version="2.0"><head/><body>
<outline text="Loud" type="rss" xmlUrl="HTTP://News.Example.COM/Feed.xml#top"/>
<outline text="Quiet" type="rss" xmlUrl="http://news.example.com/Feed.xml"/>
<outline text="Bare" type="rss" xmlUrl="https://Bare.Example"/>
</body></opml>"""
    assert [f.url for f in parse_opml(data)] == [
        "http://news.example.com/Feed.xml",  # the path's case is the server's business
        "https://bare.example/",
    ]
