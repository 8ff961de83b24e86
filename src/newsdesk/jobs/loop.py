"""The in-process scheduler used by `newsdesk serve`: refresh each source when it is due."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from newsdesk.fetch import Fetcher
from newsdesk.jobs.cpu import CpuPool
from newsdesk.refresh import cpu_pool, open_desk, refresh_sources
from newsdesk.settings import Settings
from newsdesk.store.base import Store
from newsdesk.stories import StoryDesk

log = logging.getLogger(__name__)

IDLE_POLL_SECONDS = 60.0
PAUSE_AFTER_ERROR = 30.0
# Due sources are claimed, not just read: another `serve` or a worker on the same PostgreSQL
# store skips them until their refresh saves a new due time, or until the lease runs out.
LEASE_SECONDS = 900


async def run_scheduler(store: Store, settings: Settings, stop: asyncio.Event) -> None:
    """Refresh due sources until `stop` is set; sleep until the next one is due.

    A failing pass (the store locked past its timeout, say) is logged and retried after a
    pause: the web keeps serving and refreshing resumes by itself.
    """
    desk = await open_desk(store, settings)
    async with Fetcher(settings) as fetcher, cpu_pool(settings) as cpu:
        while not stop.is_set():
            try:
                refreshed = await _refresh_due(store, settings, fetcher, cpu, desk)
            except Exception:
                log.exception("refresh pass failed; trying again in %g s", PAUSE_AFTER_ERROR)
                await _pause(stop, PAUSE_AFTER_ERROR)
                continue
            if not refreshed:
                await _sleep_until_due(store, stop)


async def _refresh_due(
    store: Store, settings: Settings, fetcher: Fetcher, cpu: CpuPool, desk: StoryDesk | None
) -> bool:
    """Refresh every due source once; False when none was due."""
    claimed = store.claim_due_sources(datetime.now(UTC), LEASE_SECONDS)
    due = [source for i in claimed if (source := store.source_by_id(i)) is not None]
    if not due:
        return bool(claimed)
    results = await refresh_sources(
        due, store=store, fetcher=fetcher, cpu=cpu, settings=settings, desk=desk
    )
    store.checkpoint()
    failed = sum(1 for r in results if not r.ok)
    new = sum(r.new_articles for r in results)
    log.info("refreshed %d sources: %d new articles, %d failed", len(results), new, failed)
    return True


async def _sleep_until_due(store: Store, stop: asyncio.Event) -> None:
    next_due = store.next_due_at()
    wait = IDLE_POLL_SECONDS
    if next_due is not None:
        wait = min(wait, max(0.5, (next_due - datetime.now(UTC)).total_seconds()))
    await _pause(stop, wait)


async def _pause(stop: asyncio.Event, seconds: float) -> None:
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(stop.wait(), timeout=seconds)
