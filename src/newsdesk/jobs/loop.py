"""The in-process scheduler used by `newsdesk serve`: refresh each source when it is due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from newsdesk.fetch import Fetcher
from newsdesk.jobs.cpu import CpuPool
from newsdesk.refresh import open_desk, refresh_sources
from newsdesk.settings import Settings
from newsdesk.store.base import Store

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 60.0


async def run_scheduler(store: Store, settings: Settings, stop: asyncio.Event) -> None:
    """Refresh due sources until `stop` is set; sleep until the next one is due."""
    desk = await open_desk(store, settings)
    async with Fetcher(settings) as fetcher, CpuPool(settings.process_pool) as cpu:
        while not stop.is_set():
            now = datetime.now(UTC)
            due = store.due_sources(now)
            if due:
                results = await refresh_sources(
                    due, store=store, fetcher=fetcher, cpu=cpu, settings=settings, desk=desk
                )
                store.checkpoint()
                failed = sum(1 for r in results if not r.ok)
                new = sum(r.new_articles for r in results)
                log.info(
                    "refreshed %d sources: %d new articles, %d failed", len(results), new, failed
                )
                continue
            await _sleep_until_due(store, stop)


async def _sleep_until_due(store: Store, stop: asyncio.Event) -> None:
    next_due = store.next_due_at()
    wait = IDLE_POLL_SECONDS
    if next_due is not None:
        wait = min(wait, max(0.5, (next_due - datetime.now(UTC)).total_seconds()))
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=wait)
