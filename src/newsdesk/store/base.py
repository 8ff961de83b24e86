"""The Store interface. Every backend (SQLite now, PostgreSQL later) implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsdesk.models import Article, FetchLog, NewArticle, Source, SourceHealth


class StoreError(Exception):
    """A store operation was refused (bad input, constraint) with a message fit for users."""


@dataclass(frozen=True)
class FetchOutcome:
    """Everything one refresh of one source learned, saved in a single transaction.

    Saving the validators (etag, last_modified) together with the articles is what makes a crash
    safe: a conditional GET can never skip entries that were not committed.
    A field left as None keeps the stored value.
    """

    source_id: int
    fetched_at: datetime
    status: int | None
    error: str
    failed: bool
    entries_seen: int
    duration_ms: int
    interval_seconds: int
    next_due_at: datetime
    articles: tuple[NewArticle, ...] = ()
    etag: str | None = None
    last_modified: str | None = None
    title: str | None = None
    site_url: str | None = None


@dataclass(frozen=True)
class SavedOutcome:
    new_article_ids: tuple[int, ...]
    new_entries: int


class Store(Protocol):
    def close(self) -> None: ...

    # sources
    def add_source(
        self, url: str, *, title: str = "", site_url: str = "", section: str = "", group: str = ""
    ) -> Source: ...
    def remove_source(self, source_id: int) -> bool: ...
    def list_sources(self) -> list[Source]: ...
    def source_by_id(self, source_id: int) -> Source | None: ...
    def source_by_url(self, url: str) -> Source | None: ...
    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]: ...
    def next_due_at(self) -> datetime | None: ...

    # refresh
    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]: ...
    def known_urls(self, urls: Sequence[str]) -> set[str]: ...
    def save_outcome(self, outcome: FetchOutcome) -> SavedOutcome: ...

    # health
    def source_health(self, source_id: int) -> SourceHealth | None: ...
    def all_health(self) -> list[SourceHealth]: ...
    def fetch_history(self, source_id: int, limit: int = 50) -> list[FetchLog]: ...
    def recent_publish_times(self, source_id: int, limit: int = 50) -> list[datetime]: ...

    # articles
    def latest_articles(
        self, limit: int = 50, *, source_id: int | None = None, before: datetime | None = None
    ) -> list[Article]: ...
    def article_by_id(self, article_id: int) -> Article | None: ...
    def search(self, query: str, limit: int = 50) -> list[Article]: ...
    def count_articles(self) -> int: ...
    def count_entries(self) -> int: ...
