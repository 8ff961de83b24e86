"""The understanding part of the Store interface (see `newsdesk.store.base.Store`)."""

from __future__ import annotations

from typing import Protocol


class UnderstandingStore(Protocol):
    """Store methods for the understanding area; SQLite and PostgreSQL implement each one."""
