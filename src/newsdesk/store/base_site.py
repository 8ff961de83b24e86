"""The site part of the Store interface (see `newsdesk.store.base.Store`)."""

from __future__ import annotations

from typing import Protocol


class SiteStore(Protocol):
    """Store methods for the site area; SQLite and PostgreSQL implement each one."""
