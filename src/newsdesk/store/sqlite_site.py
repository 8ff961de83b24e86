"""The site part of the SQLite store."""

from __future__ import annotations

from newsdesk.store.sqlite_access import SQLiteAccess


class SQLiteSite(SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_site.SiteStore`."""
