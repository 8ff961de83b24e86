"""Plain domain dataclasses shared by every stage. No I/O, no ORM."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime


@dataclass(frozen=True)
class Enclosure:
    url: str
    type: str = ""
    length: int | None = None


@dataclass(frozen=True)
class Entry:
    """One item of a parsed feed, with links resolved and dates in UTC."""

    guid: str
    url: str
    title: str
    summary: str = ""
    content: str = ""
    author: str = ""
    published: datetime | None = None
    updated: datetime | None = None
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()


@dataclass(frozen=True)
class ParsedFeed:
    """A whole feed document; `parser` names the parser that produced it."""

    title: str
    site_url: str
    entries: tuple[Entry, ...]
    parser: str
    format: str = ""
    language: str = ""
    # What was wrong with the document and how it was read anyway, for the source's health.
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Extracted:
    """What article extraction found in one HTML page. `html` is already sanitized."""

    text: str
    html: str = ""
    title: str = ""
    author: str = ""
    published: datetime | None = None
    image: str = ""
    canonical_url: str = ""
    language: str = ""


@dataclass(frozen=True)
class Place:
    """A place an article is about, from the gazetteer."""

    name: str
    kind: str  # country, state or city
    country_code: str  # ISO 3166-1 alpha-2
    country: str
    region: str  # Europe, Middle East, Asia, Africa, Americas, Oceania
    mentions: int = 1


@dataclass(frozen=True)
class Topic:
    """A person, organisation or key phrase an article is about; `key` is its normal form."""

    key: str  # lower case, no accents, no dots: "president putin" and "putin" share a key
    name: str
    kind: str  # person, organisation, name or phrase
    mentions: int = 1


@dataclass(frozen=True)
class Source:
    id: int
    url: str
    title: str = ""
    site_url: str = ""
    section: str = ""
    group: str = ""
    etag: str = ""
    last_modified: str = ""
    created_at: datetime | None = None


@dataclass(frozen=True)
class SourceHealth:
    source_id: int
    last_fetch_at: datetime | None = None
    last_status: int | None = None
    last_error: str = ""
    entries_seen: int = 0
    consecutive_failures: int = 0
    interval_seconds: int = 0
    next_due_at: datetime | None = None
    # What the last feed read had wrong that was repaired ("" when it was clean).
    last_warning: str = ""


@dataclass(frozen=True)
class FetchLog:
    source_id: int
    fetched_at: datetime
    status: int | None
    error: str
    entries_seen: int
    new_articles: int
    duration_ms: int


@dataclass(frozen=True)
class NewArticle:
    """An article ready to be stored: one feed entry plus what extraction found."""

    source_id: int
    guid: str
    url: str
    canonical_url: str
    title: str
    summary: str = ""
    text: str = ""
    content_html: str = ""
    author: str = ""
    published: datetime | None = None
    image: str = ""
    language: str = ""
    categories: tuple[str, ...] = ()
    enclosures: tuple[Enclosure, ...] = ()
    extraction: str = "pending"
    extraction_error: str = ""
    section: str = ""
    section_scores: dict[str, float] = field(default_factory=dict)
    places: tuple[Place, ...] = ()
    topics: tuple[Topic, ...] = ()
    # Only an entry for the article already stored under `canonical_url`, which another feed
    # (or another entry of this one) brought first: never stored as an article of its own.
    link_only: bool = False


@dataclass(frozen=True)
class Article:
    id: int
    source_id: int
    url: str
    canonical_url: str
    title: str
    summary: str
    text: str
    content_html: str
    author: str
    published: datetime
    fetched_at: datetime
    image: str
    language: str
    categories: tuple[str, ...]
    extraction: str
    extraction_error: str
    source_title: str = ""
    entry_ids: tuple[int, ...] = field(default=())
    section: str = ""
    section_source: str = ""  # "model", "user", or "" when not classified
    story_id: int | None = None
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Story:
    """Coverage of one event by many outlets; `lead_article_id` is the original, never a copy."""

    id: int
    title: str
    lead_article_id: int | None
    section: str
    first_seen: datetime
    last_seen: datetime
    article_count: int
    outlet_count: int
    score: float
    merged_into: int | None = None


@dataclass(frozen=True)
class User:
    id: int
    username: str
    is_admin: bool
    created_at: datetime
