"""The reading part of the Store interface (see `newsdesk.store.base.Store`)."""

from __future__ import annotations

from typing import Protocol


class ReadingStore(Protocol):
    """Store methods for the reading area; SQLite and PostgreSQL implement each one."""
