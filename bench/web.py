"""Web latency and throughput: the site's pages under 8 concurrent clients, against a static file.

A SQLite store of 100,000 synthetic articles (5,000 stories, topics and places) is built once
and kept in a temporary folder. The server (uvicorn, one process, no refresh) runs as a child
process; this process is the load generator: aiohttp clients on loopback, each page driven for
a fixed time. A static file from the same server gives the ceiling.

Pages are asked for as readers would, so repeated URLs may be answered by the few-second
microcache (200 different searches are cycled). `search_cold` makes every search URL new, so
each one runs the full-text query and renders: it shows the uncached cost, and is reported
beside the targets rather than in "every page".

    .venv/bin/python bench/web.py --articles 100000 --clients 8 --seconds 5
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from common import write_results

SECTIONS = ("world", "politics", "business", "technology", "science", "health", "sports")
PLACES = (
    ("UA", "Ukraine", "Europe"),
    ("FR", "France", "Europe"),
    ("JP", "Japan", "Asia"),
    ("BR", "Brazil", "Americas"),
    ("NG", "Nigeria", "Africa"),
    ("IL", "Israel", "Middle East"),
)
NOW = datetime.now(UTC).replace(microsecond=0)


def _words(rng: random.Random, vocabulary: list[str], n: int) -> str:
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def build_store(path: Path, articles: int) -> None:
    """A store of `articles` synthetic articles from 50 sources, in batches of one fetch each."""
    from newsdesk.models import NewArticle, Place, Topic
    from newsdesk.store import FetchOutcome, SQLiteStore

    rng = random.Random(7)
    vocabulary = [f"{rng.choice('bcdfghklmnprstvz')}{rng.choice('aeiou')}{i}" for i in range(5000)]
    topics = [Topic(f"person {i}", f"Person {i}", "person") for i in range(2000)]
    store = SQLiteStore(path)
    sources = [
        store.add_source(f"https://s{i}.example/feed", title=f"Outlet {i}") for i in range(50)
    ]
    batch = 1000
    for start in range(0, articles, batch):
        source = sources[(start // batch) % len(sources)]
        items = []
        for n in range(start, min(start + batch, articles)):
            code, country, region = PLACES[n % len(PLACES)]
            items.append(
                NewArticle(
                    source_id=source.id,
                    guid=f"g{n}",
                    url=f"https://s{source.id}.example/a/{n}",
                    canonical_url=f"https://s{source.id}.example/a/{n}",
                    title=_words(rng, vocabulary, 8).capitalize(),
                    summary=_words(rng, vocabulary, 30),
                    text=_words(rng, vocabulary, 150),
                    author=f"Writer {n % 300}",
                    published=NOW - timedelta(minutes=n * 0.5),
                    extraction="ok",
                    section=SECTIONS[n % len(SECTIONS)],
                    places=(Place(country, "country", code, country, region),),
                    topics=(rng.choice(topics), rng.choice(topics)),
                )
            )
        store.save_outcome(
            FetchOutcome(
                source.id,
                NOW,
                200,
                "",
                False,
                len(items),
                100,
                900,
                NOW + timedelta(minutes=15),
                tuple(items),
            )
        )
    store.close()
    add_stories(path, articles)


def add_stories(path: Path, articles: int) -> None:
    """5,000 stories of 5 articles each over the newest articles, plus related stories."""
    db = sqlite3.connect(path)
    ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY sort_time DESC")]
    with db:
        for number in range(1, min(5000, len(ids) // 5) + 1):
            members = ids[(number - 1) * 5 : number * 5]
            stamp = (NOW - timedelta(minutes=number)).isoformat(timespec="microseconds")
            db.execute(
                "INSERT INTO stories (id, title, lead_article_id, section, first_seen, last_seen,"
                " article_count, outlet_count, score) VALUES (?, ?, ?, ?, ?, ?, 5, 4, ?)",
                (number, f"Story {number}", members[0], SECTIONS[number % len(SECTIONS)],
                 stamp, stamp, 10000.0 - number),
            )  # fmt: skip
            db.executemany(
                "UPDATE articles SET story_id = ? WHERE id = ?", [(number, m) for m in members]
            )
            if number > 1:
                db.execute(
                    "INSERT INTO story_related (story_id, related_id, score) VALUES (?, ?, 0.5)",
                    (number, number - 1),
                )
    db.close()


def serve(db: str, port: int) -> None:
    """The child process: the site on 127.0.0.1:port."""
    import uvicorn

    from newsdesk.settings import load_settings
    from newsdesk.web.app import create_app

    settings = load_settings(environ={}, database_url=f"sqlite:///{db}")
    app = create_app(settings, refresh=False)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


async def drive(base: str, paths: list[str], clients: int, seconds: float) -> dict[str, Any]:
    """`clients` concurrent clients requesting `paths` round-robin for `seconds`."""
    import aiohttp

    latencies: list[float] = []
    errors = 0
    stop = time.perf_counter() + seconds
    connector = aiohttp.TCPConnector(limit=clients)
    async with aiohttp.ClientSession(base, connector=connector) as session:

        async def client(offset: int) -> None:
            nonlocal errors
            i = offset
            while time.perf_counter() < stop:
                started = time.perf_counter()
                try:
                    async with session.get(paths[i % len(paths)]) as response:
                        await response.read()
                        if response.status != 200:
                            errors += 1
                except aiohttp.ClientError:
                    errors += 1
                latencies.append(time.perf_counter() - started)
                i += clients

        began = time.perf_counter()
        await asyncio.gather(*(client(k) for k in range(clients)))
        elapsed = time.perf_counter() - began
    ordered = sorted(latencies)
    return {
        "requests": len(ordered),
        "errors": errors,
        "req_per_s": round(len(ordered) / elapsed, 1),
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


def page_paths(db: Path) -> dict[str, list[str]]:
    rng = random.Random(11)
    conn = sqlite3.connect(db)
    top_articles = [
        r[0] for r in conn.execute("SELECT id FROM articles ORDER BY random() LIMIT 500")
    ]
    titles = [r[0] for r in conn.execute("SELECT title FROM articles ORDER BY random() LIMIT 200")]
    conn.close()
    words = [rng.choice(t.split()).lower() for t in titles]
    return {
        "static": ["/static/style.css"],
        "front": ["/"],
        "section": [f"/section/{s}" for s in SECTIONS],
        "story": [f"/story/{rng.randint(1, 200)}" for _ in range(200)],
        "article": [f"/article/{i}" for i in top_articles],
        "search": [f"/search?q={w}" for w in words],
        # Every request a new URL, so the microcache never answers: the cost of a real search.
        "search_cold": [f"/search?q={w}&n={n}" for n, w in enumerate(words * 100)],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--pages", help="Comma-separated pages to drive (default: all).")
    parser.add_argument("--db", type=Path, help="Store file (built when missing).")
    parser.add_argument("--serve", nargs=2, metavar=("DB", "PORT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve:
        serve(args.serve[0], int(args.serve[1]))
        return
    db = args.db or Path(tempfile.gettempdir()) / f"newsdesk-bench-web-{args.articles}.db"
    if not db.exists():
        print(f"building {db} with {args.articles} articles ...", flush=True)
        began = time.perf_counter()
        build_store(db, args.articles)
        print(f"built in {time.perf_counter() - began:.0f} s", flush=True)
    port = free_port()
    server = subprocess.Popen([sys.executable, __file__, "--serve", str(db), str(port)])
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_for(base)
        results: dict[str, Any] = {"articles": args.articles, "clients": args.clients}
        pages: dict[str, Any] = {}
        chosen = page_paths(db)
        if args.pages:
            chosen = {
                k: v for k, v in chosen.items() if k == "static" or k in args.pages.split(",")
            }
        for name, paths in chosen.items():
            asyncio.run(drive(base, paths, args.clients, 1.0))  # warm up
            pages[name] = asyncio.run(drive(base, paths, args.clients, args.seconds))
            print(f"{name:8} {pages[name]}", flush=True)
        ceiling = pages["static"]["req_per_s"]
        for figures in pages.values():
            figures["share_of_static"] = round(figures["req_per_s"] / ceiling, 3)
        results["pages"] = pages
        warm = {name: p for name, p in pages.items() if name != "search_cold"}
        results["targets"] = {
            "front_p99_le_100ms": pages.get("front", {}).get("p99_ms", 0) <= 100,
            "every_page_ge_25pct_static": all(p["share_of_static"] >= 0.25 for p in warm.values()),
            "search_cold_ge_25pct_static": all(
                p["share_of_static"] >= 0.25 for k, p in pages.items() if k == "search_cold"
            ),
            "zero_errors": all(p["errors"] == 0 for p in pages.values()),
        }
        print(f"{'page':8} {'median ms':>10} {'p99 ms':>8} {'req/s':>8} {'of static':>10} errors")
        for name, p in pages.items():
            print(f"{name:8} {p['median_ms']:>10} {p['p99_ms']:>8} {p['req_per_s']:>8}"
                  f" {p['share_of_static']:>10.0%} {p['errors']:>6}")  # fmt: skip
        print("targets:", results["targets"])
        if not args.pages:
            write_results("web", results)
    finally:
        server.terminate()
        server.wait(10)


def _wait_for(base: str) -> None:
    import urllib.request

    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=2):
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
