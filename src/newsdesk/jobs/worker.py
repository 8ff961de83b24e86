"""`newsdesk worker`: one process that runs queued refresh jobs until it is stopped.

Run as many as the sources need, on as many machines as you like, all pointing at one
PostgreSQL database: the queue lives there beside the store (see `newsdesk.jobs.queue`).
SIGINT or SIGTERM stops a worker gracefully: it finishes its running jobs first. A worker
killed outright leaves its jobs in the ``doing`` state; the others retry them once its
heartbeat is older than ``QueueOptions.stalled_after``.
"""

from __future__ import annotations

import logging
import os
import socket

from procrastinate.schema import SchemaManager

from newsdesk.fetch import Fetcher
from newsdesk.jobs.queue import QUEUE, QueueOptions, WorkerRuntime, make_app
from newsdesk.refresh import cpu_pool, open_desk
from newsdesk.settings import Settings
from newsdesk.sources import seed_defaults
from newsdesk.store import open_store
from newsdesk.store.base import Store, StoreError

log = logging.getLogger(__name__)


class WorkerError(StoreError):
    """Workers cannot run against this store (e.g. it is SQLite)."""


def postgres_conninfo(database_url: str) -> str:
    """The libpq URL of a PostgreSQL database URL; WorkerError for anything else."""
    scheme, separator, rest = database_url.partition("://")
    if separator and scheme in {"postgresql", "postgres", "postgresql+psycopg"}:
        return f"postgresql://{rest}"
    raise WorkerError(
        "refresh workers need the PostgreSQL store, where the job queue lives; "
        f"NEWSDESK_DATABASE_URL is {database_url!r}. Use `newsdesk serve` (which refreshes "
        "in-process) with SQLite, or move the store with `newsdesk store copy`."
    )


def open_queue_store(database_url: str) -> Store:
    """The PostgreSQL store at `database_url` with the job queue's tables installed."""
    postgres_conninfo(database_url)
    store = open_store(database_url)
    try:
        if store.ensure_queue_schema(SchemaManager.get_schema()):
            log.info("installed the job queue tables")
    except BaseException:
        store.close()
        raise
    return store


def seed_if_wanted(store: Store, settings: Settings) -> int:
    """Add the built-in sources to an empty store when `default_sources` is on, as `serve`
    does: workers are what refreshes a PostgreSQL desk, and `serve --no-refresh` adds none."""
    if not settings.default_sources:
        return 0
    added = seed_defaults(store)
    if added:
        log.info("added %d default sources to the empty store", len(added))
    return len(added)


async def run_worker(settings: Settings, options: QueueOptions, *, scheduler: bool = True) -> None:
    """Run refresh jobs from the queue until SIGINT/SIGTERM."""
    from newsdesk.store.postgres import PostgresStore

    conninfo = postgres_conninfo(settings.database_url)
    store = open_queue_store(settings.database_url)
    assert isinstance(store, PostgresStore)
    if scheduler:
        seed_if_wanted(store, settings)
    app = make_app(conninfo, options, scheduler=scheduler)
    try:
        async with (
            app.open_async(),
            Fetcher(settings) as fetcher,
            cpu_pool(settings) as cpu,
        ):
            desk = await open_desk(store, settings)
            runtime = WorkerRuntime(store, fetcher, cpu, settings, options, desk)
            await app.run_worker_async(
                queues=[QUEUE],
                name=f"{socket.gethostname()}:{os.getpid()}",
                concurrency=options.concurrency,
                additional_context={"runtime": runtime},
                update_heartbeat_interval=options.heartbeat_seconds,
                stalled_worker_timeout=options.stalled_after,
                delete_jobs="never" if options.keep_jobs else "successful",
            )
    finally:
        store.close()
