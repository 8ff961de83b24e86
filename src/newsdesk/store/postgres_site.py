"""The site part of the PostgreSQL store."""

from __future__ import annotations

from newsdesk.store.postgres_access import PostgresAccess


class PostgresSite(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_site.SiteStore`."""
