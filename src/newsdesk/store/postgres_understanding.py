"""The understanding part of the PostgreSQL store."""

from __future__ import annotations

from newsdesk.store.postgres_access import PostgresAccess


class PostgresUnderstanding(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_understanding.UnderstandingStore`."""
