"""The Store interface. Every backend (SQLite now, PostgreSQL later) implements it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsdesk.models import Article, FetchLog, NewArticle, Source, SourceHealth
from newsdesk.store.base_ops import OpsStore
from newsdesk.store.base_reading import ReadingStore
from newsdesk.store.base_site import SiteStore
from newsdesk.store.base_stories import StoriesStore
from newsdesk.store.base_understanding import UnderstandingStore
from newsdesk.store.base_users import UsersStore


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
    warning: str | None = None  # what the feed read repaired; None keeps the stored one


@dataclass(frozen=True)
class SavedOutcome:
    new_article_ids: tuple[int, ...]
    new_entries: int


class Store(
    UsersStore, UnderstandingStore, SiteStore, ReadingStore, StoriesStore, OpsStore, Protocol
):
    def close(self) -> None: ...
    def checkpoint(self) -> None:
        """Compact the journal after a batch of writes, without waiting on readers."""
        ...

    # sources
    def add_source(
        self, url: str, *, title: str = "", site_url: str = "", section: str = "", group: str = ""
    ) -> Source: ...
    def remove_source(self, source_id: int) -> bool:
        """Delete the source, its health, log, entries and the articles no other entry keeps."""
        ...

    def move_source(self, source_id: int, url: str) -> bool:
        """Give the source a new feed URL (its feed moved for good); False when another source
        has that URL already, or there is no such source."""
        ...

    def list_sources(self) -> list[Source]: ...
    def source_by_id(self, source_id: int) -> Source | None: ...
    def source_by_url(self, url: str) -> Source | None: ...
    def due_sources(self, now: datetime, limit: int | None = None) -> list[Source]:
        """Sources whose next_due_at <= now, the longest overdue first."""
        ...

    def next_due_at(self) -> datetime | None: ...

    # refresh
    def known_guids(self, source_id: int, guids: Sequence[str]) -> set[str]: ...
    def known_urls(self, urls: Sequence[str]) -> set[str]:
        """Those of `urls` already stored as some article's canonical URL."""
        ...

    def save_outcome(self, outcome: FetchOutcome) -> SavedOutcome:
        """Save everything in one transaction, idempotently; StoreError if the source is gone.

        An entry already seen (same source and guid) adds nothing; an entry whose canonical URL
        is already stored becomes one more entry of that article. A `link_only` article is
        never inserted: without a stored article at its canonical URL its entry is skipped. An
        empty guid falls back to the entry URL, an empty canonical URL to the URL.
        """
        ...

    # health
    def source_health(self, source_id: int) -> SourceHealth | None: ...
    def all_health(self) -> list[SourceHealth]: ...
    def fetch_history(self, source_id: int, limit: int = 50) -> list[FetchLog]: ...
    def recent_publish_times(self, source_id: int, limit: int = 50) -> list[datetime]: ...

    # articles
    def latest_articles(
        self,
        limit: int = 50,
        *,
        source_id: int | None = None,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Newest first (ties by id); the cursor (before, before_id) is the last article shown.

        `source_id` keeps the articles that source has an entry for. Without `before_id`, the
        cursor skips every article published exactly at `before`.
        """
        ...

    def article_by_id(self, article_id: int) -> Article | None: ...
    def search(self, query: str, limit: int = 50) -> list[Article]:
        """Articles with every term of any user text in title or text; [] for nothing to search."""
        ...

    def count_articles(self) -> int: ...
    def count_entries(self) -> int: ...
