"""What SQLite store mixins may use of `SQLiteStore`: a write transaction and a reader."""

from __future__ import annotations

import sqlite3
from contextlib import AbstractContextManager


class SQLiteAccess:
    """Base of every SQLite mixin; `SQLiteStore` provides the two connections."""

    def _writing(self) -> AbstractContextManager[sqlite3.Connection]:
        """One BEGIN IMMEDIATE transaction on the single writer connection."""
        raise NotImplementedError

    def _reading(self) -> AbstractContextManager[sqlite3.Connection]:
        """This thread's read-only connection."""
        raise NotImplementedError
