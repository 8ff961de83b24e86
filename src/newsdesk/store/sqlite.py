"""The SQLite store: one locked writer connection, one reader connection per thread.

Every write method is one short ``BEGIN IMMEDIATE`` transaction on the writer, so writes from
threads and from the event loop are serialized here, and writes from other processes (another
store on the same file) wait for SQLite's lock up to the busy timeout. WAL mode lets the
per-thread readers run alongside the writer. Methods are quick and blocking: asyncio code may
call them directly.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TypeVar

from newsdesk.models import Article, FetchLog, Source, SourceHealth
from newsdesk.store import sqlite_writes
from newsdesk.store.base import FetchOutcome, SavedOutcome, StoreError
from newsdesk.store.migrations import apply_migrations
from newsdesk.store.paging import before_cursor
from newsdesk.store.rows import (
    ARTICLE_COLUMNS,
    HEALTH_COLUMNS,
    SOURCE_COLUMNS,
    article_from_row,
    fetch_log_from_row,
    health_from_row,
    optional_time,
    source_from_row,
    text_to_time,
    time_to_text,
)
from newsdesk.store.sqlite_ops import SQLiteOps
from newsdesk.store.sqlite_reading import SQLiteReading
from newsdesk.store.sqlite_search import fts5_query
from newsdesk.store.sqlite_site import SQLiteSite
from newsdesk.store.sqlite_stories import SQLiteStories
from newsdesk.store.sqlite_understanding import SQLiteUnderstanding
from newsdesk.store.sqlite_users import SQLiteUsers

_T = TypeVar("_T")

# Stay well below SQLite's bound-parameter limit in IN (...) lists.
_CHUNK = 500

_ARTICLES_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
JOURNAL_SIZE_LIMIT = 16 * 2**20


class _Connection(sqlite3.Connection):
    """A connection that can be weakly referenced (the C type cannot)."""


class SQLiteStore(
    SQLiteUsers, SQLiteUnderstanding, SQLiteSite, SQLiteReading, SQLiteStories, SQLiteOps
):
    """The `Store` on one SQLite file; `newsdesk.store.base.Store` gives each method's contract."""

    def __init__(
        self, path: str | Path, *, busy_timeout: float = 30.0, fetch_log_keep: int = 200
    ) -> None:
        self.path = Path(path)
        self.fetch_log_keep = fetch_log_keep
        self._busy_timeout = busy_timeout
        self._closed = False
        self._write_lock = threading.Lock()
        self._local = threading.local()
        # Weak, so a finished thread's reader is closed when its thread-local goes away.
        self._readers: weakref.WeakSet[sqlite3.Connection] = weakref.WeakSet()
        self._readers_lock = threading.Lock()
        self._writer = self._connect()
        self._writer.execute("PRAGMA journal_mode = WAL")
        # When a checkpoint resets the WAL, cut the file back instead of keeping its peak size.
        self._writer.execute(f"PRAGMA journal_size_limit = {JOURNAL_SIZE_LIMIT:d}")
        with self._write_lock:
            apply_migrations(self._writer)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path,
            timeout=self._busy_timeout,
            isolation_level=None,
            check_same_thread=False,
            factory=_Connection,
        )
        db.row_factory = sqlite3.Row
        db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000):d}")
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
        return db

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        self._closed = True
        with self._write_lock:
            self._writer.close()
        with self._readers_lock:
            readers = list(self._readers)
            self._readers.clear()
        for reader in readers:
            reader.close()

    def checkpoint(self) -> None:
        """Copy the WAL into the database and truncate it, unless a reader still needs it.

        Never waits: a reader holding an old snapshot makes this a no-op until a later call,
        so a long-lived reader can delay the shrink but cannot stall refreshes.
        """
        with self._write_lock:
            if self._closed:
                raise StoreError("the store is closed")
            db = self._writer
            db.execute("PRAGMA busy_timeout = 0")
            try:
                db.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                db.execute(f"PRAGMA busy_timeout = {int(self._busy_timeout * 1000):d}")

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        with self._write_lock:
            if self._closed:
                raise StoreError("the store is closed")
            db = self._writer
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise

    @contextmanager
    def _reading(self) -> Iterator[sqlite3.Connection]:
        if self._closed:
            raise StoreError("the store is closed")
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = self._connect()
            db.execute("PRAGMA query_only = ON")
            self._local.db = db
            with self._readers_lock:
                self._readers.add(db)
        # One read transaction per method, so its queries see a single snapshot.
        db.execute("BEGIN")
        try:
            yield db
        finally:
            db.execute("ROLLBACK")

    # sources

    def add_source(
        self, url: str, *, title: str = "", site_url: str = "", section: str = "", group: str = ""
    ) -> Source:
        """The source with this URL, created (and due now) unless it already exists."""
        if not url.strip():
            raise StoreError("a source needs a URL")
        select = f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.url = ?"
        with self._writing() as db:
            row = db.execute(select, (url,)).fetchone()
            if row is None:
                now = time_to_text(datetime.now(UTC))
                source_id = db.execute(
                    "INSERT INTO sources (url, title, site_url, section, grp, created_at)"
                    " VALUES (?, ?, ?, ?, ?, ?)",
                    (url, title, site_url, section, group, now),
                ).lastrowid
                db.execute(
                    "INSERT INTO source_health (source_id, next_due_at) VALUES (?, ?)",
                    (source_id, now),
                )
                row = db.execute(select, (url,)).fetchone()
        return source_from_row(row)

    def move_source(self, source_id: int, url: str) -> bool:
        with self._writing() as db:
            moved = db.execute(
                "UPDATE sources SET url = ?, etag = '', last_modified = '' WHERE id = ?"
                " AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.url = ?)",
                (url, source_id, url),
            )
            return moved.rowcount == 1

    def remove_source(self, source_id: int) -> bool:
        """Delete a source and everything only it refers to; False if there was no such source."""
        with self._writing() as db:
            return sqlite_writes.delete_source(db, source_id)

    def list_sources(self) -> list[Source]:
        with self._reading() as db:
            rows = db.execute(f"SELECT {SOURCE_COLUMNS} FROM sources s ORDER BY s.id").fetchall()
        return [source_from_row(row) for row in rows]

    def source_by_id(self, source_id: int) -> Source | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.id = ?", (source_id,)
            ).fetchone()
        return None if row is None else source_from_row(row)

    def source_by_url(self, url: str) -> Source | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.url = ?", (url,)
            ).fetchone()
        return None if row is None else source_from_row(row)

    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]:
        """Sources due at `now`, the longest overdue first."""
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {SOURCE_COLUMNS} FROM sources s JOIN source_health h"
                " ON h.source_id = s.id WHERE h.next_due_at <= ?"
                " ORDER BY h.next_due_at, s.id LIMIT ?",
                (time_to_text(now), -1 if limit is None else limit),
            ).fetchall()
        return [source_from_row(row) for row in rows]

    def next_due_at(self) -> datetime | None:
        """The earliest time any source is due, or None without sources."""
        with self._reading() as db:
            row = db.execute("SELECT min(next_due_at) FROM source_health").fetchone()
        return optional_time(row[0])

    # refresh

    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]:
        """Those of `guids` already stored as entries of this source."""
        found: set[str] = set()
        with self._reading() as db:
            for chunk in _chunks(list(dict.fromkeys(guids))):
                rows = db.execute(
                    f"SELECT guid FROM entries WHERE source_id = ? AND guid IN ({_marks(chunk)})",
                    (source_id, *chunk),
                ).fetchall()
                found.update(row[0] for row in rows)
        return found

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` already stored as an article's canonical URL."""
        found: set[str] = set()
        with self._reading() as db:
            for chunk in _chunks(list(dict.fromkeys(urls))):
                rows = db.execute(
                    f"SELECT canonical_url FROM articles WHERE canonical_url IN ({_marks(chunk)})",
                    chunk,
                ).fetchall()
                found.update(row[0] for row in rows)
        return found

    def save_outcome(self, outcome: FetchOutcome) -> SavedOutcome:
        """Save one refresh in one transaction; StoreError if the source was removed meanwhile."""
        with self._writing() as db:
            return sqlite_writes.save_outcome(db, outcome, self.fetch_log_keep)

    # health

    def source_health(self, source_id: int) -> SourceHealth | None:
        with self._reading() as db:
            row = db.execute(
                f"SELECT {HEALTH_COLUMNS} FROM source_health h WHERE h.source_id = ?",
                (source_id,),
            ).fetchone()
        return None if row is None else health_from_row(row)

    def all_health(self) -> list[SourceHealth]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {HEALTH_COLUMNS} FROM source_health h ORDER BY h.source_id"
            ).fetchall()
        return [health_from_row(row) for row in rows]

    def fetch_history(self, source_id: int, limit: int = 50) -> list[FetchLog]:
        """The source's latest fetches, newest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT * FROM fetch_log WHERE source_id = ? ORDER BY id DESC LIMIT ?",
                (source_id, limit),
            ).fetchall()
        return [fetch_log_from_row(row) for row in rows]

    def recent_publish_times(self, source_id: int, limit: int = 50) -> list[datetime]:
        """Publish times (else first-fetch times) of the source's latest articles, newest first."""
        with self._reading() as db:
            rows = db.execute(
                "SELECT a.sort_time FROM articles a WHERE a.id IN"
                " (SELECT article_id FROM entries WHERE source_id = ?)"
                " ORDER BY a.sort_time DESC, a.id DESC LIMIT ?",
                (source_id, limit),
            ).fetchall()
        return [text_to_time(row[0]) for row in rows]

    # articles

    def latest_articles(
        self,
        limit: int = 50,
        *,
        source_id: int | None = None,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Newest first; `before` (with `before_id` to break ties) continues a previous page."""
        conditions: list[str] = []
        params: list[object] = []
        if source_id is not None:
            conditions.append("a.id IN (SELECT article_id FROM entries WHERE source_id = ?)")
            params.append(source_id)
        cursor, cursor_params = before_cursor(before, before_id, "?", time_to_text)
        conditions.extend(cursor)
        params.extend(cursor_params)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        sql = (
            f"SELECT {ARTICLE_COLUMNS} {_ARTICLES_FROM} {where}"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT ?"
        )
        with self._reading() as db:
            return _articles(db, sql, [*params, limit])

    def article_by_id(self, article_id: int) -> Article | None:
        sql = f"SELECT {ARTICLE_COLUMNS} {_ARTICLES_FROM} WHERE a.id = ?"
        with self._reading() as db:
            found = _articles(db, sql, [article_id])
        return found[0] if found else None

    def search(self, query: str, limit: int = 50) -> list[Article]:
        """Articles matching every term of `query` in title or text, best match first."""
        match = fts5_query(query)
        if not match:
            return []
        # A title hit weighs more than a text hit; among equal scores the newest wins.
        sql = (
            f"SELECT {ARTICLE_COLUMNS} FROM articles_fts"
            " JOIN articles a ON a.id = articles_fts.rowid JOIN sources s ON s.id = a.source_id"
            " WHERE articles_fts MATCH ?"
            " ORDER BY bm25(articles_fts, 5.0, 1.0), a.sort_time DESC, a.id DESC LIMIT ?"
        )
        with self._reading() as db:
            return _articles(db, sql, [match, limit])

    def count_articles(self) -> int:
        with self._reading() as db:
            count: int = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        return count

    def count_entries(self) -> int:
        with self._reading() as db:
            count: int = db.execute("SELECT count(*) FROM entries").fetchone()[0]
        return count


def _articles(db: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Article]:
    rows = db.execute(sql, params).fetchall()
    entry_ids: dict[int, list[int]] = {row["id"]: [] for row in rows}
    for chunk in _chunks(list(entry_ids)):
        for article_id, entry_id in db.execute(
            f"SELECT article_id, id FROM entries WHERE article_id IN ({_marks(chunk)}) ORDER BY id",
            chunk,
        ):
            entry_ids[article_id].append(entry_id)
    return [article_from_row(row, entry_ids[row["id"]]) for row in rows]


def _chunks(items: list[_T]) -> Iterator[list[_T]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _marks(chunk: Sequence[object]) -> str:
    return ", ".join("?" * len(chunk))
