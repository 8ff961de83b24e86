"""The ops part of the Store interface (see `newsdesk.store.base.Store`)."""

from __future__ import annotations

from typing import Protocol


class OpsStore(Protocol):
    """Store methods for the ops area; SQLite and PostgreSQL implement each one."""
