"""The reading part of the Store interface: per-user read and starred state, and subscriptions.

A user follows sources, sections and topics. Until a user changes their source subscriptions,
they follow every source, including sources added later; the first change (subscribe or
unsubscribe) turns that into an explicit list of the sources followed at that moment.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from newsdesk.models import Article

SubscriptionKind = Literal["source", "section", "topic"]
SUBSCRIPTION_KINDS: tuple[SubscriptionKind, ...] = ("source", "section", "topic")


@dataclass(frozen=True)
class StreamQuery:
    """Which of a user's articles to list, in which order, from where.

    With `subscribed` only articles the user follows count (the reading list); `source_id`,
    `label`, `section` and `topic` narrow further. A `label` is a source section, as a folder of
    feeds: the articles of sources in it, plus, if the user follows that section, the articles
    classified into it. `newer_than` is inclusive, `older_than` exclusive. `after` is the
    (sort time, id) of the last article of the previous page. `search` keeps the articles
    matching every term, as the site's search does (text with no term to search finds none).
    """

    subscribed: bool = False
    source_id: int | None = None
    label: str | None = None
    section: str | None = None
    topic: str | None = None
    search: str | None = None
    read: bool | None = None
    starred: bool | None = None
    newer_than: datetime | None = None
    older_than: datetime | None = None
    oldest_first: bool = False
    after: tuple[datetime, int] | None = None
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class StreamItem:
    article_id: int
    sort_time: datetime
    source_id: int


@dataclass(frozen=True)
class ReadingItem:
    """An article with one user's state of it."""

    article: Article
    is_read: bool
    is_starred: bool
    state_changed: datetime | None = None  # when the user last marked it, if ever


@dataclass(frozen=True)
class UnreadCount:
    """Unread articles in one stream: kind 'all', 'source', 'label', 'section' or 'topic'."""

    kind: str
    ref: str
    count: int
    newest: datetime | None


@dataclass(frozen=True)
class Subscription:
    kind: SubscriptionKind
    ref: str
    title: str
    created_at: datetime


class ReadingStore(Protocol):
    """Store methods for the reading area; SQLite and PostgreSQL implement each one."""

    def set_read(self, user_id: int, article_ids: Sequence[int], read: bool = True) -> int:
        """Mark articles read or unread for the user; unknown ids are ignored. Returns the count."""
        ...

    def set_starred(self, user_id: int, article_ids: Sequence[int], starred: bool = True) -> int:
        """Star or unstar articles for the user; unknown ids are ignored. Returns the count."""
        ...

    def mark_stream_read(self, user_id: int, query: StreamQuery, up_to: datetime | None) -> int:
        """Mark every article of the stream read, if sorted at or before `up_to`; the count.

        Paging fields of `query` (after, limit, offset, order) are ignored.
        """
        ...

    def stream_items(self, user_id: int, query: StreamQuery) -> list[StreamItem]:
        """One page of the stream's article ids, newest first unless `oldest_first`."""
        ...

    def reading_items(self, user_id: int, query: StreamQuery) -> list[ReadingItem]:
        """One page of the stream's articles with the user's state."""
        ...

    def reading_items_by_id(self, user_id: int, article_ids: Sequence[int]) -> list[ReadingItem]:
        """These articles with the user's state, in the order given; unknown ids are left out."""
        ...

    def count_stream(self, user_id: int, query: StreamQuery) -> int:
        """How many articles the stream holds, ignoring paging."""
        ...

    def unread_counts(self, user_id: int) -> list[UnreadCount]:
        """Unread counts of the reading list ('all'), of every source with unread articles,
        of every label, and of the sections and topics the user follows."""
        ...

    def subscriptions(self, user_id: int) -> list[Subscription]:
        """What the user follows; every source, with its title, while the list is implicit."""
        ...

    def subscribe(
        self, user_id: int, kind: SubscriptionKind, ref: str, title: str = ""
    ) -> Subscription:
        """Follow a source (by id), section or topic, or rename it; StoreError for bad refs."""
        ...

    def unsubscribe(self, user_id: int, kind: SubscriptionKind, ref: str) -> bool:
        """Stop following; False if the user did not follow it."""
        ...
