"""Plain dataclasses for the story stages: what goes into the story engine and what comes out."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime

from newsdesk.models import Article
from newsdesk.pipeline.feeds_text import parse_date


@dataclass(frozen=True)
class NewsItem:
    """One article as the story stages see it; `published` is seconds since the epoch (UTC)."""

    id: str
    title: str
    published: float
    text: str = ""
    url: str = ""
    source: str = ""
    section: str = ""


@dataclass(frozen=True)
class Assignment:
    """What the story engine decided for one arriving article.

    `merged` lists story ids that were folded into `story_id` while adding this article, and
    `recredited` names the former original that is now a copy of this (earlier) article: callers
    that store assignments remap both. `moved` lists other articles (article id, story id) that a
    split of the story moved to a new story, applied after the merges of earlier assignments and
    before this one's `merged`; `split_from` names the story so split (it keeps its id).
    """

    article_id: str
    story_id: str
    duplicate_of: str | None
    related: tuple[str, ...] = ()
    merged: tuple[str, ...] = ()
    recredited: str | None = None
    new_story: bool = False
    score: float = 0.0
    moved: tuple[tuple[str, str], ...] = ()
    split_from: str | None = None


def news_item_from_article(article: Article, section: str = "") -> NewsItem:
    """The story-stage view of a stored article."""
    published = article.published
    if published.tzinfo is None:
        published = published.replace(tzinfo=UTC)
    return NewsItem(
        id=str(article.id),
        title=article.title,
        published=published.timestamp(),
        text=article.text or article.summary,
        url=article.canonical_url or article.url,
        source=article.source_title or str(article.source_id),
        section=section,
    )


def epoch_seconds(value: object) -> float:
    """Seconds since the epoch from a datetime, a number (seconds or milliseconds), ISO 8601 or
    RFC 2822 text ("Tue, 05 Mar 2024 12:00:00 GMT"); ValueError for anything else."""
    if value is None or value == "":
        return 0.0
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp()
    if isinstance(value, int | float) and not isinstance(value, bool):
        if not math.isfinite(value):
            raise ValueError(f"not a time: {value!r}")
        # Millisecond timestamps (as in many exports) are past year 33658 when read as seconds.
        return float(value) / 1000.0 if value > 1e12 else float(value)
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    text = value.strip()
    try:
        return epoch_seconds(float(text))
    except ValueError:
        pass
    try:
        return epoch_seconds(datetime.fromisoformat(text.replace("Z", "+00:00")))
    except ValueError:
        parsed = parse_date(text)  # feeds' reader of RFC 822 dates
    if parsed is None:
        raise ValueError(f"not a time (ISO 8601 or RFC 2822): {value!r}")
    return epoch_seconds(parsed)


@dataclass(frozen=True)
class StoryMember:
    """One article of a story; `duplicate_of` is set for copies of another member."""

    id: str
    source: str
    published: float
    title: str
    url: str = ""
    section: str = ""
    duplicate_of: str | None = None


@dataclass(frozen=True)
class StoryView:
    """A story as ranking and pages see it."""

    id: str
    members: tuple[StoryMember, ...]
