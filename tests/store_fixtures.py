"""Builders for store tests, and PostgreSQL schemas to run them in.

Migrating a new schema takes ~0.15 s, so the shared store tests run in one schema per module,
emptied before each test; tests of opening and migrating make schemas of their own.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

from newsdesk.models import NewArticle
from newsdesk.store import FetchOutcome

T0 = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

# Every table holding store data, each before the tables it references.
# Children before parents, so that deleting in this order never breaks a foreign key.
STORE_TABLES = (
    "user_articles",
    "subscriptions",
    "users",
    "story_related",
    "section_corrections",
    "article_places",
    "article_topics",
    "entries",
    "articles",
    "stories",
    "source_stats",
    "fetch_log",
    "source_health",
    "sources",
    "mutes",
    "app_state",
)


def article(source_id: int, n: int | str, **fields: Any) -> NewArticle:
    values: dict[str, Any] = {
        "guid": f"guid-{n}",
        "url": f"https://example.com/{n}",
        "canonical_url": f"https://example.com/{n}",
        "title": f"Article {n}",
        "published": T0,
    }
    values.update(fields)
    return NewArticle(source_id=source_id, **values)


def outcome(source_id: int, *articles: NewArticle, **fields: Any) -> FetchOutcome:
    values: dict[str, Any] = {
        "fetched_at": T0,
        "status": 200,
        "error": "",
        "failed": False,
        "entries_seen": len(articles),
        "duration_ms": 12,
        "interval_seconds": 1800,
        "next_due_at": T0 + timedelta(seconds=1800),
    }
    values.update(fields)
    return FetchOutcome(source_id=source_id, articles=articles, **values)


def with_search_path(url: str, schema: str) -> str:
    """`url` with libpq options that put `schema` first on the search path."""
    parts = urlsplit(url)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "options"]
    options = " ".join(v for k, v in parse_qsl(parts.query) if k == "options")
    query.append(("options", f"{options} -c search_path={schema}".strip()))
    return urlunsplit(parts._replace(query=urlencode(query, quote_via=quote)))


@contextmanager
def postgres_schema(url: str) -> Iterator[str]:
    """A URL for a new, empty schema in the database at `url`, dropped afterwards."""
    # Imported here so that the SQLite tests run without psycopg installed.
    import psycopg
    from psycopg import sql

    name = f"newsdesk_test_{secrets.token_hex(6)}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield with_search_path(url, name)
    finally:
        with psycopg.connect(url, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def empty_postgres_schema(url: str) -> None:
    """Delete every row of the store at `url`, keeping its schema; fails on unknown tables."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchall()
        tables = {row[0] for row in rows} - {"schema_version"}
        # A new table from a new migration must be added to STORE_TABLES.
        assert tables == set(STORE_TABLES), tables
        with conn.transaction():
            for table in STORE_TABLES:
                conn.execute(f"DELETE FROM {table}")
