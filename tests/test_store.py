"""The store's contract, run against every backend (SQLite, PostgreSQL) through `store`."""

from __future__ import annotations

import re
import sqlite3
import threading
from datetime import timedelta
from pathlib import Path

import pytest

from newsdesk.models import Enclosure
from newsdesk.store import SQLiteStore, Store, StoreError, open_store
from newsdesk.store.migrations import MIGRATIONS, apply_migrations
from store_fixtures import T0, article, outcome

# opening and migrations


def test_migrations_are_idempotent(tmp_path: Path) -> None:
    path = tmp_path / "db.sqlite"
    SQLiteStore(path).close()
    SQLiteStore(path).close()
    db = sqlite3.connect(path, isolation_level=None)
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert apply_migrations(db) == len(MIGRATIONS)
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    db.close()


def test_a_version_2_file_upgrades_and_indexes_new_articles(tmp_path: Path) -> None:
    # Migration 3 replaced the per-row full-text trigger with one insert per saved batch.
    path = tmp_path / "db.sqlite"
    db = sqlite3.connect(path, isolation_level=None)
    for number, migration in enumerate(MIGRATIONS[:2], start=1):
        db.executescript(migration.sqlite)
        db.execute(f"PRAGMA user_version = {number}")
    db.close()
    store = SQLiteStore(path)
    source = store.add_source("https://example.com/feed")
    store.save_outcome(outcome(source.id, article(source.id, 1, text="a quokka sighting")))
    assert [a.title for a in store.search("quokka")] == ["Article 1"]
    store.close()
    db = sqlite3.connect(path)
    triggers = {
        row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")
    }
    assert "articles_fts_insert" not in triggers
    assert {"articles_fts_update", "articles_fts_delete"} <= triggers
    db.close()


def test_open_store_urls(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    for url, path in [
        ("sqlite:///relative/dir/a.db", tmp_path / "relative/dir/a.db"),
        (f"sqlite:///{tmp_path / 'abs/b.db'}", tmp_path / "abs/b.db"),
        ("bare/c.db", tmp_path / "bare/c.db"),
    ]:
        open_store(url).close()
        assert path.is_file(), url
    with pytest.raises(StoreError):
        open_store("mysql://localhost/newsdesk")


def test_reopen_keeps_data(database_url: str) -> None:
    first = open_store(database_url)
    source = first.add_source("https://example.com/feed", title="Example")
    first.save_outcome(outcome(source.id, article(source.id, 1)))
    first.close()
    second = open_store(database_url)
    assert second.list_sources() == [source]
    assert [a.title for a in second.latest_articles()] == ["Article 1"]
    second.close()


def test_closed_store_refuses(database_url: str) -> None:
    closed = open_store(database_url)
    closed.close()
    with pytest.raises(StoreError):
        closed.list_sources()


# sources


def test_add_source_is_idempotent_and_due_at_once(store: Store) -> None:
    first = store.add_source("https://a.example/feed", title="A", section="world", group="news")
    again = store.add_source("https://a.example/feed", title="changed")
    assert again == first
    assert (first.title, first.section, first.group) == ("A", "world", "news")
    assert first.created_at is not None and first.created_at.tzinfo is not None
    assert store.list_sources() == [first]
    assert store.source_by_id(first.id) == first
    assert store.source_by_url("https://a.example/feed") == first
    assert store.source_by_url("https://other.example/feed") is None
    assert store.due_sources(first.created_at) == [first]
    assert store.next_due_at() == first.created_at
    with pytest.raises(StoreError):
        store.add_source("  ")


def test_remove_source_cascades(store: Store) -> None:
    a = store.add_source("https://a.example/feed")
    b = store.add_source("https://b.example/feed")
    shared = dict(canonical_url="https://news.example/shared", title="Shared zebra story")
    store.save_outcome(
        outcome(
            a.id,
            article(a.id, "a-only", title="Unique aardvark story"),
            article(a.id, "a-shared", **shared),
        )
    )
    store.save_outcome(outcome(b.id, article(b.id, "b-shared", **shared)))
    assert store.count_articles() == 2 and store.count_entries() == 3

    assert store.remove_source(a.id) is True
    assert store.remove_source(a.id) is False
    assert store.list_sources() == [b]
    assert store.source_health(a.id) is None and store.fetch_history(a.id) == []
    assert store.count_articles() == 1 and store.count_entries() == 1
    assert store.search("aardvark") == []
    [survivor] = store.search("zebra")
    assert (survivor.source_id, survivor.source_title) == (b.id, b.title)
    assert len(survivor.entry_ids) == 1
    assert store.known_urls(["https://example.com/a-only"]) == set()

    store.remove_source(b.id)
    assert store.count_articles() == 0 and store.search("zebra") == []


def test_fts_index_consistent_after_removal(tmp_path: Path) -> None:
    sqlite_store = SQLiteStore(tmp_path / "fts.db")
    source = sqlite_store.add_source("https://a.example/feed")
    sqlite_store.save_outcome(outcome(source.id, article(source.id, 1, text="words here")))
    sqlite_store.remove_source(source.id)
    sqlite_store.close()
    db = sqlite3.connect(tmp_path / "fts.db")
    db.execute("INSERT INTO articles_fts(articles_fts, rank) VALUES ('integrity-check', 1)")
    assert db.execute("SELECT count(*) FROM articles_fts").fetchone()[0] == 0
    db.close()


# saving a refresh


def test_save_outcome_is_idempotent(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    articles = [
        article(
            source.id,
            n,
            categories=("world", "économie"),
            enclosures=(Enclosure("https://example.com/a.mp3", "audio/mpeg", 123),),
        )
        for n in range(3)
    ]
    saved = store.save_outcome(outcome(source.id, *articles))
    assert len(saved.new_article_ids) == 3 and saved.new_entries == 3
    again = store.save_outcome(outcome(source.id, *articles))
    assert again.new_article_ids == () and again.new_entries == 0
    assert store.count_articles() == 3 and store.count_entries() == 3
    stored = store.article_by_id(saved.new_article_ids[0])
    assert stored is not None and stored.categories == ("world", "économie")
    assert [log.new_articles for log in store.fetch_history(source.id)] == [0, 3]


def test_same_canonical_url_from_two_sources_is_one_article(store: Store) -> None:
    a = store.add_source("https://a.example/feed", title="A")
    b = store.add_source("https://b.example/feed", title="B")
    canonical = "https://news.example/story"
    first = store.save_outcome(outcome(a.id, article(a.id, "x", canonical_url=canonical)))
    second = store.save_outcome(outcome(b.id, article(b.id, "y", canonical_url=canonical)))
    assert second.new_article_ids == () and second.new_entries == 1
    [stored] = store.latest_articles()
    assert stored.id == first.new_article_ids[0]
    assert (stored.source_id, stored.source_title) == (a.id, "A")
    assert len(stored.entry_ids) == 2
    assert [x.id for x in store.latest_articles(source_id=b.id)] == [stored.id]
    assert store.known_guids(b.id, ["guid-y", "guid-x"]) == {"guid-y"}
    assert store.known_urls([canonical, "https://news.example/other"]) == {canonical}


def test_a_link_only_entry_joins_the_stored_article_and_never_makes_one(store: Store) -> None:
    a = store.add_source("https://a.example/feed")
    b = store.add_source("https://b.example/feed")
    canonical = "https://news.example/story"
    first = store.save_outcome(outcome(a.id, article(a.id, "x", canonical_url=canonical)))
    link = article(b.id, "y", canonical_url=canonical, title="", link_only=True)
    orphan = article(b.id, "z", canonical_url="https://news.example/gone", link_only=True)
    saved = store.save_outcome(outcome(b.id, link, orphan))
    assert saved.new_article_ids == () and saved.new_entries == 1
    [stored] = store.latest_articles()
    assert stored.id == first.new_article_ids[0] and stored.title == "Article x"
    assert len(stored.entry_ids) == 2
    # The orphan's entry is not recorded, so the next refresh brings that entry back in full.
    assert store.known_guids(b.id, ["guid-y", "guid-z"]) == {"guid-y"}
    assert store.known_urls(["https://news.example/gone"]) == set()


def test_validators_are_kept_unless_given(store: Store) -> None:
    source = store.add_source("https://a.example/feed", title="Mine")
    store.save_outcome(outcome(source.id, etag='"v1"', last_modified="Wed, 01 May 2024"))
    store.save_outcome(outcome(source.id, title="Feed title", site_url="https://a.example/"))
    stored = store.source_by_id(source.id)
    assert stored is not None
    assert (stored.etag, stored.last_modified) == ('"v1"', "Wed, 01 May 2024")
    # A name given when the source was added (or imported from OPML) stays.
    assert (stored.title, stored.site_url) == ("Mine", "https://a.example/")
    unnamed = store.add_source("https://b.example/feed")
    store.save_outcome(outcome(unnamed.id, title="Feed title"))
    store.save_outcome(outcome(unnamed.id, title="Renamed feed"))
    assert store.source_by_id(unnamed.id).title == "Feed title"  # type: ignore[union-attr]


def test_save_outcome_for_removed_source_raises(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    store.remove_source(source.id)
    with pytest.raises(StoreError):
        store.save_outcome(outcome(source.id, article(source.id, 1)))
    assert store.count_articles() == 0


def test_health_and_fetch_log(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    later = T0 + timedelta(hours=1)
    store.save_outcome(outcome(source.id, status=500, error="boom", failed=True))
    store.save_outcome(outcome(source.id, status=None, error="timeout", failed=True))
    health = store.source_health(source.id)
    assert health is not None
    assert (health.consecutive_failures, health.last_status, health.last_error) == (
        2,
        None,
        "timeout",
    )
    store.save_outcome(
        outcome(
            source.id, article(source.id, 1), fetched_at=later, entries_seen=7, next_due_at=later
        )
    )
    health = store.source_health(source.id)
    assert health is not None
    assert health.consecutive_failures == 0 and health.last_status == 200
    assert (health.last_fetch_at, health.next_due_at, health.entries_seen) == (later, later, 7)
    assert health.interval_seconds == 1800
    assert store.all_health() == [health]
    history = store.fetch_history(source.id)
    assert [(log.status, log.error, log.new_articles) for log in history] == [
        (200, "", 1),
        (None, "timeout", 0),
        (500, "boom", 0),
    ]
    assert store.fetch_history(source.id, limit=1)[0].fetched_at == later


def test_fetch_log_is_pruned(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    for n in range(205):
        store.save_outcome(outcome(source.id, duration_ms=n))
    history = store.fetch_history(source.id, limit=1000)
    assert len(history) == 200
    assert history[0].duration_ms == 204 and history[-1].duration_ms == 5


def test_due_sources_oldest_due_first(store: Store) -> None:
    sources = [store.add_source(f"https://{n}.example/feed") for n in range(4)]
    due_times = [T0 + timedelta(minutes=m) for m in (30, 10, 20, 90)]
    for source, due in zip(sources, due_times, strict=True):
        store.save_outcome(outcome(source.id, next_due_at=due))
    now = T0 + timedelta(minutes=30)
    assert store.due_sources(now) == [sources[1], sources[2], sources[0]]
    assert store.due_sources(now, limit=1) == [sources[1]]
    assert store.due_sources(T0) == []
    assert store.next_due_at() == T0 + timedelta(minutes=10)


# reading articles


def test_latest_articles_order_and_cursor(store: Store) -> None:
    a = store.add_source("https://a.example/feed", title="A")
    b = store.add_source("https://b.example/feed", title="B")
    times = [T0 - timedelta(hours=h) for h in (3, 1, 1, 2, 1, 5)]
    saved_a = store.save_outcome(
        outcome(a.id, *(article(a.id, n, published=t) for n, t in enumerate(times)))
    )
    store.save_outcome(outcome(b.id, article(b.id, "b", published=T0 - timedelta(hours=4))))
    ids = list(saved_a.new_article_ids)
    expected = [ids[4], ids[2], ids[1], ids[3], ids[0], ids[5]]
    assert [x.id for x in store.latest_articles(source_id=a.id)] == expected
    everything = store.latest_articles()
    assert [x.published for x in everything] == sorted(
        (x.published for x in everything), reverse=True
    )
    assert {x.source_title for x in everything} == {"A", "B"}
    assert all(len(x.entry_ids) == 1 for x in everything)

    paged: list[int] = []
    page = store.latest_articles(2, source_id=a.id)
    while page:
        paged += [x.id for x in page]
        last = page[-1]
        page = store.latest_articles(2, source_id=a.id, before=last.published, before_id=last.id)
    assert paged == expected
    older = store.latest_articles(before=T0 - timedelta(hours=1))
    assert all(x.published < T0 - timedelta(hours=1) for x in older) and len(older) == 4


def test_undated_article_sorts_by_fetch_time(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    fetched = T0 + timedelta(days=1)
    store.save_outcome(outcome(source.id, article(source.id, "dated")))
    store.save_outcome(
        outcome(source.id, article(source.id, "undated", published=None), fetched_at=fetched)
    )
    newest = store.latest_articles()[0]
    assert newest.title == "Article undated"
    assert newest.published == newest.fetched_at == fetched
    assert store.recent_publish_times(source.id) == [fetched, T0]
    assert store.recent_publish_times(source.id, limit=1) == [fetched]


# search

CORPUS = {
    "rates": ("Central bank raises rates", "The central bank raised rates to fight inflation."),
    "growth": ("Economy grows faster", "Growth in the economy surprised analysts."),
    "final": ("Football final tonight", "Fans gather; the bank holiday helps attendance."),
    "storm": ("Storm warning", "Heavy rain, wind expected, says the weather service."),
    "econ": ("Markets", "Stocks rallied on economy news."),
}


@pytest.fixture
def corpus_store(store: Store) -> Store:
    source = store.add_source("https://a.example/feed")
    items = [
        article(source.id, key, title=title, text=text, published=T0 + timedelta(minutes=n))
        for n, (key, (title, text)) in enumerate(CORPUS.items())
    ]
    store.save_outcome(outcome(source.id, *items))
    return store


def test_search_ranks_title_hits_first_then_newest(corpus_store: Store) -> None:
    assert [x.title for x in corpus_store.search("bank")] == [
        "Central bank raises rates",
        "Football final tonight",
    ]
    assert corpus_store.search("economy")[0].title == "Economy grows faster"
    source = corpus_store.list_sources()[0]
    twins = [
        article(
            source.id, f"twin{n}", title="Twin", text="same words", published=T0 + timedelta(days=n)
        )
        for n in range(3)
    ]
    corpus_store.save_outcome(outcome(source.id, *twins, fetched_at=T0 + timedelta(days=3)))
    found = corpus_store.search("twin words")
    assert [x.published for x in found] == [T0 + timedelta(days=n) for n in (2, 1, 0)]
    assert corpus_store.search("twin", limit=1) == found[:1]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", set()),
        ("   ", set()),
        ('"', set()),
        ('""', set()),
        ("*", set()),
        ("%", set()),
        ("((", set()),
        (")", set()),
        ("') OR 1=1--", set()),
        ("NEAR(", set()),
        ("NEAR(bank economy)", set()),
        (";DROP TABLE articles;--", set()),
        ("a\x00b", set()),
        ("\ud800", set()),
        ("🙂", set()),
        ("title:economy", set()),
        ('economy")', {"growth", "econ"}),
        ('"economy', {"growth", "econ"}),
        ("econ*", {"growth", "econ"}),
        ("ECONOMY", {"growth", "econ"}),
        ("bank*", {"rates", "final"}),
        ("-bank", {"rates", "final"}),
        ("^bank", {"rates", "final"}),
        ("central bank", {"rates"}),
        ("bank AND", set()),
        ("economy OR football", set()),
        ("NOT storm", set()),
        ("storm NOT", set()),
        ("{title text}: storm", set()),
        ("storm weather", {"storm"}),
        ("'storm'", {"storm"}),
        ("storm%", {"storm"}),
    ],
)
def test_search_survives_any_user_text(corpus_store: Store, query: str, expected: set[str]) -> None:
    found = corpus_store.search(query)
    keys = {x.url.rsplit("/", 1)[1] for x in found}
    assert keys == expected
    words = re.findall(r"[^\W_]+", query.casefold())
    for match in found:
        haystack = f"{match.title} {match.text}".casefold()
        assert all(word in haystack for word in words)
    assert corpus_store.count_articles() == len(CORPUS)


# concurrency


def test_readers_in_threads_while_writing(store: Store) -> None:
    source = store.add_source("https://a.example/feed")
    done = threading.Event()
    errors: list[BaseException] = []

    def read() -> None:
        seen = 0
        try:
            while not done.is_set():
                count = store.count_articles()
                assert count >= seen
                seen = count
                store.latest_articles(20)
                store.search("concurrent")
                store.due_sources(T0)
        except BaseException as error:
            errors.append(error)

    readers = [threading.Thread(target=read) for _ in range(6)]
    for reader in readers:
        reader.start()
    try:
        for batch in range(40):
            items = [article(source.id, f"{batch}-{n}", text="concurrent") for n in range(5)]
            store.save_outcome(outcome(source.id, *items))
    finally:
        done.set()
        for reader in readers:
            reader.join()
    assert errors == []
    assert store.count_articles() == 200


def test_two_stores_on_one_database_both_write(database_url: str) -> None:
    stores = [open_store(database_url), open_store(database_url)]
    sources = [s.add_source("https://shared.example/feed") for s in stores]
    assert sources[0] == sources[1]
    source_id = sources[0].id
    errors: list[BaseException] = []

    def write(which: int) -> None:
        try:
            for batch in range(30):
                # Half the guids overlap between the two writers, as after a restart.
                items = [article(source_id, f"{batch}-{n}-{which * n % 2}") for n in range(4)]
                stores[which].save_outcome(outcome(source_id, *items))
                stores[which].add_source(f"https://{which}-{batch}.example/feed")
        except BaseException as error:
            errors.append(error)

    writers = [threading.Thread(target=write, args=(n,)) for n in range(2)]
    for writer in writers:
        writer.start()
    for writer in writers:
        writer.join()
    assert errors == []
    for opened in stores:
        assert opened.count_articles() == opened.count_entries() == 30 * 6
        assert len(opened.list_sources()) == 61
        assert len(opened.fetch_history(source_id, limit=100)) == 60
        opened.close()


def test_a_source_moves_to_a_new_url_unless_another_source_has_it(store: Store) -> None:
    source = store.add_source("https://old.example/feed")
    store.save_outcome(outcome(source.id, etag='"v1"'))
    other = store.add_source("https://other.example/feed")
    assert store.move_source(source.id, "https://new.example/feed")
    moved = store.source_by_id(source.id)
    assert moved is not None and moved.url == "https://new.example/feed"
    assert moved.etag == ""  # the old URL's validators mean nothing at the new one
    assert store.source_by_url("https://old.example/feed") is None
    assert not store.move_source(source.id, other.url)  # two sources never share a URL
    assert not store.move_source(999_999, "https://nowhere.example/feed")
    assert store.source_by_id(source.id).url == "https://new.example/feed"  # type: ignore[union-attr]
