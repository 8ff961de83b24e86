"""Apply the PostgreSQL side of `newsdesk.store.migrations.MIGRATIONS`.

The version lives in a one-row ``schema_version`` table of the store's schema (the first schema
on the connection's ``search_path``). Each migration runs in its own transaction under a
transaction-level advisory lock on that schema, so processes starting together migrate once.
"""

from __future__ import annotations

from typing import Any

import psycopg

from newsdesk.store.migrations import MIGRATIONS

# The first key of every advisory lock newsdesk takes; the second is a hash of what is locked.
LOCK_NAMESPACE = 0x6E657773  # "news"

_CREATE_VERSION_TABLE = """
    CREATE TABLE IF NOT EXISTS schema_version (
        only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
        version INTEGER NOT NULL
    )
"""


def schema_version(conn: psycopg.Connection[Any]) -> int:
    """The migration count recorded in the store's schema; 0 for an empty schema."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if exists is None or not _first(exists):
        return 0
    row = conn.execute("SELECT version FROM schema_version").fetchone()
    return 0 if row is None else int(_first(row))


def apply_migrations(conn: psycopg.Connection[Any]) -> int:
    """Bring the schema up to date; return the new version. `conn` must not be in a transaction."""
    for number, migration in enumerate(MIGRATIONS, start=1):
        with conn.transaction():
            # Lock before re-reading the version: another process may be migrating too.
            conn.execute(
                "SELECT pg_advisory_xact_lock(%s, hashtext('migrations:' || current_schema()))",
                (LOCK_NAMESPACE,),
            )
            conn.execute(_CREATE_VERSION_TABLE)
            if schema_version(conn) < number:
                conn.execute(migration.postgresql)
                conn.execute(
                    "INSERT INTO schema_version (version) VALUES (%s)"
                    " ON CONFLICT (only_row) DO UPDATE SET version = excluded.version",
                    (number,),
                )
    return schema_version(conn)


def _first(row: Any) -> Any:
    """The first column of a row, whether the connection makes tuples or dicts."""
    return next(iter(row.values())) if isinstance(row, dict) else row[0]
