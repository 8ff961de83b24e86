"""`newsdesk store copy` and `store check`: a refreshed SQLite store moved to a real PostgreSQL."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_server import FixtureServer
from newsdesk.cli import main
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import open_store
from newsdesk.store_copy import CopyError, compare_between, copy_store
from services import require_postgres
from sitegen import publish_site
from store_fixtures import postgres_schema

QUERIES = ["storm", "harbour report", "council minister officials", "Story 3-1", "nothing-here"]


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with postgres_schema(require_postgres()) as url:
        yield url


@pytest.fixture
def sqlite_url(http_server: FixtureServer, settings: Settings) -> str:
    """A SQLite store refreshed from the fixture site, with a user, a star and a mute."""
    feeds, _ = publish_site(http_server, feeds=6, per_feed=5)
    store = open_store(settings.database_url)
    for url in feeds:
        store.add_source(url, section="world")
    store.remove_source(store.add_source(http_server.url("/gone.xml")).id)  # leaves an id gap
    asyncio.run(refresh_all(store, settings.replace(process_pool=False)))
    store.add_user("ada", "correct horse battery", is_admin=True)
    store.app_secret("session")
    store.close()
    return settings.database_url


def test_copy_keeps_ids_counts_and_search_results(sqlite_url: str, postgres_url: str) -> None:
    copied = copy_store(sqlite_url, postgres_url)
    assert copied["articles"] == 30 and copied["entries"] == 30 and copied["users"] == 1

    source, target = open_store(sqlite_url), open_store(postgres_url)
    try:
        assert all(check.matches for check in compare_between(source, target))
        assert source.table_counts() == target.table_counts() == copied
        assert source.list_sources() == target.list_sources()
        assert source.latest_articles(100) == target.latest_articles(100)
        assert source.all_health() == target.all_health()
        for query in QUERIES:
            assert {a.id for a in source.search(query)} == {a.id for a in target.search(query)}
        assert target.search("storm"), "the copied articles are not searchable"
        assert target.check_password("ada", "correct horse battery") is not None
        assert target.app_secret("session") == source.app_secret("session")
        # New rows get ids above the copied ones.
        biggest = max(s.id for s in target.list_sources())
        assert target.add_source("http://127.0.0.1:9/new.xml").id > biggest
    finally:
        source.close()
        target.close()


def test_copy_refuses_a_target_that_is_not_empty(sqlite_url: str, postgres_url: str) -> None:
    copy_store(sqlite_url, postgres_url)
    with pytest.raises(CopyError, match="not empty"):
        copy_store(sqlite_url, postgres_url)


def test_copy_back_to_sqlite_and_check_from_the_cli(
    sqlite_url: str, postgres_url: str, tmp_path: Path
) -> None:
    runner = CliRunner()
    back = f"sqlite:///{tmp_path / 'back.db'}"
    assert runner.invoke(main, ["store", "copy", sqlite_url, postgres_url]).exit_code == 0
    assert runner.invoke(main, ["store", "copy", postgres_url, back]).exit_code == 0
    checked = runner.invoke(main, ["store", "check", sqlite_url, back])
    assert checked.exit_code == 0, checked.output
    assert "articles\t30\t30\tok" in checked.output
    # Copied rows enter no trigger's index: search found nothing on the copy.
    source, copy = open_store(sqlite_url), open_store(back)
    for query in QUERIES:
        assert {a.id for a in copy.search(query)} == {a.id for a in source.search(query)}
    assert copy.search("storm"), "the copied articles are not searchable"
    source.close()
    copy.close()

    store = open_store(back)
    store.add_source("http://127.0.0.1:9/extra.xml")
    store.close()
    differs = runner.invoke(main, ["store", "check", sqlite_url, back])
    assert differs.exit_code == 1
    assert "sources\t6\t7\tMISMATCH" in differs.output
