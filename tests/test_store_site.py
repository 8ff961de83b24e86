"""The site queries on both stores: filters, cursors, search, stories, coverage and mutes."""

from __future__ import annotations

from datetime import timedelta

from newsdesk.store import Store, open_store
from newsdesk.store.base_site import ArticleFilter, SearchQuery
from site_data import NOW, Site, seed_site


def seeded(store: Store, database_url: str) -> Site:
    return seed_site(database_url)


def titles(articles: list) -> list[str]:  # type: ignore[type-arg]
    return [a.title for a in articles]


def test_filters_and_cursor(store: Store, database_url: str) -> None:
    site = seeded(store, database_url)
    assert titles(store.site_articles(ArticleFilter(section="business"))) == [
        "Markets rally after rate decision",
        "Central bank holds interest rates",
    ]
    europe = store.site_articles(ArticleFilter(region="Europe"))
    assert {a.id for a in europe} == {site.articles["talks"], site.articles["geneva"]}
    assert len(store.site_articles(ArticleFilter(country="ua"))) == 2
    putin = store.site_articles(ArticleFilter(topic="vladimir putin"))
    assert len(putin) == 3
    assert len(store.site_articles(ArticleFilter(topic="vladimir putin", originals_only=True))) == 2
    wire = store.site_articles(ArticleFilter(source_id=site.sources["wire"]))
    assert titles(wire) == [
        "New phone folds in three",
        "Ceasefire talks resume in Geneva",
        "Striker scores twice in derby",
    ]
    recent = ArticleFilter(since=NOW - timedelta(hours=2, minutes=30), until=NOW)
    assert set(titles(store.site_articles(recent))) == {
        "New phone folds in three",
        "Ceasefire talks resume in Geneva",
        "Geneva talks: negotiators meet again",
    }
    first = store.site_articles(ArticleFilter(), 3)
    rest = store.site_articles(
        ArticleFilter(), 10, before=first[-1].published, before_id=first[-1].id
    )
    assert len(first) + len(rest) == 7 and not {a.id for a in first} & {a.id for a in rest}


def test_search_with_filters(store: Store, database_url: str) -> None:
    site = seeded(store, database_url)
    assert store.site_search(SearchQuery("  ")) == []
    found = store.site_search(SearchQuery("central", order="time"))
    assert titles(found) == [
        "Markets rally after rate decision",
        "Central bank holds interest rates",
    ]
    planet = ArticleFilter(source_id=site.sources["planet"])
    assert titles(store.site_search(SearchQuery("central", planet))) == [
        "Central bank holds interest rates"
    ]
    best = store.site_search(SearchQuery("geneva", ArticleFilter(originals_only=True)))
    assert set(titles(best)) == {
        "Ceasefire talks resume in Geneva",
        "Geneva talks: negotiators meet again",
    }
    assert len(store.site_search(SearchQuery("geneva", limit=1, offset=1))) == 1
    assert store.site_search(SearchQuery("geneva", ArticleFilter(country="JP"))) == []


def test_stories_coverage_and_related(store: Store, database_url: str) -> None:
    site = seeded(store, database_url)
    stories = store.site_stories(10)
    assert [s.title for s in stories] == [
        "Ceasefire talks resume",
        "Central bank holds rates",
        "Derby double",
    ]
    assert [s.title for s in store.site_stories(10, section="business")] == [
        "Central bank holds rates"
    ]
    assert [s.title for s in store.site_stories(10, region="Europe")] == ["Ceasefire talks resume"]
    page = store.site_stories(1, before_score=stories[0].score, before_id=stories[0].id)
    assert [s.title for s in page] == ["Central bank holds rates"]
    talks = site.stories["talks"]
    coverage = store.story_coverage(talks)
    assert [a.id for a in coverage] == [
        site.articles["talks"],
        site.articles["geneva"],
        site.articles["copy"],
    ]
    assert [s.id for s in store.related_stories(talks)] == [site.stories["rates"]]
    related = store.related_articles(site.articles["rates"])
    assert titles(related) == ["Markets rally after rate decision"]
    assert store.site_story(999) is None
    ordered = store.site_articles_by_ids([site.articles["rally"], 999, site.articles["talks"]])
    assert [a.id for a in ordered] == [site.articles["rally"], site.articles["talks"]]


def test_places_topics_and_counts(store: Store, database_url: str) -> None:
    site = seeded(store, database_url)
    assert [p.country_code for p in store.site_places_of(site.articles["talks"])] == ["UA", "CH"]
    assert [t.key for t in store.site_topics_of(site.articles["talks"])] == ["vladimir putin"]
    topic = store.site_topic("vladimir putin")
    assert topic is not None and topic.name == "Vladimir Putin"
    assert store.site_topic("nobody") is None
    place = store.site_place("ua")
    assert place is not None and place.country == "Ukraine" and place.region == "Europe"
    assert store.site_place("ZZ") is None
    counts = {
        c.section: (c.stories, c.articles) for c in store.section_counts(NOW - timedelta(days=1))
    }
    assert counts["world"] == (1, 3) and counts["technology"] == (0, 1)
    assert store.newest_article_time() == NOW - timedelta(minutes=30)


def test_mutes(store: Store, database_url: str) -> None:
    site = seeded(store, database_url)
    store.add_mute("topic", "vladimir putin")
    store.add_mute("topic", "vladimir putin")  # twice is once
    store.add_mute("source", str(site.sources["post"]))
    assert [(m.kind, m.ref) for m in store.list_mutes()] == [
        ("source", str(site.sources["post"])),
        ("topic", "vladimir putin"),
    ]
    shown = titles(store.site_articles(ArticleFilter()))
    assert shown == [
        "New phone folds in three",
        "Central bank holds interest rates",
        "Striker scores twice in derby",
    ]
    assert len(store.site_articles(ArticleFilter(apply_mutes=False))) == 7
    assert [s.title for s in store.site_stories(10)] == ["Central bank holds rates", "Derby double"]
    assert store.remove_mute("topic", "vladimir putin") is True
    assert store.remove_mute("topic", "vladimir putin") is False
    assert len(store.site_stories(10)) == 3


# What later migrations added that cannot be added twice, by migration number.
_UNDO = {6: "ALTER TABLE source_health DROP COLUMN last_warning"}


def _set_schema_version(database_url: str, version: int) -> None:
    """Mark the store as migrated only up to `version`, so the next open runs the rest again
    (columns the later ones add are dropped first)."""
    undo = [sql for number, sql in sorted(_UNDO.items()) if number > version]
    if database_url.startswith("sqlite:///"):
        import sqlite3

        with sqlite3.connect(database_url.removeprefix("sqlite:///")) as db:
            for sql in undo:
                db.execute(sql)
            db.execute(f"PRAGMA user_version = {version}")
        return
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        for sql in undo:
            conn.execute(sql.encode())
        conn.execute("UPDATE schema_version SET version = %s", (version,))


def test_migration_5_reads_hyphens_in_topic_keys_as_spaces(store: Store, database_url: str) -> None:
    from newsdesk.models import Topic
    from store_fixtures import article, outcome

    # Keys as version 4 stored them: "covid-19" and "covid 19" apart, one article with both.
    source = store.add_source("https://keys.example/feed.xml")
    both = (Topic("covid 19", "covid 19", "phrase", 1), Topic("covid-19", "COVID-19", "name", 3))
    store.save_outcome(
        outcome(
            source.id,
            article(source.id, 1, topics=both),
            article(source.id, 2, topics=(Topic("covid-19", "COVID-19", "name", 2),)),
            article(source.id, 3, topics=(Topic("mir-mohammadi", "Mir-Mohammadi", "person", 1),)),
        )
    )
    user = store.add_user("reader", "long enough secret")
    store.subscribe(user.id, "topic", "covid-19", "COVID-19")
    store.subscribe(user.id, "topic", "covid 19", "covid 19")
    store.add_mute("topic", "mir-mohammadi")
    store.close()
    _set_schema_version(database_url, 4)

    migrated = open_store(database_url)
    try:
        # Both articles are about one topic now; the first keeps one row of its two.
        assert len(migrated.articles_by_topic("covid 19")) == 2
        assert migrated.articles_by_topic("covid-19") == []
        person = migrated.site_topic("mir mohammadi")
        assert person is not None and person.name == "Mir-Mohammadi"
        topics = [s.ref for s in migrated.subscriptions(user.id) if s.kind == "topic"]
        assert topics == ["covid 19"]
        assert [(m.kind, m.ref) for m in migrated.list_mutes()] == [("topic", "mir mohammadi")]
    finally:
        migrated.close()


def test_future_dates_are_listed_at_the_fetch_and_summaries_read_as_text(store: Store) -> None:
    from store_fixtures import T0, article, outcome

    source = store.add_source("https://clock.example/feed.xml")
    legacy = "<p>Lava flowed from a <b>new fissure</b> &amp; residents left.</p>"
    store.save_outcome(
        outcome(
            source.id,
            article(source.id, "future", published=T0 + timedelta(days=400), summary=legacy),
            article(source.id, "past", published=T0 - timedelta(hours=2), summary="a < b"),
            fetched_at=T0,
        )
    )
    listed = {a.title: a for a in store.site_articles(ArticleFilter(), 10)}
    future, past = listed["Article future"], listed["Article past"]
    assert future.published == T0  # not "just now" on top of every list for a year
    assert past.published == T0 - timedelta(hours=2)
    assert [a.title for a in listed.values()] == ["Article future", "Article past"]
    # Stores written before summaries were kept as text hold HTML: it reads as text.
    assert future.summary == "Lava flowed from a new fissure & residents left."
    assert past.summary == "a < b"
