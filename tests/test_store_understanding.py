"""The understanding part of the store, on SQLite and PostgreSQL: stats, corrections, listings."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from newsdesk.models import Place, Topic
from newsdesk.pipeline.classify import SourceEvidence, SourceStats, classify_section, load_model
from newsdesk.store import Store, StoreError
from newsdesk.understanding import (
    Observation,
    correct_section,
    record_observations,
    understand_articles,
)
from store_fixtures import T0, article, outcome

KYIV = Place("Kyiv", "city", "UA", "Ukraine", "Europe", 2)
UKRAINE = Place("Ukraine", "country", "UA", "Ukraine", "Europe", 3)
PARIS = Place("Paris", "city", "FR", "France", "Europe", 1)
TOKYO = Place("Tokyo", "city", "JP", "Japan", "Asia", 1)
PUTIN = Topic("vladimir putin", "Vladimir Putin", "person", 3)
NATO = Topic("nato", "NATO", "organisation", 1)


def _seed(store: Store) -> tuple[int, list[int]]:
    source = store.add_source("https://a.example/feed", section="World")
    rows = [
        article(source.id, 0, section="world", places=(UKRAINE, KYIV), topics=(PUTIN, NATO)),
        article(source.id, 1, section="politics", places=(PARIS,), topics=(PUTIN,)),
        article(source.id, 2, section="world", places=(TOKYO,), published=T0 + timedelta(1)),
        article(source.id, 3, section="sports", published=T0 - timedelta(days=3)),
    ]
    saved = store.save_outcome(outcome(source.id, *rows, fetched_at=T0 + timedelta(days=2)))
    return source.id, list(saved.new_article_ids)


def test_source_stats_round_trip(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    assert store.source_stats(source.id) == SourceStats()
    stats = SourceStats({"url": 3.0}, {"url": 4.0}, {"sports": 1.0})
    store.save_source_stats(source.id, stats)
    assert store.source_stats(source.id) == stats
    store.save_source_stats(source.id, SourceStats({"declared": 1.0}, {"declared": 2.0}))
    assert store.source_stats(source.id).hits == {"declared": 1.0}
    store.save_source_stats(999_999, stats)  # a source that is gone: nothing happens
    assert store.source_stats(999_999) == SourceStats()


def test_places_and_topics_of_an_article(store: Store) -> None:
    _, ids = _seed(store)
    assert store.places_of(ids[0]) == (UKRAINE, KYIV)
    assert store.topics_of(ids[0]) == (PUTIN, NATO)
    assert store.places_of(ids[3]) == () and store.topics_of(999_999) == ()


def test_articles_by_section_place_and_topic_newest_first(store: Store) -> None:
    _, ids = _seed(store)
    world = store.articles_by_section("world")
    assert [a.id for a in world] == [ids[2], ids[0]]
    assert world[0].section == "world" and world[0].section_source == "model"
    assert len(world[0].entry_ids) == 1
    page = store.articles_by_section("world", 1, before=world[0].published, before_id=world[0].id)
    assert [a.id for a in page] == [ids[0]]
    assert [a.id for a in store.articles_by_place("UA")] == [ids[0]]
    assert [a.id for a in store.articles_by_place("Europe")] == [ids[1], ids[0]]
    assert [a.id for a in store.articles_by_place("Tokyo")] == [ids[2]]
    assert [a.id for a in store.articles_by_topic("vladimir putin")] == [ids[1], ids[0]]
    assert store.articles_by_topic("nobody") == []


def test_counts_and_tops_for_a_window(store: Store) -> None:
    _seed(store)
    assert store.articles_per_section() == {"world": 2, "politics": 1, "sports": 1}
    assert store.articles_per_section(T0 - timedelta(days=1)) == {"world": 2, "politics": 1}
    assert store.articles_per_section(T0, T0 + timedelta(hours=1)) == {"world": 1, "politics": 1}
    [top] = store.top_topics(T0 - timedelta(days=1))
    assert (top.topic.key, top.topic.name, top.articles) == ("vladimir putin", "Vladimir Putin", 2)
    assert [t.topic.key for t in store.top_topics(min_articles=1)] == ["vladimir putin", "nato"]
    places = store.top_places(T0 - timedelta(days=1), kind="city")
    assert [(p.place.name, p.articles) for p in places] == [("Kyiv", 1), ("Paris", 1), ("Tokyo", 1)]
    assert [p.place.name for p in store.top_places(kind="country")] == ["Ukraine"]


def test_correction_is_stored_and_teaches_the_source(store: Store) -> None:
    source_id, ids = _seed(store)
    before = store.source_stats(source_id)
    updated = correct_section(store, ids[1], "world", username="ed")
    assert (updated.id, updated.section, updated.section_source) == (ids[1], "world", "user")
    assert store.article_by_id(ids[1]).section == "world"  # type: ignore[union-attr]
    after = store.source_stats(source_id)
    assert after.sections == {"world": 1.0}
    # The source's declared section ("World") named the right section: its record improves.
    assert after.reliability("declared") > before.reliability("declared")
    assert [a.id for a in store.articles_by_section("politics")] == []
    with pytest.raises(StoreError):
        store.correct_section(999_999, "world")
    with pytest.raises(StoreError):
        store.correct_section(ids[0], "gossip")


def test_update_source_stats_applies_a_function_in_one_write(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    store.save_source_stats(source.id, SourceStats(countries={"UA": 1.0}))
    grown = store.update_source_stats(
        source.id, lambda s: SourceStats(countries={**s.countries, "FR": 1.0})
    )
    assert grown.countries == {"UA": 1.0, "FR": 1.0} == store.source_stats(source.id).countries
    assert store.update_source_stats(999_999, lambda s: grown) == grown  # gone: nothing stored
    assert store.source_stats(999_999) == SourceStats()


def test_a_correction_during_record_observations_is_kept(store: Store) -> None:
    source_id, ids = _seed(store)
    waiting = threading.Event()

    def correct() -> None:
        waiting.set()
        store.correct_section(ids[1], "world")

    corrector = threading.Thread(target=correct)
    learn = store.update_source_stats

    def update_while_a_correction_arrives(source: int, update: object) -> SourceStats:
        def late(stats: SourceStats) -> SourceStats:
            # The stats are read: a user corrects an article of the source now.
            if not waiting.is_set():  # once, though PostgreSQL may retry
                corrector.start()
                waiting.wait(5)
                corrector.join(0.3)  # it must wait for this write to end
            return update(stats)  # type: ignore[operator, no-any-return]

        return learn(source, late)

    store.update_source_stats = update_while_a_correction_arrives  # type: ignore[method-assign]
    seen = Observation(SourceEvidence("World"), "", "UA")
    record_observations(store, source_id, [seen])
    corrector.join(10)
    stats = store.source_stats(source_id)
    assert stats.countries == {"UA": 1.0}  # the observation
    assert stats.sections == {"world": 1.0}  # and the correction


def test_corrections_change_later_predictions_for_that_source(store: Store) -> None:
    """A source whose folder says "Sport" but that carries business news: users correct it."""
    model = load_model()
    source = store.add_source("https://money.example/feed", section="Sport")
    title = "Shares climb as the club's owner reports record quarterly profit"
    evidence = SourceEvidence(declared="Sport")
    first, _ = classify_section(
        model, title, evidence=evidence, stats=store.source_stats(source.id)
    )
    assert first == "sports"  # the folder tips a borderline headline
    rows = [article(source.id, n, title=f"Quarterly results {n}") for n in range(4)]
    ids = store.save_outcome(outcome(source.id, *rows)).new_article_ids
    for article_id in ids:
        store.correct_section(article_id, "business")
    stats = store.source_stats(source.id)
    later, scores = classify_section(model, title, evidence=evidence, stats=stats)
    assert later == "business" and scores["business"] > scores["sports"]
    # The live pipeline reads the same stored stats.
    understood = understand_articles([article(source.id, "new", title=title)], "Sport", stats)
    assert understood.articles[0].section == "business"
