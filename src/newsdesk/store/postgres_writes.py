"""The PostgreSQL store's multi-statement writes, each run inside the caller's transaction.

Several processes may write at once, so every write takes its locks in one global order:
first the source row, then transaction-level advisory locks on the canonical URLs it touches,
sorted. Two refreshes sharing articles therefore queue instead of deadlocking, and a source
removal never deletes an article another refresh is attaching an entry to.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import psycopg

from newsdesk.models import NewArticle
from newsdesk.store.base import FetchOutcome, SavedOutcome, StoreError
from newsdesk.store.base_stories import RECOUNT_STORY
from newsdesk.store.postgres_migrations import LOCK_NAMESPACE
from newsdesk.store.postgres_rows import article_params, clean_text, optional_text, utc
from newsdesk.store.rows import FEED_TITLE

Connection = psycopg.Connection[Any]

# Source removals are rare: one at a time keeps two of them from handing articles to each other.
_REMOVAL_LOCK = "source-removal"

_INSERT_ARTICLE = """
    INSERT INTO articles (
        source_id, url, canonical_url, title, summary, text, content_html, author, published,
        sort_time, fetched_at, image, language, categories, enclosures, extraction,
        extraction_error, section, section_scores, section_source
    ) VALUES (
        %(source_id)s, %(url)s, %(canonical_url)s, %(title)s, %(summary)s, %(text)s,
        %(content_html)s, %(author)s, %(published)s, %(sort_time)s, %(fetched_at)s, %(image)s,
        %(language)s, %(categories)s, %(enclosures)s, %(extraction)s, %(extraction_error)s,
        %(section)s, %(section_scores)s, %(section_source)s
    )
    ON CONFLICT (canonical_url) DO NOTHING
    RETURNING id
"""

_UPSERT_HEALTH = """
    INSERT INTO source_health (
        source_id, last_fetch_at, last_status, last_error, entries_seen, consecutive_failures,
        interval_seconds, next_due_at, last_warning
    ) VALUES (%s, %s, %s, %s, %s, %s, %s, %s, coalesce(%s, ''))
    ON CONFLICT (source_id) DO UPDATE SET
        last_fetch_at = excluded.last_fetch_at,
        last_status = excluded.last_status,
        last_error = excluded.last_error,
        entries_seen = excluded.entries_seen,
        consecutive_failures = CASE WHEN excluded.consecutive_failures > 0
            THEN source_health.consecutive_failures + 1 ELSE 0 END,
        interval_seconds = excluded.interval_seconds,
        next_due_at = excluded.next_due_at,
        last_warning = coalesce(%s, source_health.last_warning)
"""


def lock_keys(conn: Connection, names: Iterable[str]) -> None:
    """Take transaction-level advisory locks on `names`, in one order shared by every writer."""
    keys = sorted({clean_text(name) for name in names})
    if keys:
        conn.execute(
            "SELECT count(pg_advisory_xact_lock(%s, k.key)) FROM"
            " (SELECT DISTINCT hashtext(name) AS key FROM unnest(%s::text[]) AS name"
            " ORDER BY key) AS k",
            (LOCK_NAMESPACE, keys),
        )


def save_outcome(conn: Connection, outcome: FetchOutcome, keep_log: int) -> SavedOutcome:
    """Store one refresh's validators, articles, health and log row; see `Store.save_outcome`."""
    # The update locks the source row: refreshes of one source queue here, and the source
    # cannot be removed until this transaction ends.
    updated = conn.execute(
        "UPDATE sources SET etag = coalesce(%s, etag),"
        f" last_modified = coalesce(%s, last_modified), title = {FEED_TITLE.format(mark='%s')},"
        " site_url = coalesce(%s, site_url) WHERE id = %s RETURNING id",
        (
            optional_text(outcome.etag),
            optional_text(outcome.last_modified),
            optional_text(outcome.title),
            optional_text(outcome.site_url),
            outcome.source_id,
        ),
    ).fetchone()
    if updated is None:
        raise StoreError(f"source {outcome.source_id} no longer exists")
    new_article_ids, new_entries = _save_articles(conn, outcome)
    _record_health(conn, outcome)
    _append_fetch_log(conn, outcome, len(new_article_ids), keep_log)
    return SavedOutcome(new_article_ids=tuple(new_article_ids), new_entries=new_entries)


def _save_tags(conn: Connection, article_id: int, article: NewArticle) -> None:
    with conn.cursor() as cur:
        cur.executemany(
            "INSERT INTO article_places (article_id, name, kind, country_code, country, region,"
            " mentions) VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [
                (article_id, p.name, p.kind, p.country_code, p.country, p.region, p.mentions)
                for p in article.places
            ],
        )
        cur.executemany(
            "INSERT INTO article_topics (article_id, key, name, kind, mentions)"
            " VALUES (%s, %s, %s, %s, %s) ON CONFLICT DO NOTHING",
            [(article_id, t.key, t.name, t.kind, t.mentions) for t in article.topics],
        )


def _save_articles(conn: Connection, outcome: FetchOutcome) -> tuple[list[int], int]:
    for article in outcome.articles:
        if article.source_id != outcome.source_id:
            raise StoreError(
                f"article {article.url!r} belongs to source {article.source_id},"
                f" not {outcome.source_id}"
            )
    if not outcome.articles:
        return [], 0
    lock_keys(conn, (a.canonical_url or a.url for a in outcome.articles))
    seen = _known_guids(conn, outcome.source_id, [a.guid or a.url for a in outcome.articles])
    new_article_ids: list[int] = []
    new_entries = 0
    for article in outcome.articles:
        guid = clean_text(article.guid or article.url)
        if guid in seen:
            continue
        canonical_url = clean_text(article.canonical_url or article.url)
        if article.link_only:
            stored = _stored_article_id(conn, canonical_url)
            if stored is None:
                continue  # the article it points at is gone: the next refresh assembles it afresh
            article_id, inserted = stored, False
        else:
            article_id, inserted = _article_id(
                conn, article_params(article, canonical_url, outcome.fetched_at)
            )
        if inserted:
            new_article_ids.append(article_id)
            _save_tags(conn, article_id, article)
        conn.execute(
            "INSERT INTO entries (source_id, guid, url, article_id, seen_at)"
            " VALUES (%s, %s, %s, %s, %s)",
            (outcome.source_id, guid, clean_text(article.url), article_id, utc(outcome.fetched_at)),
        )
        seen.add(guid)
        new_entries += 1
    return new_article_ids, new_entries


def _known_guids(conn: Connection, source_id: int, guids: list[str]) -> set[str]:
    rows = conn.execute(
        "SELECT guid FROM entries WHERE source_id = %s AND guid = ANY(%s::text[])",
        (source_id, [clean_text(guid) for guid in guids]),
    ).fetchall()
    return {row["guid"] for row in rows}


def _article_id(conn: Connection, params: dict[str, Any]) -> tuple[int, bool]:
    """The id of the article with this canonical URL, inserted if new; True if inserted."""
    # The URL lock makes one pass enough; the loop only guards against a writer that skips it.
    for _ in range(3):
        row = conn.execute(_INSERT_ARTICLE, params).fetchone()
        if row is not None:
            return int(row["id"]), True
        stored = _stored_article_id(conn, params["canonical_url"])
        if stored is not None:
            return stored, False
    raise StoreError(f"article {params['canonical_url']!r} keeps changing; try again")


def _stored_article_id(conn: Connection, canonical_url: str) -> int | None:
    """The id of the article stored under `canonical_url`, kept from deletion until commit."""
    row = conn.execute(
        "SELECT id FROM articles WHERE canonical_url = %s FOR KEY SHARE", (canonical_url,)
    ).fetchone()
    return None if row is None else int(row["id"])


def _record_health(conn: Connection, outcome: FetchOutcome) -> None:
    conn.execute(
        _UPSERT_HEALTH,
        (
            outcome.source_id,
            utc(outcome.fetched_at),
            outcome.status,
            clean_text(outcome.error),
            outcome.entries_seen,
            1 if outcome.failed else 0,
            outcome.interval_seconds,
            utc(outcome.next_due_at),
            None if outcome.warning is None else clean_text(outcome.warning),
            None if outcome.warning is None else clean_text(outcome.warning),
        ),
    )


def _append_fetch_log(
    conn: Connection, outcome: FetchOutcome, new_articles: int, keep_log: int
) -> None:
    conn.execute(
        "INSERT INTO fetch_log (source_id, fetched_at, status, error, entries_seen, new_articles,"
        " duration_ms) VALUES (%s, %s, %s, %s, %s, %s, %s)",
        (
            outcome.source_id,
            utc(outcome.fetched_at),
            outcome.status,
            clean_text(outcome.error),
            outcome.entries_seen,
            new_articles,
            outcome.duration_ms,
        ),
    )
    conn.execute(
        "DELETE FROM fetch_log WHERE source_id = %(source)s AND id <= (SELECT id FROM fetch_log"
        " WHERE source_id = %(source)s ORDER BY id DESC LIMIT 1 OFFSET %(keep)s)",
        {"source": outcome.source_id, "keep": keep_log},
    )


def delete_source(conn: Connection, source_id: int) -> bool:
    """Delete a source with its health, log and entries, and the articles only it pointed at;
    the stories they were in are recounted."""
    conn.execute("SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (LOCK_NAMESPACE, _REMOVAL_LOCK))
    found = conn.execute("SELECT id FROM sources WHERE id = %s FOR UPDATE", (source_id,)).fetchone()
    if found is None:
        return False
    # With the source locked its set of articles is fixed; locking their URLs waits for any
    # refresh of another source that is attaching an entry to one of them.
    owned = conn.execute(
        "SELECT canonical_url FROM articles WHERE source_id = %s", (source_id,)
    ).fetchall()
    lock_keys(conn, (row["canonical_url"] for row in owned))
    stories = conn.execute(
        "SELECT DISTINCT story_id FROM articles WHERE source_id = %s AND story_id IS NOT NULL",
        (source_id,),
    ).fetchall()
    # An article another source also brought survives, handed over to that source.
    conn.execute(
        "UPDATE articles SET source_id = (SELECT e.source_id FROM entries e"
        " WHERE e.article_id = articles.id AND e.source_id <> %(source)s ORDER BY e.id LIMIT 1)"
        " WHERE source_id = %(source)s AND EXISTS (SELECT 1 FROM entries e"
        " WHERE e.article_id = articles.id AND e.source_id <> %(source)s)",
        {"source": source_id},
    )
    conn.execute("DELETE FROM entries WHERE source_id = %s", (source_id,))
    conn.execute(
        "DELETE FROM articles WHERE source_id = %s AND NOT EXISTS"
        " (SELECT 1 FROM entries e WHERE e.article_id = articles.id)",
        (source_id,),
    )
    conn.execute("DELETE FROM sources WHERE id = %s", (source_id,))
    with conn.cursor() as cur:
        cur.executemany(RECOUNT_STORY.format(m="%s"), [(row["story_id"],) for row in stories])
    return True
