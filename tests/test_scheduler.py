"""The background scheduler of `newsdesk serve` refreshes due sources and survives failures."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from fixture_server import FixtureServer
from newsdesk.jobs import loop
from newsdesk.models import Source
from newsdesk.settings import Settings
from newsdesk.store import SQLiteStore
from sitegen import publish_site


class LockedOnceStore(SQLiteStore):
    """A real store whose first look for due sources fails, as a locked database would."""

    failures = 1

    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]:
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return super().due_sources(now, limit)


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
