"""CLI commands for the ops area: `worker`, `queue` and `store`; `register` adds them."""

from __future__ import annotations

import asyncio

import click

from newsdesk.settings import Settings
from newsdesk.store.base import StoreError


def register(main: click.Group) -> None:
    """Add this area's commands to the `newsdesk` command group."""
    main.add_command(worker)
    main.add_command(queue)
    main.add_command(store)


@click.command()
@click.option("--concurrency", type=int, default=8, show_default=True, help="Jobs at once.")
@click.option(
    "--scheduler/--no-scheduler",
    default=True,
    show_default=True,
    help="Take part in enqueueing due sources (safe in every worker).",
)
@click.option("--schedule-every", type=int, default=10, show_default=True, help="Seconds.")
@click.option("--heartbeat", type=float, default=10.0, show_default=True, help="Seconds.")
@click.option(
    "--stalled-after",
    type=float,
    default=60.0,
    show_default=True,
    help="Retry the jobs of a worker whose heartbeat is this many seconds old.",
)
@click.option("--keep-jobs", is_flag=True, help="Keep finished jobs in the queue table.")
@click.option(
    "--job-retention",
    type=click.IntRange(min=1),
    default=168,
    show_default=True,
    help="Hours after which finished jobs (failed ones too) are deleted.",
)
@click.pass_context
def worker(
    ctx: click.Context,
    concurrency: int,
    scheduler: bool,
    schedule_every: int,
    heartbeat: float,
    stalled_after: float,
    keep_jobs: bool,
    job_retention: int,
) -> None:
    """Run refresh jobs from the PostgreSQL job queue until stopped (SIGINT/SIGTERM)."""
    from newsdesk.jobs.queue import QueueOptions
    from newsdesk.jobs.worker import run_worker

    options = QueueOptions(
        concurrency=concurrency,
        schedule_every=schedule_every,
        heartbeat_seconds=heartbeat,
        stalled_after=stalled_after,
        keep_jobs=keep_jobs,
        keep_job_hours=job_retention,
    )
    try:
        asyncio.run(run_worker(_settings(ctx), options, scheduler=scheduler))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc


@click.group()
def queue() -> None:
    """Look at and fill the PostgreSQL job queue."""


@queue.command("enqueue")
@click.option("--source", "source_ids", type=int, multiple=True, help="This source id.")
@click.option("--all", "every", is_flag=True, help="Every source, due or not.")
@click.pass_context
def queue_enqueue(ctx: click.Context, source_ids: tuple[int, ...], every: bool) -> None:
    """Enqueue refreshes now: of the due sources, or of those named."""
    from newsdesk.jobs.queue import QueueOptions, enqueue_due, enqueue_sources
    from newsdesk.jobs.worker import open_queue_store
    from newsdesk.store.postgres import PostgresStore

    try:
        the_store = open_queue_store(_settings(ctx).database_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        assert isinstance(the_store, PostgresStore)
        if every:
            source_ids = tuple(s.id for s in the_store.list_sources())
        if source_ids:
            count = enqueue_sources(the_store, source_ids)
        else:
            count = enqueue_due(the_store, QueueOptions())
    finally:
        the_store.close()
    click.echo(f"enqueued {count} refreshes")


@queue.command("status")
@click.pass_context
def queue_status(ctx: click.Context) -> None:
    """Jobs in the queue per status."""
    from newsdesk.store import open_store

    try:
        the_store = open_store(_settings(ctx).database_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    try:
        counts = the_store.queue_jobs_by_status()
    finally:
        the_store.close()
    for status, count in sorted(counts.items()):
        click.echo(f"{status}\t{count}")
    if not counts:
        click.echo("no jobs in the queue")


@click.group()
def store() -> None:
    """Move a whole store between databases, and check the result."""


@store.command("copy")
@click.argument("source_url")
@click.argument("target_url")
def store_copy_command(source_url: str, target_url: str) -> None:
    """Copy every table of the store at SOURCE_URL into the empty store at TARGET_URL."""
    from newsdesk.store_copy import CopyError, copy_store

    try:
        copied = copy_store(
            source_url, target_url, progress=lambda t, n: click.echo(f"{t}\t{n}", err=True)
        )
    except (CopyError, StoreError) as exc:
        raise click.ClickException(str(exc)) from exc
    click.echo(f"copied {sum(copied.values())} rows in {len(copied)} tables")


@store.command("check")
@click.argument("source_url")
@click.argument("target_url")
def store_check_command(source_url: str, target_url: str) -> None:
    """Compare row counts per table; exit 1 when any differs."""
    from newsdesk.store_copy import compare_stores

    try:
        rows = compare_stores(source_url, target_url)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from exc
    for row in rows:
        mark = "ok" if row.matches else "MISMATCH"
        click.echo(f"{row.table}\t{row.source}\t{row.target}\t{mark}")
    if not all(row.matches for row in rows):
        raise click.ClickException("the stores differ")


def _settings(ctx: click.Context) -> Settings:
    settings: Settings = ctx.obj
    return settings
