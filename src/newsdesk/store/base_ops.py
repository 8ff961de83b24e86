"""The ops part of the Store interface (see `newsdesk.store.base.Store`): moving whole tables,
figures for monitoring, and handing due sources to a job queue."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

# Every table of store data, each after the tables it references, so that copying in this
# order never breaks a foreign key. A new table from a new migration must be added here:
# `OpsStore.store_tables` refuses to go on while the database holds a table this list lacks.
COPY_TABLES: tuple[str, ...] = (
    "sources",
    "source_health",
    "fetch_log",
    "source_stats",
    "articles",
    "entries",
    "stories",
    "story_related",
    "article_places",
    "article_topics",
    "section_corrections",
    "users",
    "user_articles",
    "subscriptions",
    "mutes",
    "app_state",
)

EXPORT_BATCH = 2000


@dataclass(frozen=True)
class TableRows:
    """One batch of a table's rows, values as the store's driver returns them."""

    table: str
    columns: tuple[str, ...]
    rows: list[tuple[object, ...]]


@dataclass(frozen=True)
class OpsFigures:
    """What /metrics reports about the store; `recent_*` cover the last `window_seconds`."""

    sources: int
    sources_failing: int
    sources_due: int
    articles: int
    entries: int
    fetches_total: int
    window_seconds: int
    recent_fetches: int
    recent_errors: int
    recent_not_modified: int
    recent_new_articles: int
    recent_durations_ms: tuple[int, ...]


class OpsStore(Protocol):
    """Store methods for the ops area; SQLite and PostgreSQL implement each one."""

    def store_tables(self) -> tuple[str, ...]:
        """`COPY_TABLES`; StoreError if the database holds a store table not in that list."""
        ...

    def table_counts(self) -> dict[str, int]:
        """Rows per table of `COPY_TABLES`."""
        ...

    def export_rows(self, table: str, batch: int = EXPORT_BATCH) -> Iterator[TableRows]:
        """Every row of `table` (generated columns left out) in batches, ordered by key."""
        ...

    def import_rows(self, batch: TableRows) -> int:
        """Insert one exported batch, keeping ids; rows from either dialect are converted."""
        ...

    def finish_import(self) -> None:
        """After `import_rows`: make new ids start above the copied ones."""
        ...

    def ops_figures(self, now: datetime, window_seconds: int = 3600) -> OpsFigures: ...

    def queue_jobs_by_status(self) -> dict[str, int]:
        """Jobs of the PostgreSQL job queue per status; {} where there is no queue."""
        ...

    def ensure_queue_schema(self, schema_sql: str) -> bool:
        """Install the job queue's tables unless present; True if installed now."""
        ...

    def claim_due_sources(
        self, now: datetime, lease_seconds: int, limit: int | None = None
    ) -> list[int]:
        """Ids of due sources, the longest overdue first, each made due again only after the
        lease: whoever claims a source must refresh it (saving its next due time) meanwhile."""
        ...


def checked_tables(present: Iterable[str]) -> tuple[str, ...]:
    """`COPY_TABLES`, or StoreError naming the tables of `present` this module does not know."""
    from newsdesk.store.base import StoreError

    unknown = sorted(set(present) - set(COPY_TABLES))
    if unknown:
        raise StoreError(f"tables unknown to the store copy: {', '.join(unknown)}")
    return COPY_TABLES


def columns_sql(columns: Sequence[str]) -> str:
    """A column list, each name quoted."""
    return ", ".join(f'"{c}"' for c in columns)
