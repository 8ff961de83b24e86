"""End to end: a refresh gives every stored article a section, places and topics."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from html import escape

from fixture_server import FixtureServer
from newsdesk.classify_batch import classify_record
from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import open_store
from sitegen import publish_site

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)
STORIES = [
    (
        "sport/cup-final",
        "Manchester United win the FA Cup final at Wembley",
        "Manchester United beat Manchester City 2-1 in the FA Cup final at Wembley on "
        "Saturday. Coach Erik ten Hag praised his players. Ten Hag said the team showed "
        "character, and the captain lifted the trophy in front of the fans. The striker "
        "scored twice in the second half of the match, and the goalkeeper saved a penalty.",
    ),
    (
        "world/kyiv-talks",
        "Ukraine and Russia hold talks as shelling hits Kharkiv",
        "Officials from Ukraine and Russia met in Istanbul on Tuesday. President Volodymyr "
        "Zelensky said the shelling of Kharkiv must stop. Zelensky asked NATO allies for more "
        "air defence, while Vladimir Putin told the Kremlin the war would go on. Diplomats "
        "in Kyiv said the ceasefire talks would resume next week in Turkey.",
    ),
    (
        "business/markets",
        "Shares fall as the Federal Reserve holds interest rates",
        "Stocks fell on Wall Street after the Federal Reserve kept interest rates unchanged. "
        "Investors had hoped for a cut, and bank shares led the market lower. The dollar rose "
        "against the euro and the yen, and bond yields climbed as traders priced in fewer "
        "rate cuts this year. Analysts said company earnings and inflation data mattered.",
    ),
]


def _serve_stories(server: FixtureServer) -> str:
    base = server.url("").rstrip("/")
    server.route("/robots.txt", "User-agent: *\nAllow: /\n", content_type="text/plain")
    items = []
    for n, (path, title, text) in enumerate(STORIES):
        published = T0 + timedelta(hours=n)
        paragraphs = "".join(f"<p>{escape(s)}.</p>" for s in text.split(". "))
        server.route(
            f"/{path}.html",
            f"<!doctype html><html lang='en'><head><title>{escape(title)}</title></head>"
            f"<body><article><h1>{escape(title)}</h1>{paragraphs}</article></body></html>",
            content_type="text/html; charset=utf-8",
        )
        items.append(
            f"<item><title>{escape(title)}</title><link>{base}/{path}.html</link>"
            f"<guid>{base}/{path}.html</guid><pubDate>{format_datetime(published)}</pubDate>"
            f"<description>{escape(text.split('. ')[0])}.</description></item>"
        )
    feed = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
        f"<title>Daily</title><link>{base}/</link>{''.join(items)}</channel></rss>"
    )
    return server.route("/daily.xml", feed, content_type="application/rss+xml")


def test_refresh_stores_section_places_and_topics(
    http_server: FixtureServer, settings: Settings
) -> None:
    store = open_store(settings.database_url)
    daily = store.add_source(_serve_stories(http_server))
    feeds, generic = publish_site(http_server, feeds=1, per_feed=3)
    store.add_source(feeds[0], section="World")

    results = asyncio.run(refresh_all(store, settings))
    assert [r.error for r in results] == ["", ""]
    stored = {a.title: a for a in store.latest_articles(100)}
    assert len(stored) == len(STORIES) + len(generic)
    assert all(a.section in SECTION_NAMES for a in stored.values())
    assert all(a.section_source == "model" for a in stored.values())

    cup, talks, markets = (stored[title] for _, title, _ in STORIES)
    assert (cup.section, talks.section, markets.section) == ("sports", "world", "business")
    assert {p.country_code for p in store.places_of(talks.id)} >= {"UA", "RU", "TR"}
    assert "volodymyr zelensky" in {t.key for t in store.topics_of(talks.id)}
    assert [a.id for a in store.articles_by_place("UA")] == [talks.id]
    assert talks.id in [a.id for a in store.articles_by_topic("volodymyr zelensky")]
    assert [a.id for a in store.articles_by_section("sports")] == [cup.id]

    # What the batch command writes for the same input is what the pipeline stored.
    for article in (cup, talks, markets):
        record = {"title": article.title, "text": article.text, "summary": article.summary}
        out = classify_record({**record, "url": article.url})
        assert out["section"] == article.section
        places = {(p.name, p.mentions) for p in store.places_of(article.id)}
        assert {(p["name"], p["mentions"]) for p in out["places"]} == places
        assert {t["key"] for t in out["topics"]} == {t.key for t in store.topics_of(article.id)}

    # Confident articles taught the source how its URL paths (/sport/, /world/) behave.
    stats = store.source_stats(daily.id)
    assert stats.trials.get("url", 0) >= 1 and stats.hits.get("url", 0) >= 1
    store.close()


def test_a_feed_in_another_language_is_filed_by_its_source_not_the_english_model(
    http_server: FixtureServer, settings: Settings
) -> None:
    items = "".join(
        f"<item><title>{title}</title><link>{http_server.url(f'/fr/{n}')}</link>"
        f"<description>{text}</description></item>"
        for n, (title, text) in enumerate(
            [
                ("Le gouvernement présente la réforme", "Le projet de loi arrive au Sénat."),
                ("Les députés votent le budget", "Le texte a été adopté en première lecture."),
            ]
        )
    )
    rss = (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Fil</title>'
        f"<language>fr-FR</language>{items}</channel></rss>"
    )
    store = open_store(settings.database_url)
    filed = store.add_source(http_server.route("/fr.xml", rss), section="Politics")
    alone = store.add_source(http_server.route("/fr2.xml", rss.replace("/fr/", "/fr2/")))
    asyncio.run(refresh_all(store, replace(settings, fetch_articles=False)))
    articles = store.latest_articles(10)
    assert {a.language for a in articles} == {"fr"}  # from the feed: no page was fetched
    by_source = {(a.source_id, a.section) for a in articles}
    assert by_source == {(filed.id, "politics"), (alone.id, "")}
    store.close()


def test_cli_corrects_a_section_and_lists_sections(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsdesk.cli import main
    from store_fixtures import article, outcome

    url = f"sqlite:///{tmp_path / 'cli.db'}"
    store = open_store(url)
    source = store.add_source("https://a.example/feed")
    [article_id] = store.save_outcome(
        outcome(source.id, article(source.id, 1, section="world"))
    ).new_article_ids
    store.close()
    runner = CliRunner()
    done = runner.invoke(
        main, ["--database-url", url, "articles", "correct", str(article_id), "politics"]
    )
    assert done.exit_code == 0, done.output
    assert "politics" in done.output
    bad = runner.invoke(main, ["--database-url", url, "articles", "correct", "999", "politics"])
    assert bad.exit_code != 0 and "no article" in bad.output
    listing = runner.invoke(main, ["--database-url", url, "sections"])
    lines = {line.split()[0]: line.split()[1] for line in listing.output.splitlines()}
    assert lines["politics"] == "1" and lines["world"] == "0" and set(SECTION_NAMES) <= set(lines)
    assert runner.invoke(main, ["--database-url", url, "articles", "--limit", "1"]).exit_code == 0
    store = open_store(url)
    assert store.source_stats(source.id).sections == {"politics": 1.0}
    store.close()
