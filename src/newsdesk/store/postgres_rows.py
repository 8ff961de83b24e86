"""Conversions between domain dataclasses and PostgreSQL rows (dicts) and parameters."""

from __future__ import annotations

from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from psycopg.types.json import Jsonb

from newsdesk.models import Article, FetchLog, NewArticle, Source, SourceHealth
from newsdesk.store import rows
from newsdesk.store.rows import ARTICLE_COLUMNS as SQLITE_ARTICLE_COLUMNS

Row = dict[str, Any]

# The same columns as the SQLite store; entry ids come along in the same statement here, so
# one snapshot gives both.
ARTICLE_COLUMNS = (
    f"{SQLITE_ARTICLE_COLUMNS},"
    " array(SELECT e.id FROM entries e WHERE e.article_id = a.id ORDER BY e.id) AS entry_ids"
)


def utc(moment: datetime) -> datetime:
    """`moment` in UTC; naive means UTC, as in the SQLite store."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def clean_text(text: str) -> str:
    """`text` as PostgreSQL can store it: no NUL characters, no lone surrogates."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def optional_text(text: str | None) -> str | None:
    return None if text is None else clean_text(text)


def source_from_row(row: Row) -> Source:
    return rows.source_from_row(row, utc)


def health_from_row(row: Row) -> SourceHealth:
    return rows.health_from_row(row, utc)


def fetch_log_from_row(row: Row) -> FetchLog:
    return rows.fetch_log_from_row(row, utc)


def article_from_row(row: Row) -> Article:
    """An Article from a row of ARTICLE_COLUMNS, which carries its entry ids."""
    return rows.article_from_row(row, row["entry_ids"], utc, list)


def article_params(article: NewArticle, canonical_url: str, fetched_at: datetime) -> Row:
    """Named parameters for inserting `article` into the articles table."""
    published = rows.optional_time(article.published, utc)
    fetched = utc(fetched_at)
    return {
        "source_id": article.source_id,
        "url": clean_text(article.url),
        "canonical_url": clean_text(canonical_url),
        "title": clean_text(article.title),
        "summary": clean_text(article.summary),
        "text": clean_text(article.text),
        "content_html": clean_text(article.content_html),
        "author": clean_text(article.author),
        "published": published,
        "sort_time": rows.listed_time(published, fetched),
        "fetched_at": fetched,
        "image": clean_text(article.image),
        "language": clean_text(article.language),
        "categories": Jsonb([clean_text(c) for c in article.categories]),
        "enclosures": Jsonb([_clean_values(asdict(e)) for e in article.enclosures]),
        "extraction": clean_text(article.extraction),
        "extraction_error": clean_text(article.extraction_error),
        "section": article.section,
        "section_scores": Jsonb(article.section_scores),
        "section_source": "model" if article.section else "",
    }


def _clean_values(values: dict[str, object]) -> dict[str, object]:
    # jsonb refuses \u0000 just as text refuses NUL.
    return {k: clean_text(v) if isinstance(v, str) else v for k, v in values.items()}
