"""The distributed job queue: procrastinate on the store's own PostgreSQL database.

Three tasks run in `newsdesk worker` processes, on any number of machines:

- ``refresh_source`` refreshes one source (fetch, parse, extract, understand, save). Its
  procrastinate ``lock`` is the source, so no two workers refresh one source at once, and its
  ``queueing_lock`` is the source too, so a source waits in the queue at most once.
- ``schedule_due`` (periodic) claims the due sources and enqueues them. Claiming pushes each
  source's due time a lease ahead, and it happens in the same transaction as the enqueueing:
  either both are committed or neither. Every worker may run the periodic deferrer; procrastinate
  defers each tick once, and the row locks of the claim make two ticks never claim one source.
- ``retry_stalled`` (periodic) puts back in the queue the jobs of workers whose heartbeat
  stopped (a killed process, a lost machine); refreshing twice is harmless, as saving is
  idempotent.
- ``prune_jobs`` (periodic, hourly) deletes jobs that finished more than `keep_job_hours` ago:
  failed, cancelled and aborted ones, and succeeded ones kept by ``--keep-jobs``, so the queue's
  tables stay bounded however long the desk runs.

A job that raises (the store or network is down) is retried with exponential backoff; a source
that fails (HTTP error, bad feed) is not an error of the job: the refresh records it and the
source's own backoff decides when it is due again.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import procrastinate
from procrastinate import JobContext, RetryStrategy
from procrastinate.exceptions import AlreadyEnqueued
from procrastinate.jobs import Job
from procrastinate.manager import JobManager
from procrastinate.sync_psycopg_connector import SyncPsycopgConnector
from procrastinate.tasks import Task

from newsdesk.fetch import Fetcher
from newsdesk.jobs.cpu import CpuPool
from newsdesk.refresh import refresh_source
from newsdesk.settings import Settings
from newsdesk.store.postgres import Connection, PostgresStore
from newsdesk.stories import StoryDesk

QUEUE = "newsdesk"
REFRESH_TASK = "newsdesk.refresh_source"
SCHEDULE_TASK = "newsdesk.schedule_due"
RETRY_STALLED_TASK = "newsdesk.retry_stalled"
PRUNE_TASK = "newsdesk.prune_jobs"
MAINTENANCE_PRIORITY = 10  # ahead of refreshes, so a full queue never starves the scheduler


@dataclass(frozen=True)
class QueueOptions:
    """How workers take and schedule jobs; `newsdesk worker` sets them from its options."""

    concurrency: int = 8
    schedule_every: int = 10
    lease_seconds: int = 900
    claim_batch: int = 1000
    heartbeat_seconds: float = 10.0
    stalled_after: float = 60.0
    max_attempts: int = 6
    retry_base_seconds: int = 4
    keep_jobs: bool = False
    keep_job_hours: int = 168


@dataclass(frozen=True)
class WorkerRuntime:
    """What every job of one worker process shares; handed to tasks by procrastinate."""

    store: PostgresStore
    fetcher: Fetcher
    cpu: CpuPool
    settings: Settings
    options: QueueOptions
    desk: StoryDesk | None = None


def make_app(conninfo: str, options: QueueOptions, *, scheduler: bool = True) -> procrastinate.App:
    """A procrastinate app on `conninfo` with newsdesk's tasks; `scheduler` adds the periodic
    ones to this process's deferrer."""
    # One connection listens for new jobs; each running job may finish while the heartbeat,
    # the next fetch and the periodic deferrer each need one too.
    connector = procrastinate.PsycopgConnector(
        conninfo=conninfo, min_size=1, max_size=options.concurrency + 4
    )
    app = procrastinate.App(connector=connector, periodic_defaults={"max_delay": 60})
    retry = RetryStrategy(
        max_attempts=options.max_attempts, exponential_wait=options.retry_base_seconds
    )
    app.task(name=REFRESH_TASK, queue=QUEUE, pass_context=True, retry=retry)(_refresh)
    schedule = _maintenance_task(app, SCHEDULE_TASK, _schedule_due)
    stalled = _maintenance_task(app, RETRY_STALLED_TASK, _retry_stalled)
    prune = _maintenance_task(app, PRUNE_TASK, _prune_jobs)
    if scheduler:
        every = _cron_every(options.schedule_every)
        app.periodic(cron=every, periodic_id=SCHEDULE_TASK)(schedule)
        app.periodic(cron=every, periodic_id=RETRY_STALLED_TASK)(stalled)
        app.periodic(cron="7 * * * *", periodic_id=PRUNE_TASK)(prune)
    return app


def enqueue_due(store: PostgresStore, options: QueueOptions, now: datetime | None = None) -> int:
    """Claim the due sources and enqueue a refresh of each, in one transaction; how many."""
    with store.transaction() as conn:
        ids = store.claim_due_sources(
            now or datetime.now(UTC), options.lease_seconds, options.claim_batch
        )
        return _defer_refreshes(conn, ids)


def enqueue_sources(store: PostgresStore, source_ids: Sequence[int]) -> int:
    """Enqueue a refresh of each source now, due or not; those already waiting are skipped."""
    with store.transaction() as conn:
        return _defer_refreshes(conn, source_ids)


def refresh_job(source_id: int) -> Job:
    """The queued job that refreshes one source."""
    lock = f"source-{source_id}"
    return Job(
        id=None,
        queue=QUEUE,
        lock=lock,
        queueing_lock=lock,
        task_name=REFRESH_TASK,
        task_kwargs={"source_id": source_id},
    )


def _defer_refreshes(conn: Connection, source_ids: Sequence[int]) -> int:
    # This manager is never opened: it only runs procrastinate's queries on `conn`.
    deferrer = JobManager(SyncPsycopgConnector())
    deferred = 0
    for source_id in source_ids:
        try:
            with conn.transaction():  # a savepoint: a refused job keeps the rest
                deferrer.defer_job(refresh_job(source_id), connection=conn)
            deferred += 1
        except AlreadyEnqueued:
            pass
    return deferred


async def _prune_jobs(context: JobContext, timestamp: int) -> None:
    await prune_jobs(context.app.job_manager, _runtime(context).options.keep_job_hours)


async def prune_jobs(manager: JobManager, hours: int) -> None:
    """Delete this queue's jobs that finished more than `hours` ago, whatever their end."""
    await manager.delete_old_jobs(
        nb_hours=hours,
        queue=QUEUE,
        include_failed=True,
        include_cancelled=True,
        include_aborted=True,
    )


def _cron_every(seconds: int) -> str:
    if seconds < 60:
        return f"* * * * * */{max(1, seconds)}"
    return f"*/{max(1, seconds // 60)} * * * *"


def _runtime(context: JobContext) -> WorkerRuntime:
    runtime: WorkerRuntime = context.additional_context["runtime"]
    return runtime


async def _refresh(context: JobContext, source_id: int) -> dict[str, Any]:
    runtime = _runtime(context)
    source = runtime.store.source_by_id(source_id)
    if source is None:
        return {"source_id": source_id, "skipped": "removed"}
    result = await refresh_source(
        source,
        store=runtime.store,
        fetcher=runtime.fetcher,
        cpu=runtime.cpu,
        settings=runtime.settings,
        desk=runtime.desk,
    )
    return {"source_id": source_id, "new_articles": result.new_articles, "error": result.error}


def _maintenance_task(
    app: procrastinate.App, name: str, fn: Callable[[JobContext, int], Awaitable[Any]]
) -> Task[Any, Any, Any]:
    """A periodic task ahead of refreshes in the queue, at most one of it waiting at a time."""
    return app.task(
        name=name,
        queue=QUEUE,
        pass_context=True,
        priority=MAINTENANCE_PRIORITY,
        queueing_lock=name,
    )(fn)


async def _schedule_due(context: JobContext, timestamp: int) -> int:
    runtime = _runtime(context)
    return await asyncio.to_thread(enqueue_due, runtime.store, runtime.options)


async def _retry_stalled(context: JobContext, timestamp: int) -> int:
    manager = context.app.job_manager
    stalled = await manager.get_stalled_jobs(
        seconds_since_heartbeat=_runtime(context).options.stalled_after
    )
    for job in stalled:
        await manager.retry_job(job)
    return len(list(stalled))
