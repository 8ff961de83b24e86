"""What only the PostgreSQL store has: migrations, URLs, locking, text cleaning and search.

The shared contract runs against PostgreSQL in test_store.py; these tests add what SQLite
has no counterpart for. psycopg is imported inside the tests, after `require_postgres`.
"""

from __future__ import annotations

import random
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from newsdesk.models import Enclosure
from newsdesk.store import Store, StoreError, open_store
from newsdesk.store.migrations import MIGRATIONS
from services import require_postgres
from store_fixtures import article, outcome, postgres_schema


@pytest.fixture
def fresh_url() -> Iterator[str]:
    """A URL for a new, unmigrated PostgreSQL schema, dropped afterwards."""
    with postgres_schema(require_postgres()) as url:
        yield url


@pytest.fixture
def pg_store(fresh_url: str) -> Iterator[Any]:
    from newsdesk.store.postgres import PostgresStore

    store = open_store(fresh_url)
    assert isinstance(store, PostgresStore)
    yield store
    store.close()


def run_threads(work: Callable[[int], None], count: int) -> list[BaseException]:
    """Run work(0) … work(count - 1) in threads started together; the errors they raised."""
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


# opening and migrations


def test_migrations_are_idempotent_and_versioned(fresh_url: str) -> None:
    import psycopg

    from newsdesk.store.postgres_migrations import apply_migrations, schema_version

    with psycopg.connect(fresh_url, autocommit=True) as conn:
        assert schema_version(conn) == 0
    open_store(fresh_url).close()
    open_store(fresh_url).close()
    with psycopg.connect(fresh_url, autocommit=True) as conn:
        assert schema_version(conn) == len(MIGRATIONS)
        assert apply_migrations(conn) == len(MIGRATIONS)
        assert conn.execute("SELECT count(*) FROM schema_version").fetchone() == (1,)


def test_processes_opening_a_new_schema_together_migrate_once(fresh_url: str) -> None:
    stores: list[Store] = []
    errors = run_threads(lambda n: stores.append(open_store(fresh_url)), 4)
    assert errors == []
    for store in stores:
        assert store.list_sources() == []
        store.close()


def test_open_store_dispatches_postgres_urls(fresh_url: str) -> None:
    from newsdesk.store.postgres import PostgresStore

    for scheme in ("postgres", "postgresql+psycopg"):
        store = open_store(fresh_url.replace("postgresql", scheme, 1))
        assert isinstance(store, PostgresStore)
        store.close()


def test_unreachable_postgres_is_a_store_error_without_the_password() -> None:
    pytest.importorskip("psycopg")
    with pytest.raises(StoreError, match="cannot open the PostgreSQL store") as raised:
        open_store("postgresql://newsdesk:sekrit@127.0.0.1:1/newsdesk")
    assert "newsdesk@127.0.0.1:1/newsdesk" in str(raised.value)
    assert "sekrit" not in str(raised.value)


def test_schemas_in_one_database_are_separate_stores(fresh_url: str) -> None:
    with postgres_schema(require_postgres()) as other_url:
        first, second = open_store(fresh_url), open_store(other_url)
        first.add_source("https://a.example/feed")
        assert second.list_sources() == []
        first.close()
        second.close()


# several writers at once


def test_concurrent_refreshes_sharing_articles_store_each_once(fresh_url: str) -> None:
    stores = [open_store(fresh_url) for _ in range(4)]
    sources = [store.add_source(f"https://{n}.example/feed") for n, store in enumerate(stores)]
    shared = [f"https://news.example/{n}" for n in range(25)]

    def refresh(n: int) -> None:
        order = random.Random(n).sample(shared, len(shared))
        source_id = sources[n].id
        for batch in range(0, len(order), 5):
            items = [
                article(source_id, f"{n}-{url}", canonical_url=url, title=f"Shared {url}")
                for url in order[batch : batch + 5]
            ]
            stores[n].save_outcome(outcome(source_id, *items))

    assert run_threads(refresh, len(stores)) == []
    assert stores[0].count_articles() == len(shared)
    assert stores[0].count_entries() == len(shared) * len(stores)
    for found in stores[0].latest_articles(100):
        assert len(found.entry_ids) == len(stores)
    for store in stores:
        store.close()


def test_removing_a_source_while_others_refresh_keeps_every_article_owned(
    fresh_url: str,
) -> None:
    stores = [open_store(fresh_url) for _ in range(3)]
    sources = [store.add_source(f"https://{n}.example/feed") for n, store in enumerate(stores)]
    shared = [f"https://news.example/{n}" for n in range(30)]
    first = sources[0].id
    stores[0].save_outcome(
        outcome(first, *(article(first, f"0-{u}", canonical_url=u) for u in shared))
    )

    def work(n: int) -> None:
        if n == 0:
            assert stores[0].remove_source(first)
            return
        source_id = sources[n].id
        for url in random.Random(n).sample(shared, len(shared)):
            stores[n].save_outcome(
                outcome(source_id, article(source_id, f"{n}-{url}", canonical_url=url))
            )

    assert run_threads(work, len(stores)) == []
    assert stores[0].count_articles() == len(shared)
    assert stores[0].count_entries() == len(shared) * 2
    survivors = stores[0].latest_articles(100)
    assert {a.source_id for a in survivors} <= {sources[1].id, sources[2].id}
    assert all(len(a.entry_ids) == 2 for a in survivors)
    for store in stores:
        store.close()


# one transaction for several calls


def test_transaction_binds_store_calls_and_own_sql(pg_store: Any) -> None:
    with pytest.raises(RuntimeError), pg_store.transaction() as conn:
        source = pg_store.add_source("https://a.example/feed")
        pg_store.save_outcome(outcome(source.id, article(source.id, 1)))
        assert conn.execute("SELECT count(*) AS n FROM articles").fetchone() == {"n": 1}
        raise RuntimeError("roll everything back")
    assert pg_store.list_sources() == [] and pg_store.count_articles() == 0

    with pg_store.transaction() as conn:
        source = pg_store.add_source("https://a.example/feed")
        with pytest.raises(StoreError), pg_store.transaction():
            pg_store.save_outcome(outcome(source.id + 1000))
        conn.execute("UPDATE sources SET title = 'set by the caller'")
    [stored] = pg_store.list_sources()
    assert stored.title == "set by the caller"


# text PostgreSQL refuses, and search


def test_nul_characters_are_dropped_not_refused(pg_store: Any) -> None:
    source = pg_store.add_source("https://a.example/feed\x00", title="A\x00")
    assert source.url == "https://a.example/feed"
    assert pg_store.source_by_url("https://a.example/feed\x00") == source
    item = article(
        source.id,
        "nul\x00",
        title="Ti\x00tle",
        text="te\x00xt \ud800",
        categories=("a\x00b",),
        enclosures=(Enclosure("https://example.com/a\x00.mp3", "audio/mpeg\x00"),),
    )
    saved = pg_store.save_outcome(outcome(source.id, item, error="bad\x00"))
    stored = pg_store.article_by_id(saved.new_article_ids[0])
    assert (stored.title, stored.text, stored.categories) == ("Title", "text ?", ("ab",))
    assert pg_store.known_guids(source.id, ["guid-nul\x00"]) == {"guid-nul\x00"}
    assert pg_store.save_outcome(outcome(source.id, item)).new_entries == 0


def test_search_stems_english_and_uses_the_gin_index(pg_store: Any) -> None:
    source = pg_store.add_source("https://a.example/feed")
    pg_store.save_outcome(
        outcome(
            source.id,
            article(source.id, 1, title="Economies grow", text="Markets rallied."),
            article(source.id, 2, title="Rain", text="The economy is running."),
        )
    )
    assert [a.title for a in pg_store.search("economy")] == ["Economies grow", "Rain"]
    assert [a.title for a in pg_store.search("run")] == ["Rain"]
    with pg_store.transaction() as conn:
        conn.execute("SET LOCAL enable_seqscan = off")
        plan = conn.execute(
            "EXPLAIN SELECT id FROM articles"
            " WHERE search_vector @@ websearch_to_tsquery('newsdesk_english', 'economy')"
        ).fetchall()
    assert "articles_search" in " ".join(str(row) for row in plan)


# the rule for a missing service


def test_missing_postgres_fails_on_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("psycopg")
    monkeypatch.setenv("NEWSDESK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:1/test")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="PostgreSQL not reachable at"):
        require_postgres()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="set NEWSDESK_TEST_POSTGRES_URL"):
        require_postgres()
