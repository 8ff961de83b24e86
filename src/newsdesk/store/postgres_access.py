"""What PostgreSQL store mixins may use of `PostgresStore`: a retried write and a read."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

import psycopg

from newsdesk.store.postgres_rows import Row

_T = TypeVar("_T")
Connection = psycopg.Connection[Row]


class PostgresAccess:
    """Base of every PostgreSQL mixin; `PostgresStore` provides the connections."""

    def _write(self, work: Callable[[Connection], _T]) -> _T:
        """Run `work` in one transaction, retried on deadlock or serialization failure."""
        raise NotImplementedError

    def _rows(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        """The rows of one read-only statement."""
        raise NotImplementedError
