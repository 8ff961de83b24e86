"""The SQLite schema as an ordered list of migrations; the schema version is the list's length.

Each migration is applied once, in its own transaction, and recorded in ``PRAGMA user_version``.
Never edit a released migration: append a new one. A PostgreSQL store keeps a list of the same
length with the same intent, so the version numbers mean the same schema in both.
Datetimes are ISO-8601 UTC text of fixed width, so they sort as text.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

MIGRATIONS: tuple[str, ...] = (
    # 1: sources, their health and fetch history, articles, entries, full-text search.
    """
    CREATE TABLE sources (
        id INTEGER PRIMARY KEY,
        url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        site_url TEXT NOT NULL DEFAULT '',
        section TEXT NOT NULL DEFAULT '',
        grp TEXT NOT NULL DEFAULT '',
        etag TEXT NOT NULL DEFAULT '',
        last_modified TEXT NOT NULL DEFAULT '',
        created_at TEXT NOT NULL
    );

    CREATE TABLE source_health (
        source_id INTEGER PRIMARY KEY REFERENCES sources(id) ON DELETE CASCADE,
        last_fetch_at TEXT,
        last_status INTEGER,
        last_error TEXT NOT NULL DEFAULT '',
        entries_seen INTEGER NOT NULL DEFAULT 0,
        consecutive_failures INTEGER NOT NULL DEFAULT 0,
        interval_seconds INTEGER NOT NULL DEFAULT 0,
        next_due_at TEXT NOT NULL
    );
    CREATE INDEX source_health_next_due ON source_health(next_due_at);

    CREATE TABLE fetch_log (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        fetched_at TEXT NOT NULL,
        status INTEGER,
        error TEXT NOT NULL DEFAULT '',
        entries_seen INTEGER NOT NULL DEFAULT 0,
        new_articles INTEGER NOT NULL DEFAULT 0,
        duration_ms INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX fetch_log_source ON fetch_log(source_id, id);

    -- source_id is the source that first brought the article; published stays NULL when
    -- neither feed nor page gave a date, and sort_time (published, else fetched_at) orders lists.
    CREATE TABLE articles (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id),
        url TEXT NOT NULL,
        canonical_url TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL DEFAULT '',
        summary TEXT NOT NULL DEFAULT '',
        text TEXT NOT NULL DEFAULT '',
        content_html TEXT NOT NULL DEFAULT '',
        author TEXT NOT NULL DEFAULT '',
        published TEXT,
        sort_time TEXT NOT NULL,
        fetched_at TEXT NOT NULL,
        image TEXT NOT NULL DEFAULT '',
        language TEXT NOT NULL DEFAULT '',
        categories TEXT NOT NULL DEFAULT '[]',
        enclosures TEXT NOT NULL DEFAULT '[]',
        extraction TEXT NOT NULL DEFAULT 'pending',
        extraction_error TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX articles_sort ON articles(sort_time, id);
    CREATE INDEX articles_source ON articles(source_id);

    CREATE TABLE entries (
        id INTEGER PRIMARY KEY,
        source_id INTEGER NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
        guid TEXT NOT NULL,
        url TEXT NOT NULL,
        article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seen_at TEXT NOT NULL,
        UNIQUE (source_id, guid)
    );
    CREATE INDEX entries_article ON entries(article_id);

    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, content='articles', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    );
    CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
    END;
    CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, text)
        VALUES ('delete', old.id, old.title, old.text);
        INSERT INTO articles_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
    END;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(db: sqlite3.Connection) -> int:
    """The migration count recorded in the database file."""
    version: int = db.execute("PRAGMA user_version").fetchone()[0]
    return version


def apply_migrations(db: sqlite3.Connection) -> int:
    """Bring the schema up to date on an autocommit connection; return the new version."""
    for number, script in enumerate(MIGRATIONS, start=1):
        # BEGIN IMMEDIATE before re-reading the version: another process may be migrating too.
        db.execute("BEGIN IMMEDIATE")
        try:
            if schema_version(db) < number:
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number:d}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    return schema_version(db)


def _statements(script: str) -> Iterator[str]:
    # executescript() would commit our transaction first, so split the script ourselves;
    # complete_statement() knows that a trigger body's semicolons do not end the statement.
    pending = ""
    for line in script.splitlines(keepends=True):
        pending += line
        if sqlite3.complete_statement(pending):
            if _has_sql(pending):
                yield pending.strip()
            pending = ""
    if _has_sql(pending):
        raise ValueError(f"incomplete SQL statement in migration: {pending.strip()[:80]!r}")


def _has_sql(text: str) -> bool:
    return any(line.strip() and not line.strip().startswith("--") for line in text.splitlines())
