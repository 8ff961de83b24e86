"""Twenty `kill -9`s at random moments of a 50-source refresh lose nothing and duplicate nothing.

Also: a reader that holds a transaction open while refreshes write does not leave the WAL to
grow for ever once it lets go.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fixture_server import FixtureServer
from newsdesk.refresh import refresh_all
from newsdesk.settings import Settings
from newsdesk.store import open_store
from sitegen import T0, SiteArticle, feed_xml, publish_site

SOURCES = 50
PER_FEED = 3
KILLS = 20


def _snapshot(db: Path) -> dict[int, tuple[str, str]]:
    """Committed articles, read as another process would: id -> (title, canonical URL)."""
    if not db.exists():
        return {}
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=10) as conn:
        try:
            rows = conn.execute("SELECT id, title, canonical_url FROM articles").fetchall()
        except sqlite3.OperationalError:  # killed before the schema was created
            return {}
    return {row[0]: (row[1], row[2]) for row in rows}


def _integrity(db: Path) -> str:
    with sqlite3.connect(db, timeout=10) as conn:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])


def test_twenty_kills_then_a_full_refresh(http_server: FixtureServer, tmp_path: Path) -> None:
    feeds, articles = publish_site(http_server, feeds=SOURCES, per_feed=PER_FEED, page_delay=0.02)
    db = tmp_path / "kills.db"
    store = open_store(f"sqlite:///{db}")
    for url in feeds:
        store.add_source(url)
    store.close()
    env = {
        **os.environ,
        "NEWSDESK_DATABASE_URL": f"sqlite:///{db}",
        "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSDESK_MAX_CONNECTIONS": "4",
        "NEWSDESK_PROCESS_POOL": "false",
        "NEWSDESK_DEFAULT_SOURCES": "false",
        "NEWSDESK_LOG_LEVEL": "ERROR",
    }
    command = [sys.executable, "-m", "newsdesk.cli", "refresh"]
    rng = random.Random(7)
    committed: dict[int, tuple[str, str]] = {}
    killed = 0
    for _ in range(KILLS):
        child = subprocess.Popen(
            command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(rng.uniform(0.2, 1.2))
        if child.poll() is None:
            os.kill(child.pid, signal.SIGKILL)
            killed += 1
        child.wait()
        assert _integrity(db) == "ok"
        now = _snapshot(db)
        assert {k: now.get(k) for k in committed} == committed  # nothing committed was lost
        committed = now
    assert killed >= KILLS // 2, "most refreshes should have been killed mid-way"

    final = subprocess.run(command, env=env, capture_output=True, timeout=120)
    assert final.returncode == 0, final.stderr.decode()[-2000:]
    assert _integrity(db) == "ok"
    after = _snapshot(db)
    assert {k: after[k] for k in committed} == committed
    assert sorted(title for title, _ in after.values()) == sorted(a.title for a in articles)
    with sqlite3.connect(db) as conn:
        entries = conn.execute(
            "SELECT count(*), count(DISTINCT source_id || ' ' || guid) FROM entries"
        )
        assert entries.fetchone() == (len(articles), len(articles))  # each entry exactly once


def _wal_sizes(http_server: FixtureServer, settings: Settings) -> list[int]:
    """WAL size after each of 12 refreshes; a reader pins a snapshot during the first 8."""
    settings = settings.replace(process_pool=False, fetch_articles=False)
    base = http_server.url("").rstrip("/")
    store = open_store(settings.database_url)
    source = store.add_source(http_server.url("/wal.xml"))
    db = Path(settings.database_url.removeprefix("sqlite:///"))
    wal = db.with_name(db.name + "-wal")
    reader = sqlite3.connect(db, isolation_level=None)
    sizes = []
    for round_ in range(12):
        if round_ == 0:
            reader.execute("BEGIN")
            reader.execute("SELECT count(*) FROM articles").fetchone()  # pins the snapshot
        if round_ == 8:
            reader.execute("COMMIT")  # the reader lets go
        batch = [
            SiteArticle(
                5, round_ * 40 + n, f"/w/{round_}/{n}", f"WAL {round_}-{n} " + "x" * 2000, T0
            )
            for n in range(40)
        ]
        feed = feed_xml("WAL", base, batch)
        http_server.route("/wal.xml", feed, content_type="application/rss+xml")
        assert asyncio.run(refresh_all(store, settings, source_ids=[source.id]))[0].error == ""
        sizes.append(wal.stat().st_size if wal.exists() else 0)
    reader.close()
    store.close()
    return sizes


def test_wal_stops_growing_once_a_long_reader_lets_go(
    http_server: FixtureServer, settings: Settings
) -> None:
    sizes = _wal_sizes(http_server, settings)
    assert sizes[7] > sizes[0], f"a pinned reader keeps checkpoints from resetting the WAL: {sizes}"
    assert sizes[-1] <= sizes[8], f"the WAL kept growing after the reader let go: {sizes}"


def test_wal_shrinks_back_once_a_long_reader_lets_go(
    http_server: FixtureServer, settings: Settings
) -> None:
    sizes = _wal_sizes(http_server, settings)
    assert sizes[-1] < max(sizes[:8]) // 2, f"the WAL stayed at its peak: {sizes}"
