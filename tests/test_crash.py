"""A `kill -9` mid-refresh loses nothing committed, and a restart duplicates nothing."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from fixture_server import FixtureServer
from newsdesk.store import open_store
from sitegen import publish_site


def _count(db: Path) -> int:
    if not db.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as conn:
            return int(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    except sqlite3.OperationalError:  # schema not created yet
        return 0


def _refresh(env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "newsdesk.cli", "refresh"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_kill_9_mid_refresh_then_restart(http_server: FixtureServer, tmp_path: Path) -> None:
    feeds, articles = publish_site(http_server, feeds=12, per_feed=5, page_delay=0.1)
    db = tmp_path / "crash.db"
    store = open_store(f"sqlite:///{db}")
    for url in feeds:
        store.add_source(url)
    store.close()
    env = {
        **os.environ,
        "NEWSDESK_DATABASE_URL": f"sqlite:///{db}",
        "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "true",
        "NEWSDESK_MAX_CONNECTIONS": "2",
        "NEWSDESK_LOG_LEVEL": "WARNING",
    }

    first = _refresh(env)
    deadline = time.monotonic() + 60
    while _count(db) < 10 and first.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert first.poll() is None, "the refresh finished before it could be killed"
    os.kill(first.pid, signal.SIGKILL)
    first.wait()

    store = open_store(f"sqlite:///{db}")
    before = {a.id: (a.title, a.canonical_url) for a in store.latest_articles(1000)}
    store.close()
    assert 10 <= len(before) < len(articles)

    second = _refresh(env)
    _, err = second.communicate(timeout=120)
    assert second.returncode == 0, err.decode()

    store = open_store(f"sqlite:///{db}")
    after = {a.id: (a.title, a.canonical_url) for a in store.latest_articles(1000)}
    assert {k: after[k] for k in before} == before  # nothing committed was lost
    assert sorted(t for t, _ in after.values()) == sorted(a.title for a in articles)
    assert store.count_entries() == len(articles)
    store.close()
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
