"""A site whose pages all declare its home page as canonical keeps every article apart."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from fixture_server import FixtureServer
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import open_store
from sitegen import T0, SiteArticle, article_html, feed_xml


def test_a_canonical_naming_the_home_page_does_not_merge_articles(
    http_server: FixtureServer, settings: Settings
) -> None:
    base = http_server.url("").rstrip("/")
    http_server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    articles = [
        SiteArticle(0, n, f"/news/{n}.html", f"Story {n}: harbour news", T0 + timedelta(hours=n))
        for n in range(3)
    ]
    for a in articles:
        # The site's template gets rel=canonical wrong: every page names the home page.
        page = article_html(a, base).replace(f'href="{base}{a.path}"', f'href="{base}/"')
        http_server.route(a.path, page, content_type="text/html; charset=utf-8")
    feed = http_server.route(
        "/feed.xml", feed_xml("Careless", base, articles), content_type="application/rss+xml"
    )
    store = open_store(settings.database_url)
    source = store.add_source(feed)
    [result] = asyncio.run(refresh_all(store, settings, source_ids=[source.id]))
    assert result.error == "" and result.new_articles == 3
    stored = store.latest_articles(10)
    assert sorted(a.title for a in stored) == [a.title for a in articles]
    assert sorted(a.canonical_url for a in stored) == [base + a.path for a in articles]
    assert all(a.extraction == "extracted" for a in stored)
    store.close()
