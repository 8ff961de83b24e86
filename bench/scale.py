"""Scale-out figures: ingest throughput per worker count, and search latency per store and size.

Ingest: a loopback site (its own process, so it never shares our GIL) serves FEEDS RSS feeds of
PER_FEED articles, every response delayed by --latency. Each run refreshes all of it, article
pages fetched and extracted, into a fresh store: SQLite in-process (extraction in a process
pool), then PostgreSQL with 1, 2 and 4 `newsdesk worker` processes (extraction in each worker's
threads, so one worker uses at most one core). Articles/s counts from the enqueue to the last
saved refresh; workers are started and registered before the clock starts.

Search: synthetic articles (Zipf-distributed vocabulary) built once into a cached SQLite file
and PostgreSQL schema per size, then 1-, 2- and 3-term queries timed on both stores.

    .venv/bin/python bench/scale.py                       # everything, sizes 100k
    .venv/bin/python bench/scale.py --sizes 100000 300000 --skip-ingest
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from html import escape
from multiprocessing import Process, Queue
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from common import write_results
from newsdesk.jobs.queue import enqueue_sources
from newsdesk.jobs.worker import open_queue_store
from newsdesk.models import NewArticle
from newsdesk.refresh import refresh_all
from newsdesk.settings import load_settings
from newsdesk.store import FetchOutcome, open_store
from newsdesk.store.postgres import PostgresStore
from newsdesk.store_copy import copy_between

POSTGRES = os.environ.get("NEWSDESK_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")
CACHE = Path(
    os.environ.get("NEWSDESK_BENCH_CACHE") or Path(tempfile.gettempdir()) / "newsdesk-bench"
)
WORDS = [f"w{i:04d}" for i in range(5000)]


# ---- the loopback site -------------------------------------------------------------------


def serve_site(feeds: int, per_feed: int, latency: float, ready: Queue[int]) -> None:
    from aiohttp import web

    rng = random.Random(7)

    def page(f: int, n: int) -> str:
        paragraphs = "".join(
            f"<p>{' '.join(rng.choice(WORDS) for _ in range(60))}.</p>" for _ in range(6)
        )
        return (
            f"<!doctype html><html><head><title>Story {f}-{n}</title></head><body>"
            f"<nav><a href='/'>Home</a></nav><article><h1>Story {f}-{n}</h1>{paragraphs}"
            "</article><footer>Copyright</footer></body></html>"
        )

    pages = {(f, n): page(f, n) for f in range(feeds) for n in range(per_feed)}

    async def feed(request: web.Request) -> web.Response:
        f = int(request.match_info["f"])
        base = f"http://{request.host}"
        items = "".join(
            f"<item><title>Story {f}-{n}</title><link>{base}/a/{f}/{n}.html</link>"
            f"<guid>urn:{f}:{n}</guid><description>{escape('summary')}</description></item>"
            for n in range(per_feed)
        )
        await asyncio.sleep(latency)
        body = f"<rss version='2.0'><channel><title>Feed {f}</title>{items}</channel></rss>"
        return web.Response(text=body, content_type="application/rss+xml")

    async def article(request: web.Request) -> web.Response:
        await asyncio.sleep(latency)
        key = (int(request.match_info["f"]), int(request.match_info["n"]))
        return web.Response(text=pages[key], content_type="text/html")

    async def main() -> None:
        app = web.Application()
        app.router.add_get("/feed/{f}.xml", feed)
        app.router.add_get("/a/{f}/{n}.html", article)
        app.router.add_get("/robots.txt", lambda _r: web.Response(text="User-agent: *\n"))
        runner = web.AppRunner(app, access_log=None)
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0, backlog=1024)
        await site.start()
        ready.put(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]
        await asyncio.Event().wait()

    asyncio.run(main())


# ---- ingest ------------------------------------------------------------------------------


def fresh_schema(name: str) -> str:
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    return f"{POSTGRES}?options=-c%20search_path%3D{name}"


ENV = {
    "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
    "NEWSDESK_RESPECT_ROBOTS": "false",
    "NEWSDESK_MAX_CONNECTIONS_PER_HOST": "64",
    "NEWSDESK_MAX_CONNECTIONS": "64",
    "NEWSDESK_LOG_LEVEL": "WARNING",
}


def ingest_sqlite(urls: list[str]) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        settings = load_settings(environ=ENV, database_url=f"sqlite:///{folder}/bench.db")
        store = open_store(settings.database_url)
        for url in urls:
            store.add_source(url)
        started = time.perf_counter()
        asyncio.run(refresh_all(store, settings))
        elapsed = time.perf_counter() - started
        articles = store.count_articles()
        store.close()
    return {
        "articles": articles,
        "seconds": round(elapsed, 2),
        "per_s": round(articles / elapsed, 1),
    }


def ingest_workers(urls: list[str], workers: int, concurrency: int) -> dict[str, Any]:
    url = fresh_schema(f"bench_scale_ingest_{workers}")
    store = open_queue_store(url)
    assert isinstance(store, PostgresStore)
    for feed in urls:
        store.add_source(feed)
    env = {**os.environ, **ENV, "NEWSDESK_PROCESS_POOL": "false"}
    command = [sys.executable, "-m", "newsdesk.cli", "--database-url", url, "worker"]
    command += ["--no-scheduler", "--concurrency", str(concurrency)]
    procs = [subprocess.Popen(command, env=env) for _ in range(workers)]
    try:
        while _scalar(url, "SELECT count(*) FROM procrastinate_workers") < workers:
            time.sleep(0.1)
        started = time.perf_counter()
        enqueue_sources(store, [s.id for s in store.list_sources()])
        while _scalar(url, "SELECT count(*) FROM fetch_log") < len(urls):
            time.sleep(0.05)
        elapsed = time.perf_counter() - started
        articles = store.count_articles()
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            proc.wait()
        store.close()
    return {
        "articles": articles,
        "seconds": round(elapsed, 2),
        "per_s": round(articles / elapsed, 1),
    }


def _scalar(url: str, query: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute(query.encode()).fetchone()
    return int(row[0]) if row else 0


def run_ingest(args: argparse.Namespace) -> dict[str, Any]:
    ready: Queue[int] = Queue()
    server = Process(
        target=serve_site, args=(args.feeds, args.per_feed, args.latency, ready), daemon=True
    )
    server.start()
    port = ready.get(timeout=60)
    urls = [f"http://127.0.0.1:{port}/feed/{f}.xml" for f in range(args.feeds)]
    results: dict[str, Any] = {
        "feeds": args.feeds,
        "per_feed": args.per_feed,
        "latency_s": args.latency,
        "worker_concurrency": args.concurrency,
    }
    try:
        results["sqlite_in_process"] = ingest_sqlite(urls)
        print("sqlite in-process", results["sqlite_in_process"], flush=True)
        for workers in args.workers:
            row = ingest_workers(urls, workers, args.concurrency)
            results[f"postgres_{workers}_workers"] = row
            print(f"postgres, {workers} workers", row, flush=True)
    finally:
        server.terminate()
    return results


# ---- search ------------------------------------------------------------------------------


def zipf_words(rng: random.Random, count: int) -> list[str]:
    return rng.choices(WORDS, weights=[1 / (i + 1) for i in range(len(WORDS))], k=count)


def build_sqlite(size: int) -> tuple[str, float]:
    path = CACHE / f"scale_{size}.db"
    url = f"sqlite:///{path}"
    if path.exists():
        store = open_store(url)
        if store.count_articles() == size:
            store.close()
            return url, 0.0
        store.close()
        path.unlink()
    CACHE.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()
    store = open_store(url)
    rng = random.Random(size)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    per_source = 1000
    for s in range(size // per_source):
        source = store.add_source(f"https://site{s}.example/feed.xml")
        articles = tuple(
            NewArticle(
                source_id=source.id,
                guid=f"{s}-{n}",
                url=f"https://site{s}.example/{n}",
                canonical_url=f"https://site{s}.example/{n}",
                title=" ".join(zipf_words(rng, 8)),
                text=" ".join(zipf_words(rng, 120)),
                published=t0 + timedelta(minutes=s * per_source + n),
            )
            for n in range(per_source)
        )
        store.save_outcome(
            FetchOutcome(source.id, t0, 200, "", False, per_source, 0, 1800, t0, articles)
        )
    store.close()
    return url, time.perf_counter() - started


def build_postgres(size: int, sqlite_url: str) -> tuple[str, float]:
    name = f"bench_scale_search_{size}"
    url = f"{POSTGRES}?options=-c%20search_path%3D{name}"
    with psycopg.connect(POSTGRES, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA IF NOT EXISTS {}").format(sql.Identifier(name)))
    store = open_store(url)
    if store.count_articles() == size:
        store.close()
        return url, 0.0
    store.close()
    url = fresh_schema(name)
    started = time.perf_counter()
    source, target = open_store(sqlite_url), open_store(url)
    copy_between(source, target)
    source.close()
    target.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM ANALYZE")
    return url, time.perf_counter() - started


def time_queries(url: str, queries: list[str]) -> dict[str, float]:
    store = open_store(url)
    store.search(queries[0])  # warm the connection and caches
    timings = []
    for query in queries:
        started = time.perf_counter()
        store.search(query, 50)
        timings.append((time.perf_counter() - started) * 1000)
    store.close()
    timings.sort()
    return {
        "median_ms": round(statistics.median(timings), 2),
        "p99_ms": round(timings[min(len(timings) - 1, int(0.99 * len(timings)))], 2),
    }


def run_search(args: argparse.Namespace) -> dict[str, Any]:
    rng = random.Random(1)
    # Terms from the common head to the rare tail of the vocabulary.
    pool = WORDS[:2000]
    results: dict[str, Any] = {}
    for size in args.sizes:
        sqlite_url, sqlite_build = build_sqlite(size)
        postgres_url, postgres_build = build_postgres(size, sqlite_url)
        row: dict[str, Any] = {
            "build_s": {"sqlite": round(sqlite_build, 1), "postgres_copy": round(postgres_build, 1)}
        }
        for terms in (1, 2, 3):
            queries = [" ".join(rng.sample(pool, terms)) for _ in range(args.queries)]
            row[f"{terms}_terms"] = {
                "sqlite_fts5": time_queries(sqlite_url, queries),
                "postgres": time_queries(postgres_url, queries),
            }
        results[str(size)] = row
        print(size, row, flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=200)
    parser.add_argument("--per-feed", type=int, default=10)
    parser.add_argument("--latency", type=float, default=0.05, help="seconds per response")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--concurrency", type=int, default=16, help="jobs per worker")
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000])
    parser.add_argument("--queries", type=int, default=200, help="queries per term count")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument("--skip-search", action="store_true")
    args = parser.parse_args()
    results: dict[str, Any] = {"cpus": os.cpu_count()}
    if not args.skip_ingest:
        results["ingest"] = run_ingest(args)
    if not args.skip_search:
        results["search"] = run_search(args)
    write_results("scale", results)


if __name__ == "__main__":
    main()
