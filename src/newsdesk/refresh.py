"""The refresh orchestrator: fetch a source, parse it, extract new articles, store it all at once.

This is the one place where I/O (the fetcher, the store) meets the pure pipeline stages. Each
source ends in exactly one `Store.save_outcome` transaction, so a crash mid-refresh loses only
uncommitted work and a restart simply fetches that source again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from newsdesk.fetch import Fetcher, FetchError
from newsdesk.jobs.schedule import adaptive_interval, backoff_delay
from newsdesk.models import Entry, Extracted, NewArticle, ParsedFeed, Source
from newsdesk.pipeline.extract import ExtractError, extract_article
from newsdesk.pipeline.feeds import FeedError, parse_feed
from newsdesk.pipeline.sanitize import html_to_text, sanitize_html
from newsdesk.pipeline.urls import canonical_url, is_web_url
from newsdesk.settings import Settings
from newsdesk.store.base import FetchOutcome, Store

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
    source: Source, *, store: Store, fetcher: Fetcher, settings: Settings
) -> RefreshResult:
    """Refresh one source top to bottom and record the outcome, success or failure."""
    started = time.monotonic()
    fetched_at = _now()
    health = store.source_health(source.id)
    failures = health.consecutive_failures if health else 0
    base_interval = (health.interval_seconds if health else 0) or settings.refresh_interval

    def failed(error: str, status: int | None, retry_after: float | None = None) -> FetchOutcome:
        delay = backoff_delay(failures + 1, base_interval, settings, retry_after)
        return FetchOutcome(
            source_id=source.id,
            fetched_at=fetched_at,
            status=status,
            error=error,
            failed=True,
            entries_seen=0,
            duration_ms=_ms_since(started),
            interval_seconds=base_interval,
            next_due_at=fetched_at + timedelta(seconds=delay),
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
        feed = await asyncio.to_thread(
            parse_feed, response.body, url=response.url, content_type=response.content_type
        )
    except FeedError as exc:
        outcome = failed(f"feed could not be parsed: {exc}", response.status)
        store.save_outcome(outcome)
        return _result(source, outcome, 0, 0)

    articles = await _new_articles(source, feed, store=store, fetcher=fetcher, settings=settings)
    publish_times = [a.published for a in articles if a.published is not None]
    interval = adaptive_interval([*publish_times, *store.recent_publish_times(source.id)], settings)
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
        site_url=feed.site_url or None,
    )
    saved = store.save_outcome(outcome)
    return _result(source, outcome, len(saved.new_article_ids), saved.new_entries)


async def _new_articles(
    source: Source, feed: ParsedFeed, *, store: Store, fetcher: Fetcher, settings: Settings
) -> list[NewArticle]:
    """Articles for entries not seen before; pages of already stored URLs are not fetched."""
    known = store.known_guids(source.id, [e.guid for e in feed.entries])
    fresh = _unique_by_guid(e for e in feed.entries if e.guid not in known)
    stored_urls = store.known_urls([canonical_url(e.url) for e in fresh if e.url])
    tasks = []
    for entry in fresh:
        fetch_page = (
            settings.fetch_articles
            and is_web_url(entry.url)
            and canonical_url(entry.url) not in stored_urls
        )
        tasks.append(_article(source, entry, fetcher, settings, fetch_page))
    return list(await asyncio.gather(*tasks))


def _unique_by_guid(entries: Iterable[Entry]) -> list[Entry]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        seen.setdefault(entry.guid, entry)
    return list(seen.values())


async def _article(
    source: Source, entry: Entry, fetcher: Fetcher, settings: Settings, fetch_page: bool
) -> NewArticle:
    """One entry as an article: the extracted page where possible, else the feed's own text."""
    extracted: Extracted | None = None
    status, error, page_url = "feed", "", entry.url
    if fetch_page:
        try:
            page = await fetcher.fetch(
                entry.url,
                check_robots=settings.respect_robots,
                accept="text/html,application/xhtml+xml;q=0.9,*/*;q=0.5",
            )
            page_url = page.url
            if page.content_type not in HTML_TYPES:
                raise ExtractError(f"article page is {page.content_type}, not HTML")
            extracted = await asyncio.to_thread(extract_article, page.text(), page.url)
            status = "extracted"
        except (FetchError, ExtractError) as exc:
            status, error = "failed", str(exc)
            log.info("extraction failed for %r: %s", entry.url, error)
    return _merge(source, entry, extracted, status, error, page_url)


def _merge(
    source: Source, entry: Entry, page: Extracted | None, status: str, error: str, page_url: str
) -> NewArticle:
    feed_html, summary_html = entry.content or entry.summary, entry.summary or entry.content
    summary = sanitize_html(summary_html, base_url=entry.url)
    if page is not None and page.text.strip():
        text, content_html = page.text, page.html
    else:
        text = html_to_text(feed_html)
        same = feed_html == summary_html  # most feeds carry one body: sanitize it once
        content_html = summary if same else sanitize_html(feed_html, base_url=entry.url)
    image = (page.image if page else "") or next(
        (e.url for e in entry.enclosures if e.type.startswith("image/")), ""
    )
    canonical = canonical_url((page.canonical_url if page else "") or page_url or entry.url)
    return NewArticle(
        source_id=source.id,
        guid=entry.guid,
        url=entry.url if is_web_url(entry.url) else page_url,
        canonical_url=canonical or f"guid:{source.id}:{entry.guid}",
        title=entry.title or (page.title if page else "") or "(untitled)",
        summary=summary,
        text=text,
        content_html=content_html,
        author=entry.author or (page.author if page else ""),
        published=entry.published or entry.updated or (page.published if page else None),
        image=image,
        language=page.language if page else "",
        categories=entry.categories,
        enclosures=entry.enclosures,
        extraction=status,
        extraction_error=error,
    )


async def refresh_sources(
    sources: Sequence[Source],
    *,
    store: Store,
    fetcher: Fetcher,
    settings: Settings,
    on_result: Callable[[RefreshResult], None] | None = None,
) -> list[RefreshResult]:
    """Refresh many sources concurrently; one failing source never stops the others."""
    limit = asyncio.Semaphore(max(1, settings.max_connections))

    async def one(source: Source) -> RefreshResult:
        async with limit:
            try:
                result = await refresh_source(
                    source, store=store, fetcher=fetcher, settings=settings
                )
            except Exception as exc:  # a bug in one source's pipeline must not stop the rest
                log.exception("refresh of source %s failed unexpectedly", source.id)
                result = RefreshResult(
                    source.id, source.url, None, f"internal error: {exc!r}", 0, 0, 0
                )
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
    async with Fetcher(settings) as fetcher:
        return await refresh_sources(
            sources, store=store, fetcher=fetcher, settings=settings, on_result=on_result
        )


def select_sources(
    store: Store, *, source_ids: Sequence[int] | None = None, due_only: bool = False
) -> list[Source]:
    if due_only:
        return store.due_sources(_now())
    sources = store.list_sources()
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
