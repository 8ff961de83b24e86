"""The SQLite store's multi-statement writes, each run inside the caller's transaction."""

from __future__ import annotations

import sqlite3

from newsdesk.models import NewArticle
from newsdesk.store.base import FetchOutcome, SavedOutcome, StoreError
from newsdesk.store.base_stories import RECOUNT_STORY
from newsdesk.store.rows import FEED_TITLE, article_values, time_to_text

_INSERT_ARTICLE = """
    INSERT INTO articles (
        source_id, url, canonical_url, title, summary, text, content_html, author, published,
        sort_time, fetched_at, image, language, categories, enclosures, extraction,
        extraction_error, section, section_scores, section_source
    ) VALUES (
        :source_id, :url, :canonical_url, :title, :summary, :text, :content_html, :author,
        :published, :sort_time, :fetched_at, :image, :language, :categories, :enclosures,
        :extraction, :extraction_error, :section, :section_scores, :section_source
    )
"""

_UPSERT_HEALTH = """
    INSERT INTO source_health (
        source_id, last_fetch_at, last_status, last_error, entries_seen, consecutive_failures,
        interval_seconds, next_due_at, last_warning
    ) VALUES (?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, ''))
    ON CONFLICT (source_id) DO UPDATE SET
        last_fetch_at = excluded.last_fetch_at,
        last_status = excluded.last_status,
        last_error = excluded.last_error,
        entries_seen = excluded.entries_seen,
        consecutive_failures = CASE WHEN excluded.consecutive_failures > 0
            THEN source_health.consecutive_failures + 1 ELSE 0 END,
        interval_seconds = excluded.interval_seconds,
        next_due_at = excluded.next_due_at,
        last_warning = coalesce(?, source_health.last_warning)
"""


def save_outcome(db: sqlite3.Connection, outcome: FetchOutcome, keep_log: int) -> SavedOutcome:
    """Store one refresh's validators, articles, health and log row; see `Store.save_outcome`."""
    exists = db.execute("SELECT 1 FROM sources WHERE id = ?", (outcome.source_id,)).fetchone()
    if exists is None:
        raise StoreError(f"source {outcome.source_id} no longer exists")
    db.execute(
        "UPDATE sources SET etag = coalesce(?, etag), last_modified = coalesce(?, last_modified),"
        f" title = {FEED_TITLE.format(mark='?')}, site_url = coalesce(?, site_url) WHERE id = ?",
        (outcome.etag, outcome.last_modified, outcome.title, outcome.site_url, outcome.source_id),
    )
    new_article_ids, new_entries = _save_articles(db, outcome)
    _record_health(db, outcome)
    _append_fetch_log(db, outcome, len(new_article_ids), keep_log)
    return SavedOutcome(new_article_ids=tuple(new_article_ids), new_entries=new_entries)


def _save_articles(db: sqlite3.Connection, outcome: FetchOutcome) -> tuple[list[int], int]:
    seen_at = time_to_text(outcome.fetched_at)
    for article in outcome.articles:
        if article.source_id != outcome.source_id:
            raise StoreError(
                f"article {article.url!r} belongs to source {article.source_id},"
                f" not {outcome.source_id}"
            )
    # Two look-ups for the whole batch instead of two per article.
    seen = _existing(
        db,
        "SELECT guid FROM entries WHERE source_id = ? AND guid IN ({})",
        [a.guid or a.url for a in outcome.articles],
        (outcome.source_id,),
    )
    article_ids = _existing_ids(db, [a.canonical_url or a.url for a in outcome.articles])
    new_article_ids: list[int] = []
    indexed: list[tuple[int, str, str]] = []
    entries: list[tuple[object, ...]] = []
    for article in outcome.articles:
        guid = article.guid or article.url
        if guid in seen:
            continue
        seen.add(guid)
        canonical_url = article.canonical_url or article.url
        article_id = article_ids.get(canonical_url)
        if article_id is None and article.link_only:
            continue  # the article it points at is gone: the next refresh assembles it afresh
        if article_id is None:
            values = article_values(article, canonical_url, outcome.fetched_at)
            inserted = db.execute(_INSERT_ARTICLE, values).lastrowid
            assert inserted is not None
            article_id = article_ids[canonical_url] = inserted
            new_article_ids.append(article_id)
            indexed.append((article_id, article.title, article.text))
            _save_tags(db, article_id, article)
        entries.append((outcome.source_id, guid, article.url, article_id, seen_at))
    # One statement for the batch: FTS5 indexes it in about half the time a per-row trigger takes
    # (migration 3 dropped that trigger; the update and delete triggers stay).
    db.executemany("INSERT INTO articles_fts (rowid, title, text) VALUES (?, ?, ?)", indexed)
    db.executemany(
        "INSERT INTO entries (source_id, guid, url, article_id, seen_at) VALUES (?, ?, ?, ?, ?)",
        entries,
    )
    return new_article_ids, len(entries)


def _save_tags(db: sqlite3.Connection, article_id: int, article: NewArticle) -> None:
    if not article.places and not article.topics:  # understanding off: skip two empty calls
        return
    db.executemany(
        "INSERT OR IGNORE INTO article_places (article_id, name, kind, country_code, country,"
        " region, mentions) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (article_id, p.name, p.kind, p.country_code, p.country, p.region, p.mentions)
            for p in article.places
        ],
    )
    db.executemany(
        "INSERT OR IGNORE INTO article_topics (article_id, key, name, kind, mentions)"
        " VALUES (?, ?, ?, ?, ?)",
        [(article_id, t.key, t.name, t.kind, t.mentions) for t in article.topics],
    )


_CHUNK = 500  # well under SQLite's limit on bound parameters


def _existing(
    db: sqlite3.Connection, query: str, keys: list[str], params: tuple[object, ...]
) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        found.update(row[0] for row in db.execute(query.format(marks), (*params, *chunk)))
    return found


def _existing_ids(db: sqlite3.Connection, urls: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for start in range(0, len(urls), _CHUNK):
        chunk = urls[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        query = f"SELECT canonical_url, id FROM articles WHERE canonical_url IN ({marks})"
        found.update((url, article_id) for url, article_id in db.execute(query, chunk))
    return found


def _record_health(db: sqlite3.Connection, outcome: FetchOutcome) -> None:
    db.execute(
        _UPSERT_HEALTH,
        (
            outcome.source_id,
            time_to_text(outcome.fetched_at),
            outcome.status,
            outcome.error,
            outcome.entries_seen,
            1 if outcome.failed else 0,
            outcome.interval_seconds,
            time_to_text(outcome.next_due_at),
            outcome.warning,
            outcome.warning,
        ),
    )


def _append_fetch_log(
    db: sqlite3.Connection, outcome: FetchOutcome, new_articles: int, keep_log: int
) -> None:
    db.execute(
        "INSERT INTO fetch_log (source_id, fetched_at, status, error, entries_seen, new_articles,"
        " duration_ms) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            outcome.source_id,
            time_to_text(outcome.fetched_at),
            outcome.status,
            outcome.error,
            outcome.entries_seen,
            new_articles,
            outcome.duration_ms,
        ),
    )
    db.execute(
        "DELETE FROM fetch_log WHERE source_id = ? AND id <= (SELECT id FROM fetch_log"
        " WHERE source_id = ? ORDER BY id DESC LIMIT 1 OFFSET ?)",
        (outcome.source_id, outcome.source_id, keep_log),
    )


def delete_source(db: sqlite3.Connection, source_id: int) -> bool:
    """Delete a source with its health, log and entries, and the articles only it pointed at;
    the stories they were in are recounted."""
    stories = db.execute(
        "SELECT DISTINCT story_id FROM articles WHERE source_id = ? AND story_id IS NOT NULL",
        (source_id,),
    ).fetchall()
    # An article another source also brought survives, handed over to that source.
    db.execute(
        "UPDATE articles SET source_id = (SELECT e.source_id FROM entries e"
        " WHERE e.article_id = articles.id AND e.source_id <> :source ORDER BY e.id LIMIT 1)"
        " WHERE source_id = :source AND EXISTS (SELECT 1 FROM entries e"
        " WHERE e.article_id = articles.id AND e.source_id <> :source)",
        {"source": source_id},
    )
    db.execute("DELETE FROM entries WHERE source_id = ?", (source_id,))
    db.execute(
        "DELETE FROM articles WHERE source_id = ? AND NOT EXISTS"
        " (SELECT 1 FROM entries e WHERE e.article_id = articles.id)",
        (source_id,),
    )
    deleted = db.execute("DELETE FROM sources WHERE id = ?", (source_id,)).rowcount
    db.executemany(RECOUNT_STORY.format(m="?"), [(row[0],) for row in stories])
    return deleted > 0
