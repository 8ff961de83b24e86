"""End to end: sources on a real local HTTP server, refreshed into a real SQLite file."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

import pytest

from fixture_server import FixtureServer
from newsdesk.fetch import Fetcher
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.sources import add_source
from newsdesk.store import open_store
from newsdesk.store.base import Store
from sitegen import feed_xml, publish_site


def _add(store: Store, settings: Settings, url: str, section: str = "") -> int:
    async def run() -> int:
        async with Fetcher(settings) as fetcher:
            return (await add_source(store, fetcher, url, section=section)).id

    return asyncio.run(run())


def test_add_refresh_stores_each_article_once_with_text(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, articles = publish_site(http_server, feeds=3, per_feed=4)
    http_server.route(
        "/",
        f'<html><head><link rel="alternate" type="application/rss+xml" href="{feeds[0]}">'
        "</head><body>home</body></html>",
        content_type="text/html",
    )
    store = open_store(settings.database_url)
    assert store.source_by_id(_add(store, settings, http_server.url("/"))).url == feeds[0]
    for url in feeds[1:]:
        _add(store, settings, url)

    results = asyncio.run(refresh_all(store, settings))
    assert [r.error for r in results] == ["", "", ""]
    assert sum(r.new_articles for r in results) == len(articles) == store.count_articles()

    stored = {a.title: a for a in store.latest_articles(100)}
    for article in articles:
        got = stored[article.title]
        assert got.extraction == "extracted", got.extraction_error
        assert article.paragraphs()[0] in got.text
        assert "All rights reserved" not in got.text
        assert got.published == article.published
        assert got.image.endswith(f"/img/{article.feed}-{article.number}.jpg")
        assert len(got.entry_ids) == 1
    assert store.search("paragraph 3 story 1-2")[0].title == articles[6].title

    again = asyncio.run(refresh_all(store, settings))
    assert sum(r.new_articles for r in again) == 0
    assert {r.status for r in again} == {304}
    assert store.count_articles() == len(articles)
    assert store.count_entries() == len(articles)
    # Article pages were fetched once each, never again for known entries.
    assert http_server.count(articles[0].path) == 1
    store.close()


def test_failing_sources_are_recorded_and_others_carry_on(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, articles = publish_site(http_server, feeds=1, per_feed=3)
    store = open_store(settings.database_url)
    good = store.add_source(feeds[0])
    broken = store.add_source(
        http_server.route(
            "/broken.xml", b"\x00\x01 this is not a feed", content_type="application/rss+xml"
        )
    )
    down = store.add_source(http_server.error("/down.xml", 500))
    limited = store.add_source(http_server.error("/limited.xml", 429, retry_after="7200"))

    results = {r.source_id: r for r in asyncio.run(refresh_all(store, settings))}
    assert results[good.id].ok and results[good.id].new_articles == 3
    assert "500" in results[down.id].error
    assert results[broken.id].error
    health = store.source_health(limited.id)
    assert health is not None and health.consecutive_failures == 1 and health.last_status == 429
    assert health.next_due_at is not None
    assert (health.next_due_at - datetime.now(UTC)).total_seconds() > 7000
    assert [s.id for s in store.due_sources(datetime.now(UTC))] == []
    assert store.count_articles() == len(articles)
    store.close()


def test_unfetchable_page_keeps_the_feed_summary_and_says_why(
    http_server: FixtureServer, settings: Settings
) -> None:
    base = http_server.url("").rstrip("/")
    feeds, articles = publish_site(http_server, feeds=1, per_feed=2)
    http_server.error(articles[0].path, 404)
    store = open_store(settings.database_url)
    store.add_source(feeds[0])
    asyncio.run(refresh_all(store, settings))
    got = {a.title: a for a in store.latest_articles(10)}[articles[0].title]
    assert got.extraction == "failed"
    assert "404" in got.extraction_error
    assert got.text == f"Summary of {articles[0].title}."
    assert base in got.url
    store.close()


def test_robots_txt_guards_article_pages_but_not_subscribed_feeds(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, articles = publish_site(http_server, feeds=1, per_feed=2)
    http_server.route("/robots.txt", "User-agent: *\nDisallow: /\n", content_type="text/plain")
    store = open_store(settings.database_url)
    store.add_source(feeds[0])
    asyncio.run(refresh_all(store, settings))
    stored = store.latest_articles(10)
    assert len(stored) == 2
    assert all(a.extraction == "failed" and "robots" in a.extraction_error for a in stored)
    assert http_server.count(articles[0].path) == 0
    store.close()


def test_one_article_in_two_feeds_is_stored_once(
    http_server: FixtureServer, settings: Settings
) -> None:
    _, articles = publish_site(http_server, feeds=1, per_feed=2)
    base = http_server.url("").rstrip("/")
    syndicated = http_server.route(
        "/partner.xml", feed_xml("Partner", base, articles[:1]), content_type="application/rss+xml"
    )
    store = open_store(settings.database_url)
    store.add_source(http_server.url("/feeds/0.xml"))
    store.add_source(syndicated)
    asyncio.run(refresh_all(store, settings))
    assert store.count_articles() == 2
    assert store.count_entries() == 3
    shared = {a.title: a for a in store.latest_articles(10)}[articles[0].title]
    assert len(shared.entry_ids) == 2
    store.close()


def test_an_entry_already_stored_from_another_feed_is_only_linked(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, articles = publish_site(http_server, feeds=1, per_feed=3)
    base = http_server.url("").rstrip("/")
    copy = http_server.route(
        "/feeds/copy.xml", feed_xml("Copy", base, articles), content_type="application/rss+xml"
    )
    store = open_store(settings.database_url)
    first, second = store.add_source(feeds[0]), store.add_source(copy)
    asyncio.run(refresh_all(store, settings, source_ids=[first.id]))
    [result] = asyncio.run(refresh_all(store, settings, source_ids=[second.id]))
    assert (result.error, result.new_articles, result.new_entries) == ("", 0, 3)
    assert store.count_articles() == 3 and store.count_entries() == 6
    for article in store.latest_articles(10):
        assert len(article.entry_ids) == 2
        assert article.extraction == "extracted" and article.source_id == first.id
    # Each page was fetched once, for the first feed; the copy's entries were never refetched.
    assert [http_server.count(a.path) for a in articles] == [1, 1, 1]
    store.close()


def test_an_unexpected_error_is_recorded_and_backed_off(
    http_server: FixtureServer, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    import newsdesk.refresh

    feeds, _ = publish_site(http_server, feeds=1, per_feed=2)
    store = open_store(settings.database_url)
    source = store.add_source(feeds[0])

    def bug(*args: object) -> object:
        raise RuntimeError("a bug in a stage")

    # Nothing real fails on demand inside a stage, so this one stage is replaced by a bug (in
    # this process: a worker process would not see the replacement).
    monkeypatch.setattr(newsdesk.refresh, "assemble_articles", bug)
    quick = settings.replace(understand=False, process_pool=False)
    [result] = asyncio.run(refresh_all(store, quick))
    assert result.error.startswith("internal error") and "a bug in a stage" in result.error
    health = store.source_health(source.id)
    assert health is not None and health.consecutive_failures == 1
    assert health.next_due_at is not None and health.next_due_at > datetime.now(UTC)
    assert store.due_sources(datetime.now(UTC)) == []
    assert store.count_articles() == 0
    store.close()


def test_due_and_source_together_select_only_that_due_source(settings: Settings) -> None:
    from newsdesk.refresh import select_sources

    store = open_store(settings.database_url)
    first = store.add_source("https://a.example/feed.xml")
    store.add_source("https://b.example/feed.xml")
    assert [s.id for s in select_sources(store, source_ids=[first.id], due_only=True)] == [first.id]
    store.close()


def test_a_feed_moved_for_good_is_followed_and_a_gone_one_waits_longest(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, _ = publish_site(http_server, feeds=2, per_feed=2)
    store = open_store(settings.database_url)
    mover = store.add_source(http_server.url("/old-feed.xml"))
    gone = store.add_source(http_server.url("/gone.xml"))
    http_server.redirect("/old-feed.xml", feeds[0], status=301)
    http_server.route("/gone.xml", "gone", status=410)
    before = datetime.now(UTC)
    results = {r.source_id: r for r in asyncio.run(refresh_all(store, settings))}
    assert results[mover.id].error == "" and results[mover.id].new_articles == 2
    assert store.source_by_id(mover.id).url == feeds[0]  # type: ignore[union-attr]
    assert "gone for good" in results[gone.id].error
    health = store.source_health(gone.id)
    assert health is not None and health.next_due_at is not None
    wait = (health.next_due_at - before).total_seconds()
    assert wait >= settings.backoff_max - 60  # not the first step of the backoff
    # A temporary redirect is followed but not written down.
    temporary = store.add_source(http_server.url("/moving.xml"))
    http_server.redirect("/moving.xml", feeds[1], status=302)
    asyncio.run(refresh_all(store, settings, source_ids=[temporary.id]))
    assert store.source_by_id(temporary.id).url == http_server.url("/moving.xml")  # type: ignore[union-attr]
    store.close()


def test_adding_a_page_tries_each_feed_it_advertises_then_likely_places(
    http_server: FixtureServer, settings: Settings
) -> None:
    feeds, _ = publish_site(http_server, feeds=2, per_feed=1)
    http_server.route("/gone.xml", "gone", status=410)
    http_server.route(
        "/two-feeds.html",
        '<link rel="alternate" type="application/rss+xml" href="/gone.xml">'
        f'<link rel="alternate" type="application/rss+xml" href="{feeds[0]}">',
        content_type="text/html",
    )
    http_server.route(
        "/anchors.html", f'<p><a href="{feeds[1]}">Our RSS</a></p>', content_type="text/html"
    )
    store = open_store(settings.database_url)
    first = store.source_by_id(_add(store, settings, http_server.url("/two-feeds.html")))
    assert first is not None and first.url == feeds[0]  # the gone feed listed first is passed
    linked = store.source_by_id(_add(store, settings, http_server.url("/anchors.html")))
    assert linked is not None and linked.url == feeds[1]
    # No feed links at all: the site's well-known feed paths.
    http_server.route("/feed", feed_xml("Well known", http_server.url(""), []))
    http_server.route("/plain.html", "<p>nothing here</p>", content_type="text/html")
    known = store.source_by_id(_add(store, settings, http_server.url("/plain.html")))
    assert known is not None and known.url == http_server.url("/feed")
    store.close()


def test_links_that_are_no_web_pages_are_not_stored(
    http_server: FixtureServer, settings: Settings
) -> None:
    # The site's pages hid them, but sync clients and OPML export were handed them to follow.
    feed = http_server.route(
        "/hostile.xml",
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Hostile</title>'
        "<link>javascript:alert('site')</link><description>d</description>"
        "<item><title>Scripted link</title><link>javascript:alert('item')//http://x.example/</link>"
        '<guid isPermaLink="false">hostile-1</guid>'
        "<description>A summary long enough to be read as the story.</description></item>"
        "</channel></rss>",
        content_type="application/rss+xml",
    )
    store = open_store(settings.database_url)
    source = store.add_source(feed)
    results = asyncio.run(refresh_all(store, settings))
    assert [r.error for r in results] == [""]
    (article,) = store.latest_articles(10)
    assert article.title == "Scripted link" and article.url == ""
    assert store.source_by_id(source.id).site_url == ""
    store.close()
