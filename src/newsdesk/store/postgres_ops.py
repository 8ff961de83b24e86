"""The ops part of the PostgreSQL store."""

from __future__ import annotations

from newsdesk.store.postgres_access import PostgresAccess


class PostgresOps(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_ops.OpsStore`."""
