"""Conversions between domain dataclasses and SQLite rows and column values."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any, Protocol

from newsdesk.models import Article, Enclosure, FetchLog, NewArticle, Source, SourceHealth
from newsdesk.pipeline.sanitize import html_to_text

# An HTML tag (legacy summaries were stored as sanitized HTML).
_MARKUP = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")

# A refresh names a source after its feed only while it has no name: one given when it was
# added or imported from OPML stays, as in Miniflux and FreshRSS. `mark` is the dialect's
# parameter mark.
FEED_TITLE = "CASE WHEN title = '' THEN coalesce({mark}, title) ELSE title END"

SOURCE_COLUMNS = (
    "s.id, s.url, s.title, s.site_url, s.section, s.grp, s.etag, s.last_modified, s.created_at"
)

HEALTH_COLUMNS = (
    "h.source_id, h.last_fetch_at, h.last_status, h.last_error, h.entries_seen,"
    " h.consecutive_failures, h.interval_seconds, h.next_due_at, h.last_warning"
)

ARTICLE_COLUMNS = (
    "a.id, a.source_id, a.url, a.canonical_url, a.title, a.summary, a.text, a.content_html,"
    " a.author, a.sort_time, a.fetched_at, a.image, a.language, a.categories, a.extraction,"
    " a.extraction_error, s.title AS source_title, a.section, a.section_source, a.story_id,"
    " a.duplicate_of"
)


def time_to_text(moment: datetime) -> str:
    """Fixed-width ISO-8601 UTC text, which sorts like the datetime; naive means UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def text_to_time(text: str) -> datetime:
    """The tz-aware UTC datetime stored as `text`."""
    return datetime.fromisoformat(text).astimezone(UTC)


def listed_time(published: datetime | None, fetched: datetime) -> datetime:
    """When an article is listed as published: its own date, but never later than its fetch (a
    feed dated in the future would otherwise head every list as "just now"); naive means UTC."""
    fetched = fetched if fetched.tzinfo else fetched.replace(tzinfo=UTC)
    if published is None:
        return fetched
    published = published if published.tzinfo else published.replace(tzinfo=UTC)
    return min(published, fetched)


def plain_summary(summary: str) -> str:
    """A stored summary as plain text (stores written before summaries were kept as text hold
    sanitized HTML; a text summary that merely holds a "<" is left as it is)."""
    return html_to_text(summary) if _MARKUP.search(summary) else summary


# How a stored time becomes a datetime: SQLite keeps text, PostgreSQL gives datetimes.
ReadTime = Callable[[Any], datetime]


def optional_time(value: Any, read_time: ReadTime = text_to_time) -> datetime | None:
    """A stored time read by `read_time`, or None for NULL."""
    return None if value is None else read_time(value)


class RowLike(Protocol):
    """A row read by column name: sqlite3.Row, or the dicts the PostgreSQL store reads."""

    def __getitem__(self, key: str, /) -> Any: ...


def source_from_row(row: RowLike, read_time: ReadTime = text_to_time) -> Source:
    return Source(
        id=row["id"],
        url=row["url"],
        title=row["title"],
        site_url=row["site_url"],
        section=row["section"],
        group=row["grp"],
        etag=row["etag"],
        last_modified=row["last_modified"],
        created_at=read_time(row["created_at"]),
    )


def health_from_row(row: RowLike, read_time: ReadTime = text_to_time) -> SourceHealth:
    return SourceHealth(
        source_id=row["source_id"],
        last_fetch_at=optional_time(row["last_fetch_at"], read_time),
        last_status=row["last_status"],
        last_error=row["last_error"],
        entries_seen=row["entries_seen"],
        consecutive_failures=row["consecutive_failures"],
        interval_seconds=row["interval_seconds"],
        next_due_at=optional_time(row["next_due_at"], read_time),
        last_warning=row["last_warning"],
    )


def fetch_log_from_row(row: RowLike, read_time: ReadTime = text_to_time) -> FetchLog:
    return FetchLog(
        source_id=row["source_id"],
        fetched_at=read_time(row["fetched_at"]),
        status=row["status"],
        error=row["error"],
        entries_seen=row["entries_seen"],
        new_articles=row["new_articles"],
        duration_ms=row["duration_ms"],
    )


def article_from_row(
    row: RowLike,
    entry_ids: Sequence[int],
    read_time: ReadTime = text_to_time,
    read_json: Callable[[Any], Any] = json.loads,
) -> Article:
    """An Article; `read_json` turns the stored categories into a list (SQLite keeps text)."""
    return Article(
        id=row["id"],
        source_id=row["source_id"],
        url=row["url"],
        canonical_url=row["canonical_url"],
        title=row["title"],
        summary=plain_summary(row["summary"]),
        text=row["text"],
        content_html=row["content_html"],
        author=row["author"],
        published=read_time(row["sort_time"]),
        fetched_at=read_time(row["fetched_at"]),
        image=row["image"],
        language=row["language"],
        categories=tuple(read_json(row["categories"])),
        extraction=row["extraction"],
        extraction_error=row["extraction_error"],
        source_title=row["source_title"] or "",
        entry_ids=tuple(entry_ids),
        section=row["section"],
        section_source=row["section_source"],
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
    )


def article_values(
    article: NewArticle, canonical_url: str, fetched_at: datetime
) -> dict[str, object]:
    """Named parameters for inserting `article` into the articles table."""
    published = None if article.published is None else time_to_text(article.published)
    fetched = time_to_text(fetched_at)
    return {
        "source_id": article.source_id,
        "url": article.url,
        "canonical_url": canonical_url,
        "title": article.title,
        "summary": article.summary,
        "text": article.text,
        "content_html": article.content_html,
        "author": article.author,
        "published": published,
        "sort_time": time_to_text(listed_time(article.published, fetched_at)),
        "fetched_at": fetched,
        "image": article.image,
        "language": article.language,
        "categories": json.dumps(list(article.categories), ensure_ascii=False),
        "enclosures": json.dumps([_enclosure_dict(e) for e in article.enclosures]),
        "extraction": article.extraction,
        "extraction_error": article.extraction_error,
        "section": article.section,
        "section_scores": json.dumps(article.section_scores),
        "section_source": "model" if article.section else "",
    }


def _enclosure_dict(enclosure: Enclosure) -> dict[str, object]:
    return asdict(enclosure)
