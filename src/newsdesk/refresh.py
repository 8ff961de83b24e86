"""The refresh orchestrator: fetch a source, parse it, extract new articles, store it all at once.

This is the one place where I/O (the fetcher, the store) meets the pure pipeline stages. Each
source ends in exactly one `Store.save_outcome` transaction, so a crash mid-refresh loses only
uncommitted work and a restart simply fetches that source again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Coroutine, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from typing import Any

from newsdesk.fetch import Fetcher, FetchError
from newsdesk.jobs.cpu import FEED_ONLY_PRELOAD, CpuPool, WorkerCrashed
from newsdesk.jobs.schedule import adaptive_interval, backoff_delay
from newsdesk.models import Entry, NewArticle, ParsedFeed, Source, SourceHealth
from newsdesk.pipeline.assemble import Draft, assemble_articles, link_to_stored
from newsdesk.pipeline.classify import SourceStats
from newsdesk.pipeline.extract import ExtractError, extract_article
from newsdesk.pipeline.feeds import FeedError, parse_feed
from newsdesk.pipeline.feeds_text import primary_language
from newsdesk.pipeline.urls import canonical_url, is_web_url
from newsdesk.settings import Settings
from newsdesk.store.base import FetchOutcome, SavedOutcome, Store
from newsdesk.stories import StoryDesk
from newsdesk.understanding import Understood, record_observations, understand_articles

log = logging.getLogger(__name__)

HTML_TYPES = {"text/html", "application/xhtml+xml", ""}


@dataclass(frozen=True)
class RefreshResult:
    source_id: int
    url: str
    status: int | None
    error: str
    entries_seen: int
    new_articles: int
    new_entries: int

    @property
    def ok(self) -> bool:
        return not self.error


def _now() -> datetime:
    return datetime.now(UTC)


async def refresh_source(
    source: Source,
    *,
    store: Store,
    fetcher: Fetcher,
    cpu: CpuPool,
    settings: Settings,
    desk: StoryDesk | None = None,
) -> RefreshResult:
    """Refresh one source top to bottom and record the outcome, success or failure."""
    started = time.monotonic()
    fetched_at = _now()
    health = store.source_health(source.id)
    base_interval = (health.interval_seconds if health else 0) or settings.refresh_interval

    def failed(error: str, status: int | None, retry_after: float | None = None) -> FetchOutcome:
        return failure_outcome(
            source, health, settings, fetched_at, started, error, status, retry_after
        )

    try:
        response = await fetcher.fetch(
            source.url,
            etag=source.etag,
            last_modified=source.last_modified,
            accept="application/rss+xml, application/atom+xml, application/feed+json, "
            "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.8",
        )
    except FetchError as exc:
        outcome = failed(str(exc), exc.status, exc.retry_after)
        store.save_outcome(outcome)
        return _result(source, outcome, 0, 0)

    # Moved for good (301/308 all the way): follow it, as a subscription should.
    moved = response.moved and response.url != source.url
    if moved and store.move_source(source.id, response.url):
        log.info("source %s moved from %s to %s", source.id, source.url, response.url)

    if response.not_modified:
        outcome = FetchOutcome(
            source_id=source.id,
            fetched_at=fetched_at,
            status=304,
            error="",
            failed=False,
            entries_seen=0,
            duration_ms=_ms_since(started),
            interval_seconds=base_interval,
            next_due_at=fetched_at + timedelta(seconds=base_interval),
        )
        store.save_outcome(outcome)
        return _result(source, outcome, 0, 0)

    try:
        feed = await cpu.run_spread(
            parse_feed,
            response.body,
            url=response.url,
            content_type=response.content_type,
            charset=response.charset,
        )
    except (FeedError, WorkerCrashed) as exc:
        outcome = failed(f"feed could not be parsed: {exc}", response.status)
        store.save_outcome(outcome)
        return _result(source, outcome, 0, 0)

    drafts, links = await _drafts(
        source, feed, store=store, fetcher=fetcher, cpu=cpu, settings=settings
    )
    if language := primary_language(feed.language):
        drafts = [replace(d, feed_language=language) for d in drafts]
    try:
        understood = await _prepare(source, drafts, store=store, cpu=cpu, settings=settings)
    except WorkerCrashed as exc:
        outcome = failed(f"articles could not be prepared: {exc}", response.status)
        store.save_outcome(outcome)
        return _result(source, outcome, 0, 0)
    articles = [*understood.articles, *links]

    def save() -> tuple[FetchOutcome, SavedOutcome]:
        publish_times = [a.published for a in articles if a.published is not None]
        recent = store.recent_publish_times(source.id)
        interval = adaptive_interval([*publish_times, *recent], settings)
        outcome = FetchOutcome(
            source_id=source.id,
            fetched_at=fetched_at,
            status=response.status,
            error="",
            failed=False,
            entries_seen=len(feed.entries),
            duration_ms=_ms_since(started),
            interval_seconds=interval,
            next_due_at=fetched_at + timedelta(seconds=interval),
            articles=tuple(articles),
            etag=response.etag,
            last_modified=response.last_modified,
            title=feed.title or None,
            site_url=feed.site_url if is_web_url(feed.site_url) else None,
            warning="; ".join(feed.notes),  # "" clears what an earlier read repaired
        )
        saved = store.save_outcome(outcome)
        record_observations(store, source.id, understood.observations)
        return outcome, saved

    # In a thread: SQLite and PostgreSQL drivers release the GIL while they work, so the event
    # loop goes on fetching other sources during this source's transaction.
    outcome, saved = await asyncio.to_thread(save)
    if desk is not None and saved.new_article_ids:
        # Stories are derived data: if this fails, the next StoryDesk.open places what was missed.
        try:
            await cpu.run(desk.assign, store, saved.new_article_ids)
        except Exception:
            log.exception("placing articles of source %s in stories failed", source.id)
    return _result(source, outcome, len(saved.new_article_ids), saved.new_entries)


async def _prepare(
    source: Source, drafts: Sequence[Draft], *, store: Store, cpu: CpuPool, settings: Settings
) -> Understood:
    """Assemble (and understand) new articles in a worker process.

    Sanitizing and reducing each entry's HTML to text costs several times what shipping the
    drafts to a worker and the articles back does, so even without understanding this leaves
    the refreshing process free to fetch and store.
    """
    if not settings.understand:
        return Understood(tuple(await cpu.run_spread(assemble_articles, source.id, drafts)), ())
    stats = store.source_stats(source.id)
    return await cpu.run_isolated(prepare_articles, source.id, drafts, source.section, stats)


def prepare_articles(
    source_id: int,
    drafts: Sequence[Draft],
    source_section: str,
    stats: SourceStats,
    understand: bool = True,
) -> Understood:
    """Assemble and understand one source's new articles: the CPU-heavy part, in one call."""
    articles = assemble_articles(source_id, drafts)
    if not understand:
        return Understood(tuple(articles), ())
    return understand_articles(articles, source_section, stats)


def failure_outcome(
    source: Source,
    health: SourceHealth | None,
    settings: Settings,
    fetched_at: datetime,
    started: float,
    error: str,
    status: int | None = None,
    retry_after: float | None = None,
) -> FetchOutcome:
    """A failed refresh: nothing stored, and the next try backed off exponentially (at once to
    the longest delay for a feed its server calls gone for good)."""
    failures = health.consecutive_failures if health else 0
    interval = (health.interval_seconds if health else 0) or settings.refresh_interval
    delay = backoff_delay(failures + 1, interval, settings, retry_after)
    if status == HTTPStatus.GONE:
        delay = settings.backoff_max
        error += " (the server says this feed is gone for good: remove it or give its new URL)"
    return FetchOutcome(
        source_id=source.id,
        fetched_at=fetched_at,
        status=status,
        error=error,
        failed=True,
        entries_seen=0,
        duration_ms=_ms_since(started),
        interval_seconds=interval,
        next_due_at=fetched_at + timedelta(seconds=delay),
    )


async def _drafts(
    source: Source,
    feed: ParsedFeed,
    *,
    store: Store,
    fetcher: Fetcher,
    cpu: CpuPool,
    settings: Settings,
) -> tuple[list[Draft], list[NewArticle]]:
    """Drafts for entries not seen before, and links for those whose URL is already stored.

    An entry whose URL is already a stored article (the same story in another feed of the
    outlet, say) is neither fetched nor assembled again: it only becomes one more entry of it.
    """

    def look_up() -> tuple[list[Entry], dict[str, str], set[str]]:
        """The new entries, the canonical URL of each by guid, and those already stored."""
        known = store.known_guids(source.id, [e.guid for e in feed.entries])
        fresh = _unique_by_guid(e for e in feed.entries if e.guid not in known)
        canonical = {e.guid: canonical_url(e.url) for e in fresh if e.url}
        return fresh, canonical, store.known_urls(list(canonical.values()))

    fresh, canonical, stored = await asyncio.to_thread(look_up)
    drafts: list[Draft] = []
    fetching: dict[int, Coroutine[Any, Any, Draft]] = {}  # position in drafts -> page fetch
    links = []
    for entry in fresh:
        url = canonical.get(entry.guid, "")
        if url and url in stored:
            links.append(link_to_stored(source.id, entry, url))
        elif settings.fetch_articles and is_web_url(entry.url):
            fetching[len(drafts)] = _draft(entry, fetcher, cpu, settings)
            drafts.append(Draft(entry))  # replaced by the fetch's draft below
        else:
            # Nothing to wait for: no task per entry (thousands of them cost the loop real time).
            drafts.append(Draft(entry, canonical=url))
    for position, draft in zip(fetching, await asyncio.gather(*fetching.values()), strict=True):
        drafts[position] = draft
    return drafts, links


def _unique_by_guid(entries: Iterable[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.guid, entry)
    return list(seen.values())


async def _draft(entry: Entry, fetcher: Fetcher, cpu: CpuPool, settings: Settings) -> Draft:
    """Fetch and extract one entry's page; on failure keep the reason beside the feed's text."""
    page_url = entry.url
    try:
        page = await fetcher.fetch(
            entry.url,
            check_robots=settings.respect_robots,
            accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
        )
        page_url = page.url
        if page.content_type not in HTML_TYPES:
            raise ExtractError(f"article page is {page.content_type}, not HTML")
        extracted = await cpu.run_isolated(extract_article, page.text(), page.url)
    except (FetchError, ExtractError, WorkerCrashed) as exc:
        log.info("extraction failed for %r: %s", entry.url, exc)
        return Draft(entry, None, "failed", str(exc), page_url)
    return Draft(entry, extracted, "extracted", "", page_url)


async def refresh_sources(
    sources: Sequence[Source],
    *,
    store: Store,
    fetcher: Fetcher,
    cpu: CpuPool,
    settings: Settings,
    on_result: Callable[[RefreshResult], None] | None = None,
    desk: StoryDesk | None = None,
) -> list[RefreshResult]:
    """Refresh many sources concurrently; one failing source never stops the others."""
    # The fetcher limits connections; this bounds how many sources are in memory at once, with
    # room for some to wait on CPU (parsing, understanding) while others wait on the network.
    limit = asyncio.Semaphore(max(1, settings.max_connections * 4))

    async def one(source: Source) -> RefreshResult:
        async with limit:
            try:
                result = await refresh_source(
                    source, store=store, fetcher=fetcher, cpu=cpu, settings=settings, desk=desk
                )
            except Exception as exc:  # a bug in one source's pipeline must not stop the rest
                log.exception("refresh of source %s failed unexpectedly", source.id)
                result = _record_crash(store, source, settings, f"internal error: {exc!r}")
        if on_result is not None:
            on_result(result)
        return result

    return list(await asyncio.gather(*(one(s) for s in sources)))


async def refresh_all(
    store: Store,
    settings: Settings,
    *,
    source_ids: Sequence[int] | None = None,
    due_only: bool = False,
    on_result: Callable[[RefreshResult], None] | None = None,
) -> list[RefreshResult]:
    """Refresh the given sources (or all, or only the due ones) with a fresh Fetcher."""
    sources = select_sources(store, source_ids=source_ids, due_only=due_only)
    desk = await open_desk(store, settings)
    async with Fetcher(settings) as fetcher, cpu_pool(settings) as cpu:
        results = await refresh_sources(
            sources,
            store=store,
            fetcher=fetcher,
            cpu=cpu,
            settings=settings,
            on_result=on_result,
            desk=desk,
        )
    store.checkpoint()
    return results


def cpu_pool(settings: Settings) -> CpuPool:
    """The worker pool for refreshing with these settings, preloaded with what it will run."""
    feed_only = not (settings.fetch_articles or settings.understand)
    return CpuPool(settings.process_pool, preload=FEED_ONLY_PRELOAD if feed_only else None)


async def open_desk(store: Store, settings: Settings) -> StoryDesk | None:
    """The story desk for this process, or None when understanding is switched off."""
    return await asyncio.to_thread(StoryDesk.open, store) if settings.understand else None


def _record_crash(store: Store, source: Source, settings: Settings, error: str) -> RefreshResult:
    """Record an unexpected failure like any other, so the source backs off instead of looping."""
    try:
        outcome = failure_outcome(
            source, store.source_health(source.id), settings, _now(), time.monotonic(), error
        )
        store.save_outcome(outcome)
    except Exception:  # the store itself failing: the scheduler pauses and tries again
        log.exception("could not record the failure of source %s", source.id)
    return RefreshResult(source.id, source.url, None, error, 0, 0, 0)


def select_sources(
    store: Store, *, source_ids: Sequence[int] | None = None, due_only: bool = False
) -> list[Source]:
    sources = store.due_sources(_now()) if due_only else store.list_sources()
    if source_ids is not None:
        wanted = set(source_ids)
        sources = [s for s in sources if s.id in wanted]
    return sources


def _ms_since(started: float) -> int:
    return int((time.monotonic() - started) * 1000)


def _result(
    source: Source, outcome: FetchOutcome, new_articles: int, new_entries: int
) -> RefreshResult:
    return RefreshResult(
        source_id=source.id,
        url=source.url,
        status=outcome.status,
        error=outcome.error,
        entries_seen=outcome.entries_seen,
        new_articles=new_articles,
        new_entries=new_entries,
    )
