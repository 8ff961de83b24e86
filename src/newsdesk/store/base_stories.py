"""The stories part of the Store interface (see `newsdesk.store.base.Store`)."""

from __future__ import annotations

from typing import Protocol


class StoriesStore(Protocol):
    """Store methods for the stories area; SQLite and PostgreSQL implement each one."""
