"""The site queries on both stores: filters, cursors, search, stories, coverage and mutes."""

from __future__ import annotations

from datetime import timedelta

from newsdesk.store import Store
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
    topic = store.site_topic(["nobody", "vladimir putin"])
    assert topic is not None and topic.name == "Vladimir Putin"
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
