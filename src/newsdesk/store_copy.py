"""Move a whole store from one database to another (SQLite to PostgreSQL, or either way), ids
kept, and compare two stores table by table.

The target must be empty: a copy is a move, not a merge. Tables go parents first (see
`newsdesk.store.base_ops.COPY_TABLES`), each in batches, so memory stays flat on a large store;
the target's id sequences are moved past the copied ids at the end. Search indexes: SQLite's
FTS5 table is rebuilt once every row is in (`finish_import`), PostgreSQL's generated
``tsvector`` column follows on its own.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from newsdesk.store import open_store
from newsdesk.store.base import Store, StoreError


class CopyError(StoreError):
    """The copy was refused (e.g. the target store is not empty)."""


@dataclass(frozen=True)
class TableCheck:
    table: str
    source: int
    target: int

    @property
    def matches(self) -> bool:
        return self.source == self.target


def copy_store(
    source_url: str,
    target_url: str,
    *,
    progress: Callable[[str, int], None] | None = None,
) -> dict[str, int]:
    """Copy every table from the store at `source_url` into the empty one at `target_url`;
    rows copied per table."""
    if source_url == target_url:
        raise CopyError("the source and target stores are the same")
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:
            return copy_between(source, target, progress=progress)
        finally:
            target.close()
    finally:
        source.close()


def copy_between(
    source: Store, target: Store, *, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """`copy_store` on two open stores."""
    tables = source.store_tables()
    filled = {table: n for table, n in target.table_counts().items() if n}
    if filled:
        listed = ", ".join(f"{t} ({n} rows)" for t, n in filled.items())
        raise CopyError(f"the target store is not empty: {listed}")
    copied: dict[str, int] = {}
    for table in tables:
        copied[table] = 0
        for batch in source.export_rows(table):
            copied[table] += target.import_rows(batch)
        if progress is not None:
            progress(table, copied[table])
    target.finish_import()
    return copied


def compare_stores(source_url: str, target_url: str) -> list[TableCheck]:
    """Row counts of every table in both stores."""
    source = open_store(source_url)
    try:
        target = open_store(target_url)
        try:
            return compare_between(source, target)
        finally:
            target.close()
    finally:
        source.close()


def compare_between(source: Store, target: Store) -> list[TableCheck]:
    """`compare_stores` on two open stores."""
    ours, theirs = source.table_counts(), target.table_counts()
    return [TableCheck(t, ours.get(t, 0), theirs.get(t, 0)) for t in sorted({*ours, *theirs})]
