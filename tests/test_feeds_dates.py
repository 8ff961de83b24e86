"""Entry dates come only from the feed's date elements, never from a guid that reads like a date.

fastfeedparser runs dateutil over the guid of an item without a date: "1" would become the first
of this month and beat the article page's own date. Served by the fixture server, refreshed into
a real store of each kind.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from fixture_server import FixtureServer
from newsdesk.pipeline.feeds import parse_feed
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import Store
from sitegen import SiteArticle, article_html

PAGE_DATE = datetime(2025, 3, 4, 5, 6, 7, tzinfo=UTC)
FEED_DATE = datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)
UNDATED_GUIDS = ("1", "may-5", "wed", "2023-06-07")


def _item(number: int, base: str, guid: str, date: str = "") -> str:
    return (
        f"<item><title>Story {number}</title><link>{base}/news/{number}.html</link>"
        f'<guid isPermaLink="false">{guid}</guid>{date}'
        f"<description>Summary {number}.</description></item>"
    )


def _feed(base: str) -> str:
    undated = [_item(n, base, guid) for n, guid in enumerate(UNDATED_GUIDS)]
    dated = [
        _item(10, base, "11", "<pubDate>Tue, 02 Jan 2024 03:04:05 GMT</pubDate>"),
        _item(11, base, "12", "<dc:date>2024-01-02T03:04:05Z</dc:date>"),
    ]
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>Dates</title>'
        f"<link>{base}/</link>{''.join(undated + dated)}"
        # A channel date after the items belongs to no item.
        "<pubDate>Mon, 01 Jan 2024 00:00:00 GMT</pubDate></channel></rss>"
    )


def _serve(server: FixtureServer) -> str:
    base = server.url("").rstrip("/")
    server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    for number in (*range(len(UNDATED_GUIDS)), 10, 11):
        page = SiteArticle(0, number, f"/news/{number}.html", f"Story {number}", PAGE_DATE)
        server.route(page.path, article_html(page, base), content_type="text/html; charset=utf-8")
    return server.route("/feed.xml", _feed(base), content_type="application/rss+xml")


def test_guids_are_never_read_as_dates(http_server: FixtureServer) -> None:
    feed = parse_feed(_feed("http://example.com").encode())
    assert feed.parser == "fastfeedparser"
    assert [e.published for e in feed.entries] == [None] * len(UNDATED_GUIDS) + [FEED_DATE] * 2


@pytest.mark.parametrize("fetch_articles", [True, False], ids=["page", "no page"])
def test_undated_entries_take_the_page_date_or_the_fetch_time(
    fetch_articles: bool, http_server: FixtureServer, settings: Settings, store: Store
) -> None:
    store.add_source(_serve(http_server))
    settings = replace(settings, fetch_articles=fetch_articles, understand=False)
    started = datetime.now(UTC).replace(microsecond=0)
    [result] = asyncio.run(refresh_all(store, settings))
    assert result.error == ""
    published = {a.title: a.published for a in store.latest_articles(20)}
    assert published["Story 10"] == published["Story 11"] == FEED_DATE
    undated = [published[f"Story {n}"] for n in range(len(UNDATED_GUIDS))]
    if fetch_articles:
        assert undated == [PAGE_DATE] * len(UNDATED_GUIDS)
    else:
        assert all(started <= d <= datetime.now(UTC) + timedelta(seconds=1) for d in undated)
