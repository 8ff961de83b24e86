"""The ops part of the PostgreSQL store."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager
from datetime import datetime, timedelta

from psycopg.types.json import Jsonb

from newsdesk.store.base_ops import (
    EXPORT_BATCH,
    OpsFigures,
    TableRows,
    checked_tables,
    columns_sql,
)
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_migrations import LOCK_NAMESPACE

_QUEUE_TABLE = "procrastinate_jobs"


class PostgresOps(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_ops.OpsStore`."""

    def transaction(self) -> AbstractContextManager[Connection]:
        """Provided by `PostgresStore`: one transaction bound to this thread or task."""
        raise NotImplementedError

    def store_tables(self) -> tuple[str, ...]:
        rows = self._rows(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
            " AND tablename <> 'schema_version' AND tablename NOT LIKE 'procrastinate%%'"
        )
        return checked_tables(row["tablename"] for row in rows)

    def table_counts(self) -> dict[str, int]:
        tables = self.store_tables()
        union = " UNION ALL ".join(f"SELECT '{t}' AS t, count(*) AS n FROM {t}" for t in tables)
        return {row["t"]: int(row["n"]) for row in self._rows(union)}

    def _copy_columns(self, table: str) -> tuple[str, ...]:
        if table not in self.store_tables():
            raise ValueError(f"not a store table: {table!r}")
        rows = self._rows(
            "SELECT column_name FROM information_schema.columns WHERE table_schema ="
            " current_schema() AND table_name = %s AND is_generated = 'NEVER'"
            " ORDER BY ordinal_position",
            (table,),
        )
        return tuple(row["column_name"] for row in rows)

    def export_rows(self, table: str, batch: int = EXPORT_BATCH) -> Iterator[TableRows]:
        columns = self._copy_columns(table)
        with self.transaction() as conn, conn.cursor(name=f"export_{table}") as cursor:
            cursor.execute(f"SELECT {columns_sql(columns)} FROM {table}".encode())
            while rows := cursor.fetchmany(batch):
                yield TableRows(table, columns, [tuple(row[c] for c in columns) for row in rows])

    def import_rows(self, batch: TableRows) -> int:
        wanted = set(self._copy_columns(batch.table))
        keep = [i for i, c in enumerate(batch.columns) if c in wanted]
        columns = columns_sql([batch.columns[i] for i in keep])

        def copy(conn: Connection) -> int:
            statement = f"COPY {batch.table} ({columns}) FROM STDIN".encode()
            with conn.cursor().copy(statement) as copying:
                for row in batch.rows:
                    copying.write_row([_to_postgres(row[i]) for i in keep])
            return len(batch.rows)

        return self._write(copy)

    def finish_import(self) -> None:
        identities = self._rows(
            "SELECT table_name, column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND is_identity = 'YES'"
        )

        def reset(conn: Connection) -> None:
            for row in identities:
                table, column = row["table_name"], row["column_name"]
                conn.execute(
                    f'SELECT setval(pg_get_serial_sequence(%s, %s), coalesce(max("{column}"), 0)'
                    f" + 1, false) FROM {table}".encode(),
                    (table, column),
                )

        self._write(reset)

    def ops_figures(self, now: datetime, window_seconds: int = 3600) -> OpsFigures:
        since = now - timedelta(seconds=window_seconds)
        counts = self._rows(
            "SELECT (SELECT count(*) FROM sources) AS a,"
            " (SELECT count(*) FROM source_health WHERE consecutive_failures > 0) AS b,"
            " (SELECT count(*) FROM source_health WHERE next_due_at <= %s) AS c,"
            " (SELECT count(*) FROM articles) AS d, (SELECT count(*) FROM entries) AS e,"
            " (SELECT coalesce(max(id), 0) FROM fetch_log) AS f",
            (now,),
        )[0]
        recent = self._rows(
            "SELECT count(*) AS a, count(*) FILTER (WHERE error <> '') AS b,"
            " count(*) FILTER (WHERE status = 304) AS c, coalesce(sum(new_articles), 0) AS d"
            " FROM fetch_log WHERE fetched_at >= %s",
            (since,),
        )[0]
        durations = self._rows(
            "SELECT duration_ms FROM fetch_log WHERE fetched_at >= %s ORDER BY duration_ms",
            (since,),
        )
        c, r = [int(v) for v in counts.values()], [int(v) for v in recent.values()]
        return OpsFigures(
            sources=c[0],
            sources_failing=c[1],
            sources_due=c[2],
            articles=c[3],
            entries=c[4],
            fetches_total=c[5],
            window_seconds=window_seconds,
            recent_fetches=r[0],
            recent_errors=r[1],
            recent_not_modified=r[2],
            recent_new_articles=r[3],
            recent_durations_ms=tuple(int(row["duration_ms"]) for row in durations),
        )

    def queue_jobs_by_status(self) -> dict[str, int]:
        if not self._has_queue():
            return {}
        rows = self._rows(
            f"SELECT status::text AS status, count(*) AS n FROM {_QUEUE_TABLE} GROUP BY status"
        )
        return {row["status"]: int(row["n"]) for row in rows}

    def _has_queue(self) -> bool:
        rows = self._rows("SELECT to_regclass(%s) IS NOT NULL AS present", (_QUEUE_TABLE,))
        return bool(rows[0]["present"])

    def ensure_queue_schema(self, schema_sql: str) -> bool:
        def install(conn: Connection) -> bool:
            # Workers starting together: one installs, the others wait here and find it done.
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext('queue:' || current_schema()))",
                (LOCK_NAMESPACE,),
            )
            row = conn.execute("SELECT to_regclass(%s) IS NULL AS absent", (_QUEUE_TABLE,))
            if not bool(row.fetchone()["absent"]):  # type: ignore[index]
                return False
            conn.execute(schema_sql.encode())
            return True

        return self._write(install)

    def claim_due_sources(
        self, now: datetime, lease_seconds: int, limit: int | None = None
    ) -> list[int]:
        rows = self._write(
            lambda conn: conn.execute(
                "WITH due AS (SELECT source_id, next_due_at FROM source_health"
                " WHERE next_due_at <= %s ORDER BY next_due_at, source_id LIMIT %s"
                " FOR UPDATE SKIP LOCKED),"
                " leased AS (UPDATE source_health h SET next_due_at = %s FROM due"
                " WHERE h.source_id = due.source_id)"
                " SELECT source_id FROM due ORDER BY next_due_at, source_id",
                (now, limit, now + timedelta(seconds=lease_seconds)),
            ).fetchall()
        )
        return [int(row["source_id"]) for row in rows]


def _to_postgres(value: object) -> object:
    """A value exported by either store, as COPY takes it: SQLite's text times and JSON text
    and 0/1 booleans are parsed by PostgreSQL itself."""
    if isinstance(value, dict | list):
        return Jsonb(value)
    return value
