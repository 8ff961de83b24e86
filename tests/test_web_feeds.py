"""Feeds out parse cleanly with feedparser; the OPML export lists every source."""

from __future__ import annotations

from collections.abc import Iterator

import feedparser
import pytest
from starlette.testclient import TestClient

from newsdesk.opml import parse_opml
from newsdesk.settings import Settings
from newsdesk.web.app import create_app
from site_data import Site, seed_site


@pytest.fixture
def site(settings: Settings) -> Site:
    return seed_site(settings.database_url)


@pytest.fixture
def client(settings: Settings, site: Site) -> Iterator[TestClient]:
    with TestClient(create_app(settings, refresh=False)) as client:
        yield client


TALKS = {"Ceasefire talks resume in Geneva", "Geneva talks: negotiators meet again"}
FEEDS = {
    "/feeds/section/world": TALKS,
    "/feeds/section/world/europe": TALKS,
    "/feeds/section/politics": set(),
    "/feeds/topic/vladimir-putin": TALKS,
    "/feeds/place/UA": TALKS,
    "/feeds/story/1": TALKS,
}


@pytest.mark.parametrize("fmt", ["rss", "atom"])
@pytest.mark.parametrize("path", list(FEEDS))
def test_feeds_parse_cleanly(client: TestClient, path: str, fmt: str) -> None:
    response = client.get(f"{path}.{fmt}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(f"application/{fmt}+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == ("rss20" if fmt == "rss" else "atom10")
    assert parsed.feed.title.endswith("— newsdesk")
    titles = {e.title for e in parsed.entries}
    assert FEEDS[path] <= titles
    for entry in parsed.entries:
        assert entry.link.startswith("http://testserver/article/")
        assert entry.published_parsed is not None


def test_story_feed_includes_the_copies(client: TestClient) -> None:
    parsed = feedparser.parse(client.get("/feeds/story/1.atom").content)
    assert len(parsed.entries) == 3
    assert {e.author for e in parsed.entries} >= {"Ana Reporter", "Morning Post"}


def test_search_feed_keeps_the_filters(client: TestClient) -> None:
    parsed = feedparser.parse(client.get("/feeds/search.rss?q=central&section=business").content)
    assert not parsed.bozo
    assert {e.title for e in parsed.entries} == {
        "Central bank holds interest rates",
        "Markets rally after rate decision",
    }
    assert client.get("/feeds/search.rss?q=x&section=nope").status_code == 400
    assert client.get("/feeds/section/world.json").status_code == 404
    assert client.get("/feeds/topic/nobody.rss").status_code == 404


def test_feed_text_is_escaped_and_cleaned(client: TestClient, settings: Settings) -> None:
    from site_data import execute

    execute(
        settings.database_url,
        "UPDATE articles SET title = ? WHERE section = 'sports'",
        ("<b>Bold</b> & \x0bvertical tab",),
    )
    for fmt in ("rss", "atom"):
        parsed = feedparser.parse(client.get(f"/feeds/section/sports.{fmt}").content)
        assert not parsed.bozo
        assert parsed.entries[0].title == "<b>Bold</b> & vertical tab"


def test_opml_export(client: TestClient) -> None:
    response = client.get("/sources.opml")
    assert response.headers["content-type"].startswith("text/x-opml")
    feeds = parse_opml(response.content)
    assert {f.title for f in feeds} == {"Wire Service", "Daily Planet", "Morning Post"}


def test_search_feed_lists_the_newest_matches_first(client: TestClient) -> None:
    # By relevance the older "Central bank ..." headline would lead; an alert wants what is new.
    for query in ("q=central", "q=central&sort=relevance", "q=central&offset=1"):
        parsed = feedparser.parse(client.get(f"/feeds/search.rss?{query}").content)
        assert [e.title for e in parsed.entries] == [
            "Markets rally after rate decision",
            "Central bank holds interest rates",
        ], query
    page = client.get("/search?q=central").text
    assert page.index("Central bank holds interest rates") < page.index("Markets rally")


def test_rss_items_name_the_feed_they_came_from(client: TestClient) -> None:
    parsed = feedparser.parse(client.get("/feeds/section/world.rss").content)
    sources = {e.title: (e.source.title, e.source.href) for e in parsed.entries}
    assert sources["Ceasefire talks resume in Geneva"] == (
        "Wire Service",
        "https://wire.example/feed.xml",
    )
    assert sources["Geneva talks: negotiators meet again"][1] == "https://planet.example/rss"
