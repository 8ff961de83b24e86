"""Distributed refresh: real `newsdesk worker` processes on a real PostgreSQL, one killed."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from fixture_server import FixtureServer
from newsdesk.default_sources import DEFAULT_SOURCES
from newsdesk.jobs.queue import QueueOptions, enqueue_due, enqueue_sources, make_app, prune_jobs
from newsdesk.jobs.worker import open_queue_store, postgres_conninfo, seed_if_wanted
from newsdesk.settings import Settings
from newsdesk.store.postgres import PostgresStore
from services import require_postgres
from sitegen import publish_site
from store_fixtures import postgres_schema

FEEDS, PER_FEED = 100, 3


@pytest.fixture
def queue_url() -> Iterator[str]:
    """A new PostgreSQL schema holding a store and the job queue."""
    with postgres_schema(require_postgres()) as url:
        open_queue_store(url).close()
        yield url


@pytest.fixture
def queue_store(queue_url: str) -> Iterator[PostgresStore]:
    store = open_queue_store(queue_url)
    assert isinstance(store, PostgresStore)
    yield store
    store.close()


def start_worker(url: str, log: Path) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSDESK_PROCESS_POOL": "false",
        "NEWSDESK_DEFAULT_SOURCES": "false",  # tests never touch the internet
        "NEWSDESK_LOG_LEVEL": "WARNING",
        "NEWSDESK_MAX_CONNECTIONS_PER_HOST": "16",
    }
    command = [
        *(sys.executable, "-m", "newsdesk.cli", "--database-url", url, "worker"),
        *("--concurrency", "4", "--schedule-every", "1", "--keep-jobs"),
        *("--heartbeat", "0.5", "--stalled-after", "4"),
    ]
    with log.open("wb") as out:
        return subprocess.Popen(command, env=env, cwd=log.parent, stdout=out, stderr=out)


def sql(url: str, query: str) -> list[tuple[object, ...]]:
    with psycopg.connect(url) as conn:
        return conn.execute(query.encode()).fetchall()


def wait_for(condition: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def test_three_workers_one_killed_store_every_entry_exactly_once(
    http_server: FixtureServer, queue_url: str, queue_store: PostgresStore, tmp_path: Path
) -> None:
    feeds, articles = publish_site(http_server, feeds=FEEDS, per_feed=PER_FEED, page_delay=0.1)
    for url in feeds:
        queue_store.add_source(url)
    workers = [start_worker(queue_url, tmp_path / f"worker{i}.log") for i in range(3)]
    try:

        def refreshed() -> int:
            return int(sql(queue_url, "SELECT count(*) FROM fetch_log")[0][0])  # type: ignore[call-overload]

        wait_for(lambda: refreshed() >= 20, 30, "the first refreshes")
        assert refreshed() < FEEDS, "too late to kill a worker mid-run"
        workers[0].send_signal(signal.SIGKILL)
        workers[0].wait()

        def settled() -> bool:
            open_jobs = sql(
                queue_url,
                "SELECT count(*) FROM procrastinate_jobs WHERE status IN ('todo', 'doing')"
                " AND task_name = 'newsdesk.refresh_source'",
            )[0][0]
            return open_jobs == 0 and refreshed() >= FEEDS

        wait_for(settled, 40, "every source to be refreshed")
    finally:
        for worker in workers[1:]:
            worker.send_signal(signal.SIGTERM)
        for worker in workers[1:]:
            worker.wait(timeout=15)

    logs = "\n".join((tmp_path / f"worker{i}.log").read_text() for i in range(3))
    # Every entry stored exactly once, nothing lost.
    stored = sql(
        queue_url, "SELECT s.url, e.guid FROM entries e JOIN sources s ON s.id = e.source_id"
    )
    expected = {(feeds[a.feed], a.guid) for a in articles}
    assert len(stored) == len(expected) == FEEDS * PER_FEED
    assert set(stored) == expected
    assert queue_store.count_articles() == FEEDS * PER_FEED
    texts = sql(queue_url, "SELECT count(*) FROM articles WHERE extraction = 'extracted'")
    assert texts[0][0] == FEEDS * PER_FEED, logs
    # Every source ends refreshed, successfully.
    health = queue_store.all_health()
    assert len(health) == FEEDS
    # A job retried after its worker died may find the feed unchanged since the kill: 304.
    bad = [h for h in health if h.last_status not in (200, 304) or h.last_error]
    assert not bad, f"{bad}\n{logs}"
    # The killed worker's jobs went back to the queue and another worker finished them.
    jobs = sql(
        queue_url,
        "SELECT status::text, attempts FROM procrastinate_jobs"
        " WHERE task_name = 'newsdesk.refresh_source'",
    )
    assert {status for status, _ in jobs} == {"succeeded"}, logs
    assert any(attempts >= 1 for _, attempts in jobs), "no job of the killed worker was retried"  # type: ignore[operator]


def test_a_source_waits_in_the_queue_once(queue_store: PostgresStore, queue_url: str) -> None:
    from click.testing import CliRunner

    from newsdesk.cli import main

    def status() -> str:
        return CliRunner().invoke(main, ["--database-url", queue_url, "queue", "status"]).output

    assert status() == "no jobs in the queue\n"  # was nothing at all
    source = queue_store.add_source("http://127.0.0.1:9/feed.xml")
    assert enqueue_due(queue_store, QueueOptions()) == 1
    # Claimed: no longer due until its lease ends, and the waiting job refuses a twin.
    assert enqueue_due(queue_store, QueueOptions()) == 0
    assert enqueue_sources(queue_store, [source.id]) == 0
    assert queue_store.queue_jobs_by_status() == {"todo": 1}
    assert status() == "todo\t1\n"


def test_workers_refuse_a_sqlite_store(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from newsdesk.cli import main

    result = CliRunner().invoke(
        main, ["--database-url", f"sqlite:///{tmp_path}/x.db", "worker"], catch_exceptions=False
    )
    assert result.exit_code == 1
    assert "need the PostgreSQL store" in result.output


def test_metrics_show_the_queue_depth(queue_store: PostgresStore, tmp_path: Path) -> None:
    from starlette.testclient import TestClient

    from newsdesk.settings import load_settings
    from newsdesk.web.app import create_app

    queue_store.add_source("http://127.0.0.1:9/feed.xml")
    enqueue_due(queue_store, QueueOptions())
    settings = load_settings(environ={}, database_url=f"sqlite:///{tmp_path}/unused.db")
    with TestClient(create_app(settings, queue_store, refresh=False)) as client:
        text = client.get("/metrics").text
    assert 'newsdesk_queue_jobs{status="todo"} 1' in text.splitlines()


def test_a_scheduling_worker_adds_the_default_sources_to_an_empty_store(
    queue_store: PostgresStore, settings: Settings
) -> None:
    # With workers and `serve --no-refresh`, as the docs advise, an empty desk stayed empty.
    assert seed_if_wanted(queue_store, settings.replace(default_sources=False)) == 0
    assert seed_if_wanted(queue_store, settings.replace(default_sources=True)) > 0
    assert {s.url for s in queue_store.list_sources()} == {d.url for d in DEFAULT_SOURCES}
    assert seed_if_wanted(queue_store, settings.replace(default_sources=True)) == 0


def test_finished_jobs_are_pruned_after_their_retention(
    queue_store: PostgresStore, queue_url: str
) -> None:
    # Failed jobs, and all jobs under --keep-jobs, were kept for ever.
    for i in range(3):
        queue_store.add_source(f"http://127.0.0.1:9/feed{i}.xml")
    assert enqueue_due(queue_store, QueueOptions()) == 3
    ids = [row[0] for row in sql(queue_url, "SELECT id FROM procrastinate_jobs ORDER BY id")]
    ended = {ids[0]: "failed", ids[1]: "succeeded"}  # the third is still to do
    with psycopg.connect(queue_url) as conn:
        for job_id, status in ended.items():
            conn.execute(
                b"UPDATE procrastinate_jobs SET status = %s WHERE id = %s", (status, job_id)
            )
        conn.execute(b"UPDATE procrastinate_events SET at = now() - interval '3 hours'")

    async def prune(hours: int) -> None:
        app = make_app(postgres_conninfo(queue_url), QueueOptions())
        async with app.open_async():
            await prune_jobs(app.job_manager, hours)

    asyncio.run(prune(4))
    assert len(sql(queue_url, "SELECT id FROM procrastinate_jobs")) == 3
    asyncio.run(prune(2))
    left = sql(queue_url, "SELECT id, status::text FROM procrastinate_jobs")
    assert left == [(ids[2], "todo")]
