"""The background scheduler of `newsdesk serve` refreshes due sources and survives failures."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from fixture_server import FixtureServer
from newsdesk.fetch import Fetcher
from newsdesk.jobs import loop
from newsdesk.refresh import cpu_pool
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore, Store, open_store
from sitegen import publish_site


class LockedOnceStore(SQLiteStore):
    """A real store whose first claim of due sources fails, as a locked database would."""

    failures = 1

    def claim_due_sources(
        self, now: datetime, lease_seconds: int, limit: int | None = None
    ) -> list[int]:
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return super().claim_due_sources(now, lease_seconds, limit)


def test_scheduler_refreshes_due_sources_after_a_failed_pass(
    http_server: FixtureServer, settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(loop, "PAUSE_AFTER_ERROR", 0.05)
    feeds, articles = publish_site(http_server, feeds=2, per_feed=2)
    store = LockedOnceStore(tmp_path / "scheduler.db")
    for url in feeds:
        store.add_source(url)

    async def run() -> None:
        stop = asyncio.Event()
        task = asyncio.create_task(loop.run_scheduler(store, settings, stop))
        for _ in range(200):
            if store.count_articles() == len(articles) or task.done():
                break
            await asyncio.sleep(0.05)
        stop.set()
        await asyncio.wait_for(task, timeout=10)

    asyncio.run(run())
    assert store.failures == 0
    assert store.count_articles() == len(articles)
    assert all(h.last_status == 200 for h in store.all_health())
    store.close()


def test_two_serving_processes_on_one_store_fetch_each_due_source_once(
    http_server: FixtureServer, settings: Settings, database_url: str
) -> None:
    # Each `serve` read the due sources and refreshed them all: two web processes (or one and
    # the workers) on a PostgreSQL store fetched every feed twice at once.
    feeds, _ = publish_site(http_server, feeds=4, per_feed=1)
    first, second = open_store(database_url), open_store(database_url)
    for url in feeds:
        first.add_source(url)

    async def both() -> None:
        await asyncio.gather(*(_one_pass(store, settings) for store in (first, second)))

    asyncio.run(both())
    assert [http_server.count(urlsplit(url).path) for url in feeds] == [1, 1, 1, 1]
    assert all(h.last_status == 200 for h in first.all_health())
    first.close()
    second.close()


async def _one_pass(store: Store, settings: Settings) -> None:
    async with Fetcher(settings) as fetcher, cpu_pool(settings) as cpu:
        await loop._refresh_due(store, settings, fetcher, cpu, None)
