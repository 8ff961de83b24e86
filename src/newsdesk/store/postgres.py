"""The PostgreSQL store: a pool of autocommit connections, one transaction per write.

Reads are single statements, each its own snapshot. Writes run in a transaction taken from
the pool and are retried when PostgreSQL picks them as a deadlock or serialization victim; the
locking order in `newsdesk.store.postgres_writes` makes that rare. Several stores, in several
processes or on several machines, may write to one database at once.

`PostgresStore.transaction()` binds one connection and transaction to the current thread or
task: store calls made inside it run there (as savepoints), next to the caller's own SQL on the
yielded connection. That is how a job queue on the same database can enqueue work atomically
with the data it refers to, and `PostgresStore.pool` lets it share the store's connections.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, datetime
from typing import TypeVar

import psycopg
from psycopg import errors
from psycopg.rows import dict_row
from psycopg_pool import ConnectionPool

from newsdesk.models import Article, FetchLog, Source, SourceHealth
from newsdesk.store import postgres_writes
from newsdesk.store.base import FetchOutcome, SavedOutcome, StoreError
from newsdesk.store.paging import before_cursor
from newsdesk.store.postgres_migrations import apply_migrations
from newsdesk.store.postgres_ops import PostgresOps
from newsdesk.store.postgres_reading import PostgresReading
from newsdesk.store.postgres_rows import (
    ARTICLE_COLUMNS,
    Row,
    article_from_row,
    clean_text,
    fetch_log_from_row,
    health_from_row,
    source_from_row,
    utc,
)
from newsdesk.store.postgres_search import text_query
from newsdesk.store.postgres_site import PostgresSite
from newsdesk.store.postgres_stories import PostgresStories
from newsdesk.store.postgres_understanding import PostgresUnderstanding
from newsdesk.store.postgres_users import PostgresUsers
from newsdesk.store.rows import HEALTH_COLUMNS, SOURCE_COLUMNS, optional_time

_T = TypeVar("_T")

Connection = psycopg.Connection[Row]

_ARTICLES_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
_WRITE_ATTEMPTS = 5


class PostgresStore(
    PostgresUsers,
    PostgresUnderstanding,
    PostgresSite,
    PostgresReading,
    PostgresStories,
    PostgresOps,
):
    """The `Store` on one PostgreSQL schema; `newsdesk.store.base.Store` gives each contract.

    `conninfo` is a libpq URL or key=value string; its ``options`` may set ``search_path`` to
    keep the store in a schema of its own.
    """

    def __init__(
        self,
        conninfo: str,
        *,
        max_connections: int = 10,
        connect_timeout: float = 10.0,
        fetch_log_keep: int = 200,
    ) -> None:
        self.fetch_log_keep = fetch_log_keep
        self._closed = False
        self._bound: ContextVar[Connection | None] = ContextVar("newsdesk_store_conn", default=None)
        where = describe_conninfo(conninfo)
        try:
            with psycopg.connect(
                conninfo, autocommit=True, connect_timeout=max(1, round(connect_timeout))
            ) as conn:
                apply_migrations(conn)
        except psycopg.OperationalError as error:
            raise StoreError(f"cannot open the PostgreSQL store at {where}: {error}") from error
        self.pool: ConnectionPool[Connection] = ConnectionPool(
            conninfo,
            connection_class=psycopg.Connection[Row],
            kwargs={"autocommit": True, "row_factory": dict_row},
            min_size=1,
            max_size=max_connections,
            timeout=30.0,
            # A long-running worker outlives server restarts: test each connection handed out.
            check=ConnectionPool.check_connection,
            name=f"newsdesk-store {where}",
            open=False,
        )
        self.pool.open(wait=True, timeout=connect_timeout)

    def close(self) -> None:
        """Close every connection; the store cannot be used afterwards."""
        self._closed = True
        self.pool.close()

    def checkpoint(self) -> None:
        """Nothing to do: PostgreSQL manages its own write-ahead log."""

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction for every store call in the block, on the connection it yields."""
        bound = self._bound.get()
        if bound is not None:
            with bound.transaction():
                yield bound
            return
        with self._connection() as conn, conn.transaction():
            token = self._bound.set(conn)
            try:
                yield conn
            finally:
                self._bound.reset(token)

    @contextmanager
    def _connection(self) -> Iterator[Connection]:
        if self._closed:
            raise StoreError("the store is closed")
        bound = self._bound.get()
        if bound is not None:
            yield bound
            return
        with self.pool.connection() as conn:
            yield conn

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        """Run `work` in a transaction, again if PostgreSQL aborted it to break a deadlock."""
        attempt = 1
        while True:
            try:
                with self._connection() as conn, conn.transaction():
                    return work(conn)
            except (errors.DeadlockDetected, errors.SerializationFailure):
                # Inside a caller's transaction, only the caller can start over.
                if attempt == _WRITE_ATTEMPTS or self._bound.get() is not None:
                    raise
                attempt += 1

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._connection() as conn:
            return conn.execute(sql, params).fetchall()

    # sources

    def add_source(
        self, url: str, *, title: str = "", site_url: str = "", section: str = "", group: str = ""
    ) -> Source:
        """The source with this URL, created (and due now) unless it already exists."""
        if not url.strip():
            raise StoreError("a source needs a URL")
        url = clean_text(url)
        values = (url, clean_text(title), clean_text(site_url), clean_text(section))

        def add(conn: Connection) -> Row | None:
            now = datetime.now(UTC)
            inserted = conn.execute(
                "INSERT INTO sources (url, title, site_url, section, grp, created_at)"
                " VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (url) DO NOTHING RETURNING id",
                (*values, clean_text(group), now),
            ).fetchone()
            if inserted is not None:
                conn.execute(
                    "INSERT INTO source_health (source_id, next_due_at) VALUES (%s, %s)",
                    (inserted["id"], now),
                )
            return conn.execute(
                f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.url = %s", (url,)
            ).fetchone()

        row = self._write(add)
        if row is None:
            raise StoreError(f"source {url!r} was removed while being added; try again")
        return source_from_row(row)

    def move_source(self, source_id: int, url: str) -> bool:
        moved = self._write(
            lambda conn: (
                conn.execute(
                    "UPDATE sources SET url = %s, etag = '', last_modified = '' WHERE id = %s"
                    " AND NOT EXISTS (SELECT 1 FROM sources o WHERE o.url = %s)",
                    (clean_text(url), source_id, clean_text(url)),
                ).rowcount
            )
        )
        return bool(moved == 1)

    def remove_source(self, source_id: int) -> bool:
        """Delete a source and everything only it refers to; False if there was no such source."""
        return self._write(lambda conn: postgres_writes.delete_source(conn, source_id))

    def list_sources(self) -> list[Source]:
        rows = self._rows(f"SELECT {SOURCE_COLUMNS} FROM sources s ORDER BY s.id")
        return [source_from_row(row) for row in rows]

    def source_by_id(self, source_id: int) -> Source | None:
        rows = self._rows(f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.id = %s", (source_id,))
        return source_from_row(rows[0]) if rows else None

    def source_by_url(self, url: str) -> Source | None:
        rows = self._rows(
            f"SELECT {SOURCE_COLUMNS} FROM sources s WHERE s.url = %s", (clean_text(url),)
        )
        return source_from_row(rows[0]) if rows else None

    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]:
        """Sources due at `now`, the longest overdue first."""
        rows = self._rows(
            f"SELECT {SOURCE_COLUMNS} FROM sources s JOIN source_health h"
            " ON h.source_id = s.id WHERE h.next_due_at <= %s"
            " ORDER BY h.next_due_at, s.id LIMIT %s",
            (utc(now), limit),
        )
        return [source_from_row(row) for row in rows]

    def next_due_at(self) -> datetime | None:
        """The earliest time any source is due, or None without sources."""
        rows = self._rows("SELECT min(next_due_at) AS due FROM source_health")
        return optional_time(rows[0]["due"], utc)

    # refresh

    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]:
        """Those of `guids` already stored as entries of this source."""
        if not guids:
            return set()
        wanted = {clean_text(guid): guid for guid in guids}
        rows = self._rows(
            "SELECT guid FROM entries WHERE source_id = %s AND guid = ANY(%s::text[])",
            (source_id, list(wanted)),
        )
        return {wanted[row["guid"]] for row in rows}

    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` already stored as an article's canonical URL."""
        if not urls:
            return set()
        wanted = {clean_text(url): url for url in urls}
        rows = self._rows(
            "SELECT canonical_url FROM articles WHERE canonical_url = ANY(%s::text[])",
            (list(wanted),),
        )
        return {wanted[row["canonical_url"]] for row in rows}

    def save_outcome(self, outcome: FetchOutcome) -> SavedOutcome:
        """Save one refresh in one transaction; StoreError if the source was removed meanwhile."""
        return self._write(
            lambda conn: postgres_writes.save_outcome(conn, outcome, self.fetch_log_keep)
        )

    # health

    def source_health(self, source_id: int) -> SourceHealth | None:
        rows = self._rows(
            f"SELECT {HEALTH_COLUMNS} FROM source_health h WHERE h.source_id = %s", (source_id,)
        )
        return health_from_row(rows[0]) if rows else None

    def all_health(self) -> list[SourceHealth]:
        rows = self._rows(f"SELECT {HEALTH_COLUMNS} FROM source_health h ORDER BY h.source_id")
        return [health_from_row(row) for row in rows]

    def fetch_history(self, source_id: int, limit: int = 50) -> list[FetchLog]:
        """The source's latest fetches, newest first."""
        rows = self._rows(
            "SELECT * FROM fetch_log WHERE source_id = %s ORDER BY id DESC LIMIT %s",
            (source_id, limit),
        )
        return [fetch_log_from_row(row) for row in rows]

    def recent_publish_times(self, source_id: int, limit: int = 50) -> list[datetime]:
        """Publish times (else first-fetch times) of the source's latest articles, newest first."""
        rows = self._rows(
            "SELECT a.sort_time FROM articles a WHERE a.id IN"
            " (SELECT article_id FROM entries WHERE source_id = %s)"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT %s",
            (source_id, limit),
        )
        return [utc(row["sort_time"]) for row in rows]

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
            conditions.append("a.id IN (SELECT article_id FROM entries WHERE source_id = %s)")
            params.append(source_id)
        cursor, cursor_params = before_cursor(before, before_id, "%s", utc)
        conditions.extend(cursor)
        params.extend(cursor_params)
        where = f"WHERE {' AND '.join(conditions)}" if conditions else ""
        rows = self._rows(
            f"SELECT {ARTICLE_COLUMNS} {_ARTICLES_FROM} {where}"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT %s",
            [*params, limit],
        )
        return [article_from_row(row) for row in rows]

    def article_by_id(self, article_id: int) -> Article | None:
        rows = self._rows(
            f"SELECT {ARTICLE_COLUMNS} {_ARTICLES_FROM} WHERE a.id = %s", (article_id,)
        )
        return article_from_row(rows[0]) if rows else None

    def search(self, query: str, limit: int = 50) -> list[Article]:
        """Articles matching every term of `query` in title or text, best match first."""
        match = text_query(query)
        if match is None:
            return []
        # Title words weigh A, text words B; among equal ranks the newest wins.
        rows = self._rows(
            f"SELECT {ARTICLE_COLUMNS} {_ARTICLES_FROM} CROSS JOIN (SELECT {match.sql} AS query) q"
            " WHERE a.search_vector @@ q.query"
            " ORDER BY ts_rank(a.search_vector, q.query) DESC, a.sort_time DESC, a.id DESC"
            " LIMIT %s",
            [*match.params, limit],
        )
        return [article_from_row(row) for row in rows]

    def count_articles(self) -> int:
        return int(self._rows("SELECT count(*) AS n FROM articles")[0]["n"])

    def count_entries(self) -> int:
        return int(self._rows("SELECT count(*) AS n FROM entries")[0]["n"])


def describe_conninfo(conninfo: str) -> str:
    """Where `conninfo` points (user@host:port/dbname), without the password."""
    try:
        parts = psycopg.conninfo.conninfo_to_dict(conninfo)
    except psycopg.ProgrammingError as error:
        raise StoreError(f"not a valid PostgreSQL URL: {error}") from error
    user = f"{parts['user']}@" if parts.get("user") else ""
    host = parts.get("host") or "localhost"
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"{user}{host}{port}/{parts.get('dbname') or ''}"
