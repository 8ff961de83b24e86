"""The site part of the Store interface (see `newsdesk.store.base.Store`): what the pages read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from newsdesk.models import Article, Place, Story, Topic

MuteKind = Literal["source", "topic"]
MUTE_KINDS: tuple[MuteKind, ...] = ("source", "topic")


@dataclass(frozen=True)
class ArticleFilter:
    """Which articles a listing shows; empty fields do not filter."""

    section: str = ""
    region: str = ""  # an article_places region: "Europe", "Middle East", ...
    country: str = ""  # ISO 3166-1 alpha-2
    topic: str = ""  # a topic key
    source_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None
    originals_only: bool = False  # leave out copies folded into another article
    apply_mutes: bool = True


@dataclass(frozen=True)
class SearchQuery:
    text: str
    filter: ArticleFilter = ArticleFilter()
    order: Literal["relevance", "time"] = "relevance"
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True)
class Mute:
    kind: MuteKind
    ref: str  # a source id or a topic key
    created_at: datetime


@dataclass(frozen=True)
class SectionCount:
    section: str
    stories: int
    articles: int


class SiteStore(Protocol):
    """Store methods for the site area; SQLite and PostgreSQL implement each one."""

    def site_articles(
        self,
        filter: ArticleFilter,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        """Newest first (ties by id); (before, before_id) is the last article already shown."""
        ...

    def site_search(self, query: SearchQuery) -> list[Article]:
        """Full-text matches passing the filter, best match or newest first; [] for no terms."""
        ...

    def site_articles_by_ids(self, article_ids: Sequence[int]) -> list[Article]:
        """The articles that exist, in the order of `article_ids`."""
        ...

    def site_stories(
        self,
        limit: int = 20,
        *,
        section: str = "",
        region: str = "",
        before_score: float | None = None,
        before_id: int | None = None,
        apply_mutes: bool = True,
    ) -> list[Story]:
        """Live (unmerged) stories, highest score first; the cursor is the last story shown."""
        ...

    def site_story(self, story_id: int) -> Story | None:
        """The story, following merges to the story it became."""
        ...

    def story_coverage(self, story_id: int) -> list[Article]:
        """Every article of the story and every copy folded into one of them, oldest first."""
        ...

    def related_stories(self, story_id: int, limit: int = 5) -> list[Story]: ...

    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]:
        """Other articles sharing the most topics with this one, newest first among equals."""
        ...

    def site_places_of(self, article_id: int) -> list[Place]: ...
    def site_topics_of(self, article_id: int) -> list[Topic]: ...
    def site_topic(self, key: str) -> Topic | None:
        """The topic with this key, under the name its articles use most."""
        ...

    def site_place(self, country_code: str) -> Place | None:
        """The country with this code as articles name it, or None when no article does."""
        ...

    def section_counts(self, since: datetime) -> list[SectionCount]:
        """Stories and articles per section seen since `since`, the largest first."""
        ...

    def newest_article_time(self) -> datetime | None: ...

    def list_mutes(self) -> list[Mute]: ...
    def add_mute(self, kind: MuteKind, ref: str) -> Mute: ...
    def remove_mute(self, kind: MuteKind, ref: str) -> bool: ...
