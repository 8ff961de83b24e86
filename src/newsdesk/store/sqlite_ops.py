"""The ops part of the SQLite store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import datetime, timedelta

from newsdesk.store.base_ops import (
    EXPORT_BATCH,
    OpsFigures,
    TableRows,
    checked_tables,
    columns_sql,
)
from newsdesk.store.rows import time_to_text
from newsdesk.store.sqlite_access import SQLiteAccess


class SQLiteOps(SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_ops.OpsStore`."""

    def store_tables(self) -> tuple[str, ...]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
                " AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'articles_fts%'"
            ).fetchall()
        return checked_tables(row[0] for row in rows)

    def table_counts(self) -> dict[str, int]:
        tables = self.store_tables()
        with self._reading() as db:
            return {t: int(db.execute(f"SELECT count(*) FROM {t}").fetchone()[0]) for t in tables}

    def export_rows(self, table: str, batch: int = EXPORT_BATCH) -> Iterator[TableRows]:
        if table not in self.store_tables():
            raise ValueError(f"not a store table: {table!r}")
        with self._reading() as db:
            columns = tuple(row[1] for row in db.execute(f"PRAGMA table_info({table})"))
            cursor = db.execute(f"SELECT {columns_sql(columns)} FROM {table} ORDER BY rowid")
            while rows := cursor.fetchmany(batch):
                yield TableRows(table, columns, [tuple(row) for row in rows])

    def import_rows(self, batch: TableRows) -> int:
        if batch.table not in self.store_tables():
            raise ValueError(f"not a store table: {batch.table!r}")
        marks = ", ".join("?" for _ in batch.columns)
        sql = f"INSERT INTO {batch.table} ({columns_sql(batch.columns)}) VALUES ({marks})"
        with self._writing() as db:
            db.executemany(sql, ([_to_sqlite(v) for v in row] for row in batch.rows))
        return len(batch.rows)

    def finish_import(self) -> None:
        """Index the copied articles for search (saves index their batch themselves, and no
        trigger indexes an insert); an INTEGER PRIMARY KEY continues above the largest id."""
        with self._writing() as db:
            db.execute("INSERT INTO articles_fts(articles_fts) VALUES ('rebuild')")

    def ops_figures(self, now: datetime, window_seconds: int = 3600) -> OpsFigures:
        since = time_to_text(now - timedelta(seconds=window_seconds))
        with self._reading() as db:
            counts = db.execute(
                "SELECT (SELECT count(*) FROM sources),"
                " (SELECT count(*) FROM source_health WHERE consecutive_failures > 0),"
                " (SELECT count(*) FROM source_health WHERE next_due_at <= ?),"
                " (SELECT count(*) FROM articles), (SELECT count(*) FROM entries),"
                " (SELECT coalesce(max(id), 0) FROM fetch_log)",
                (time_to_text(now),),
            ).fetchone()
            recent = db.execute(
                "SELECT count(*), coalesce(sum(error != ''), 0), coalesce(sum(status = 304), 0),"
                " coalesce(sum(new_articles), 0) FROM fetch_log WHERE fetched_at >= ?",
                (since,),
            ).fetchone()
            durations = db.execute(
                "SELECT duration_ms FROM fetch_log WHERE fetched_at >= ? ORDER BY duration_ms",
                (since,),
            ).fetchall()
        return _figures(
            [int(v) for v in counts], window_seconds, [int(v) for v in recent], durations
        )

    def queue_jobs_by_status(self) -> dict[str, int]:
        return {}

    def ensure_queue_schema(self, schema_sql: str) -> bool:
        from newsdesk.store.base import StoreError

        raise StoreError("the job queue needs the PostgreSQL store, not SQLite")

    def claim_due_sources(
        self, now: datetime, lease_seconds: int, limit: int | None = None
    ) -> list[int]:
        with self._writing() as db:
            rows = db.execute(
                "SELECT source_id FROM source_health WHERE next_due_at <= ?"
                " ORDER BY next_due_at, source_id LIMIT ?",
                (time_to_text(now), -1 if limit is None else limit),
            ).fetchall()
            ids = [int(row[0]) for row in rows]
            db.executemany(
                "UPDATE source_health SET next_due_at = ? WHERE source_id = ?",
                [(time_to_text(now + timedelta(seconds=lease_seconds)), i) for i in ids],
            )
        return ids


def _figures(
    counts: list[int], window: int, recent: list[int], durations: list[sqlite3.Row]
) -> OpsFigures:
    sources, failing, due, articles, entries, fetches = counts
    fetched, errors, not_modified, new_articles = recent
    return OpsFigures(
        sources=sources,
        sources_failing=failing,
        sources_due=due,
        articles=articles,
        entries=entries,
        fetches_total=fetches,
        window_seconds=window,
        recent_fetches=fetched,
        recent_errors=errors,
        recent_not_modified=not_modified,
        recent_new_articles=new_articles,
        recent_durations_ms=tuple(int(row[0]) for row in durations),
    )


def _to_sqlite(value: object) -> object:
    """A value exported by either store, as the SQLite schema keeps it."""
    if isinstance(value, datetime):
        return time_to_text(value)
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return int(value)
    return value
