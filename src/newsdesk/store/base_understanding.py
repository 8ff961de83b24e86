"""The understanding part of the Store interface: sections, places, topics and source stats."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from newsdesk.models import Article, Place, Topic
from newsdesk.pipeline.classify import SourceStats
from newsdesk.pipeline.sections import SECTION_NAMES


@dataclass(frozen=True)
class TopicCount:
    """A topic with the number of articles about it in some window."""

    topic: Topic
    articles: int


@dataclass(frozen=True)
class PlaceCount:
    """A place with the number of articles naming it in some window."""

    place: Place
    articles: int


class UnderstandingStore(Protocol):
    """Store methods for the understanding area; SQLite and PostgreSQL implement each one."""

    def source_stats(self, source_id: int) -> SourceStats:
        """How reliable each kind of section evidence has proved on a source (empty if new)."""
        ...

    def save_source_stats(self, source_id: int, stats: SourceStats) -> None:
        """Replace a source's stats; nothing happens for a source that is gone."""
        ...

    def update_source_stats(
        self, source_id: int, update: Callable[[SourceStats], SourceStats]
    ) -> SourceStats:
        """Replace a source's stats with `update` of them, read and written in one transaction
        so that no other writer's change in between is lost; the new stats.

        `update` must be pure: PostgreSQL may run it again when it retries the transaction.
        Nothing is stored for a source that is gone.
        """
        ...

    def correct_section(self, article_id: int, section: str, username: str = "") -> Article:
        """Record a user's section for an article and teach its source's stats; StoreError for
        an unknown article or section. Returns the updated article."""
        ...

    def articles_by_section(
        self,
        section: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Newest first, with the cursor of `Store.latest_articles`."""
        ...

    def articles_by_place(
        self,
        place: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Articles naming a place: an ISO country code ("UA"), a region ("Europe") or a
        place name ("Donetsk"); newest first, with the cursor of `Store.latest_articles`."""
        ...

    def articles_by_topic(
        self,
        key: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Articles about a topic key ("vladimir putin"), newest first, cursor as above."""
        ...

    def articles_per_section(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        """Articles per section published in [since, until); unclassified ones under ""."""
        ...

    def top_topics(
        self, since: datetime | None = None, limit: int = 20, min_articles: int = 2
    ) -> list[TopicCount]:
        """Topics of the most articles since `since`, each in at least `min_articles`."""
        ...

    def top_places(
        self, since: datetime | None = None, limit: int = 20, kind: str | None = None
    ) -> list[PlaceCount]:
        """Places named by the most articles since `since`; `kind` keeps one kind ("country")."""
        ...

    def places_of(self, article_id: int) -> tuple[Place, ...]:
        """An article's places, most mentioned first."""
        ...

    def topics_of(self, article_id: int) -> tuple[Topic, ...]:
        """An article's topics, most mentioned first."""
        ...


def checked_section(section: str) -> str:
    """The section name, or StoreError when it is not one of the taxonomy's."""
    from newsdesk.store.base import StoreError  # here: base imports this module

    if section not in SECTION_NAMES:
        raise StoreError(f"unknown section {section!r}; one of: {', '.join(SECTION_NAMES)}")
    return section


def place_column(place: str) -> str:
    """Which article_places column a place filter matches: code, region or name."""
    if len(place) == 2 and place.isalpha() and place.isupper():
        return "country_code"
    return "region" if place in REGION_NAMES else "name"


REGION_NAMES = frozenset(
    {"Europe", "Middle East", "Asia", "Africa", "Americas", "Oceania", "Antarctica"}
)


def merge_topic_rows(
    rows: list[tuple[str, str, str, int]], limit: int, min_articles: int
) -> list[TopicCount]:
    """(key, name, kind, articles) rows, one per spelling, into one count per key.

    The name shown is the spelling most articles used; ties go to the longer name.
    """
    by_key: dict[str, list[tuple[str, str, int]]] = {}
    for key, name, kind, articles in rows:
        by_key.setdefault(key, []).append((name, kind, articles))
    counts = []
    for key, spellings in by_key.items():
        name, kind, _ = max(spellings, key=lambda s: (s[2], len(s[0])))
        total = sum(s[2] for s in spellings)
        if total >= min_articles:
            counts.append(TopicCount(Topic(key, name, kind, total), total))
    counts.sort(key=lambda c: (-c.articles, c.topic.key))
    return counts[:limit]
