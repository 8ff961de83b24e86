"""Entries that share a GUID but not a link are all kept, under GUIDs taken from their links.

A blog whose every item has the site's URL as its <guid> must not lose each new post after the
first. Served by the fixture server, refreshed into a real store of each kind.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from fixture_server import FixtureServer
from newsdesk.pipeline.feeds import parse_feed
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import Store


def _feed(base: str, posts: list[int], repeat_first: bool = False) -> str:
    items = [
        f"<item><title>Post {n}</title><link>{base}/posts/{n}</link>"
        f"<guid>{base}/</guid><description>Post number {n}.</description></item>"
        for n in posts
    ]
    if repeat_first:  # the same GUID and the same link: one entry
        items.append(items[0])
    return (
        f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Blog</title>'
        f"<link>{base}/</link>{''.join(items)}</channel></rss>"
    )


def test_shared_guids_with_different_links_become_the_links() -> None:
    base = "http://example.com"
    feed = parse_feed(_feed(base, [3, 2, 1], repeat_first=True).encode())
    assert [e.guid for e in feed.entries] == [f"{base}/posts/{n}" for n in (3, 2, 1, 3)]
    # Only a clash changes a GUID.
    assert [e.guid for e in parse_feed(_feed(base, [1]).encode()).entries] == [f"{base}/"]


def test_every_post_of_a_feed_with_one_guid_is_stored_once(
    http_server: FixtureServer, settings: Settings, store: Store
) -> None:
    base = http_server.url("").rstrip("/")
    settings = replace(settings, fetch_articles=False, understand=False)
    url = http_server.route("/feed.xml", _feed(base, [2, 1], repeat_first=True))
    source = store.add_source(url)

    [first] = asyncio.run(refresh_all(store, settings))
    assert (first.error, first.new_articles) == ("", 2)
    # A new post on top: under the shared GUID it would pass for an old one.
    http_server.route("/feed.xml", _feed(base, [3, 2, 1], repeat_first=True))
    [second] = asyncio.run(refresh_all(store, settings))
    assert (second.error, second.new_articles, second.new_entries) == ("", 1, 1)
    [third] = asyncio.run(refresh_all(store, settings))
    assert (third.new_articles, third.new_entries) == (0, 0)

    assert sorted(a.title for a in store.latest_articles(10)) == ["Post 1", "Post 2", "Post 3"]
    assert store.count_entries() == 3
    links = [f"{base}/posts/{n}" for n in (1, 2, 3)]
    assert store.known_guids(source.id, [*links, f"{base}/"]) == set(links)


def test_a_repaired_feed_is_told_in_source_health_until_a_clean_read(
    http_server: FixtureServer, settings: Settings, store: Store
) -> None:
    # The repair was only logged: nothing in the source's health said its feed was faulty.
    base = http_server.url("").rstrip("/")
    settings = replace(settings, fetch_articles=False, understand=False)
    url = http_server.route("/feed.xml", _feed(base, [2, 1]))
    source = store.add_source(url)
    asyncio.run(refresh_all(store, settings))
    health = store.source_health(source.id)
    assert health is not None and "2 entries shared a GUID" in health.last_warning
    http_server.error("/feed.xml", 500)
    [failed] = asyncio.run(refresh_all(store, settings))
    assert failed.status == 500  # nothing read: what is known stays
    assert "shared a GUID" in store.source_health(source.id).last_warning  # type: ignore[union-attr]
    clean = _feed(base, [1]).replace("<guid>", "<guid>x").replace("</guid>", "1</guid>")
    http_server.route("/feed.xml", clean)
    asyncio.run(refresh_all(store, settings))
    assert store.source_health(source.id).last_warning == ""  # type: ignore[union-attr]
