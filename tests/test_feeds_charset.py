"""Feed text encodings end to end: BOM, then XML declaration, then HTTP charset, then a guess.

Each feed is served by the real fixture server, added (which parses it once) and refreshed into a
real store of each kind; the stored source and article titles must be the text the feed meant.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import replace

import pytest

from fixture_server import FixtureServer
from newsdesk.fetch import Fetcher
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.sources import add_source
from newsdesk.store import Store

# “Smart” café – naïve: 0x93, 0x94 and 0xE9 in windows-1252.
TEXT = "\u201cSmart\u201d caf\u00e9 \u2013 na\u00efve"
CP1252_DECLARATION = '<?xml version="1.0" encoding="windows-1252"?>'
UTF8_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>'


def rss(declaration: str = "", title: str = TEXT) -> str:
    return (
        f'{declaration}<rss version="2.0"><channel><title>{title}</title>'
        "<link>http://example.com/</link><item>"
        f"<title>{title}</title><link>http://example.com/a</link>"
        f"<guid>urn:a</guid><description>{title}</description></item></channel></rss>"
    )


def json_feed() -> str:
    item = {"id": "urn:a", "url": "http://example.com/a", "title": TEXT, "summary": TEXT}
    document = {"version": "https://jsonfeed.org/version/1.1", "title": TEXT, "items": [item]}
    return json.dumps(document, ensure_ascii=False)


CASES = {
    # The header's charset is all there is to go by.
    "rss+xml header": (rss().encode("cp1252"), "application/rss+xml; charset=windows-1252"),
    "text/xml header": (rss().encode("cp1252"), "text/xml; charset=windows-1252"),
    "latin-1 label": (rss().encode("cp1252"), "text/xml; charset=ISO-8859-1"),
    # For XML the document's own declaration beats the header.
    "utf-8 declared": (
        rss(UTF8_DECLARATION).encode(),
        "application/rss+xml; charset=windows-1252",
    ),
    "cp1252 declared": (
        rss(CP1252_DECLARATION).encode("cp1252"),
        "application/rss+xml; charset=utf-8",
    ),
    # A byte order mark beats both.
    "bom": (b"\xef\xbb\xbf" + rss().encode(), "application/rss+xml; charset=windows-1252"),
    # Nothing declared: valid UTF-8 is UTF-8, anything else windows-1252.
    "undeclared utf-8": (rss().encode(), "application/rss+xml"),
    "undeclared cp1252": (rss().encode("cp1252"), "application/rss+xml"),
    # A bare "&" sends the feed to feedparser, which must get the same text.
    "fallback parser": (
        rss(title=TEXT + " & more").encode("cp1252"),
        "application/rss+xml; charset=windows-1252",
    ),
    # JSON is UTF-8 by its spec; a header names the encoding of bytes that are not.
    "json utf-8, wrong header": (json_feed().encode(), "application/feed+json; charset=cp1252"),
    "json cp1252 header": (json_feed().encode("cp1252"), "application/feed+json; charset=cp1252"),
    "json bom": (b"\xef\xbb\xbf" + json_feed().encode(), "application/feed+json"),
}


def _add(store: Store, settings: Settings, url: str) -> int:
    async def run() -> int:
        async with Fetcher(settings) as fetcher:
            return (await add_source(store, fetcher, url)).id

    return asyncio.run(run())


@pytest.mark.parametrize("case", CASES, ids=str)
def test_feed_text_is_decoded_as_the_document_and_header_say(
    case: str, http_server: FixtureServer, settings: Settings, store: Store
) -> None:
    body, content_type = CASES[case]
    url = http_server.route("/feed", body, content_type=content_type)
    settings = replace(settings, fetch_articles=False, understand=False)
    source_id = _add(store, settings, url)
    [result] = asyncio.run(refresh_all(store, settings))
    assert result.error == ""
    source = store.source_by_id(source_id)
    assert source is not None and source.title.startswith(TEXT), source
    [article] = store.latest_articles(10)
    assert article.title.startswith(TEXT), article.title
    assert TEXT in article.summary and "\ufffd" not in article.summary
