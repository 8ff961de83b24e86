"""The site part of the SQLite store."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import UTC, datetime

from newsdesk.models import Article, Place, Story, Topic
from newsdesk.store.base_site import ArticleFilter, Mute, MuteKind, SearchQuery, SectionCount
from newsdesk.store.paging import before_cursor
from newsdesk.store.rows import ARTICLE_COLUMNS, article_from_row, text_to_time, time_to_text
from newsdesk.store.site_sql import (
    COVERAGE_CONDITION,
    STORY_COLUMNS,
    article_conditions,
    story_conditions,
    where,
)
from newsdesk.store.sqlite_access import SQLiteAccess
from newsdesk.store.sqlite_search import fts5_query, search_page_ids

_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
_NEWEST = "ORDER BY a.sort_time DESC, a.id DESC"


class SQLiteSite(SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_site.SiteStore`."""

    def site_articles(
        self,
        filter: ArticleFilter,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        with self._reading() as db:
            clauses, params = article_conditions(filter, _mutes(db), "?", time_to_text)
            cursor, cursor_params = before_cursor(before, before_id, "?", time_to_text)
            clauses.extend(cursor)
            params.extend(cursor_params)
            sql = f"SELECT {ARTICLE_COLUMNS} {_FROM} {where(clauses)} {_NEWEST} LIMIT ?"
            return _articles(db, sql, [*params, limit])

    def site_search(self, query: SearchQuery) -> list[Article]:
        match = fts5_query(query.text)
        if not match:
            return []
        with self._reading() as db:
            clauses, params = article_conditions(query.filter, _mutes(db), "?", time_to_text)
            ids = search_page_ids(db, match, clauses, params, query)
            return _articles_by_ids(db, ids)

    def site_articles_by_ids(self, article_ids: Sequence[int]) -> list[Article]:
        with self._reading() as db:
            return _articles_by_ids(db, article_ids)

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
        with self._reading() as db:
            mutes = _mutes(db) if apply_mutes else []
            clauses, params = story_conditions(section, region, mutes, "?")
            if before_score is not None:
                clauses.append("(st.score, st.id) < (?, ?)")
                params.extend((before_score, before_id if before_id is not None else 0))
            rows = db.execute(
                f"SELECT {STORY_COLUMNS} FROM stories st {where(clauses)}"
                " ORDER BY st.score DESC, st.id DESC LIMIT ?",
                [*params, limit],
            ).fetchall()
        return [_story(row) for row in rows]

    def site_story(self, story_id: int) -> Story | None:
        with self._reading() as db:
            for _ in range(20):  # a chain of merges is short; never loop forever on a cycle
                row = db.execute(
                    f"SELECT {STORY_COLUMNS} FROM stories st WHERE st.id = ?", (story_id,)
                ).fetchone()
                if row is None:
                    return None
                if row["merged_into"] is None:
                    return _story(row)
                story_id = row["merged_into"]
        return None

    def story_coverage(self, story_id: int) -> list[Article]:
        condition = COVERAGE_CONDITION.format(m="?")
        sql = f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE {condition} ORDER BY a.sort_time, a.id"
        with self._reading() as db:
            return _articles(db, sql, [story_id, story_id])

    def related_stories(self, story_id: int, limit: int = 5) -> list[Story]:
        with self._reading() as db:
            rows = db.execute(
                f"SELECT {STORY_COLUMNS} FROM story_related r"
                " JOIN stories st ON st.id = r.related_id"
                " WHERE r.story_id = ? AND st.merged_into IS NULL AND st.id != ?"
                " ORDER BY r.score DESC, st.id LIMIT ?",
                (story_id, story_id, limit),
            ).fetchall()
        return [_story(row) for row in rows]

    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]:
        sql = (
            f"SELECT {ARTICLE_COLUMNS} FROM (SELECT t.article_id, count(*) AS shared"
            " FROM article_topics t WHERE t.key IN"
            " (SELECT key FROM article_topics WHERE article_id = ?) AND t.article_id != ?"
            " GROUP BY t.article_id) r"
            " JOIN articles a ON a.id = r.article_id JOIN sources s ON s.id = a.source_id"
            " WHERE coalesce(a.duplicate_of, 0) = 0"
            " ORDER BY r.shared DESC, a.sort_time DESC, a.id DESC LIMIT ?"
        )
        with self._reading() as db:
            return _articles(db, sql, [article_id, article_id, limit])

    def site_places_of(self, article_id: int) -> list[Place]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT name, kind, country_code, country, region, mentions FROM article_places"
                " WHERE article_id = ? ORDER BY mentions DESC, name",
                (article_id,),
            ).fetchall()
        return [Place(**dict(row)) for row in rows]

    def site_topics_of(self, article_id: int) -> list[Topic]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT key, name, kind, mentions FROM article_topics"
                " WHERE article_id = ? ORDER BY mentions DESC, name",
                (article_id,),
            ).fetchall()
        return [Topic(**dict(row)) for row in rows]

    def site_topic(self, key: str) -> Topic | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT key, name, kind, count(*) AS mentions FROM article_topics"
                " WHERE key = ? GROUP BY name, kind ORDER BY mentions DESC, name LIMIT 1",
                (key,),
            ).fetchone()
        return None if row is None else Topic(**dict(row))

    def site_place(self, country_code: str) -> Place | None:
        with self._reading() as db:
            row = db.execute(
                "SELECT country AS name, 'country' AS kind, country_code, country, region,"
                " count(*) AS mentions FROM article_places WHERE country_code = ?"
                " GROUP BY country, region ORDER BY mentions DESC LIMIT 1",
                (country_code.upper(),),
            ).fetchone()
        return None if row is None else Place(**dict(row))

    def section_counts(self, since: datetime) -> list[SectionCount]:
        moment = time_to_text(since)
        with self._reading() as db:
            stories = dict(
                db.execute(
                    "SELECT section, count(*) FROM stories WHERE merged_into IS NULL"
                    " AND article_count > 0 AND last_seen >= ? AND section != ''"
                    " GROUP BY section",
                    (moment,),
                ).fetchall()
            )
            articles = dict(
                db.execute(
                    # A day is a small slice of the time index; the section index is all rows.
                    "SELECT section, count(*) FROM articles INDEXED BY articles_sort"
                    " WHERE sort_time >= ?"
                    " AND section != '' GROUP BY section",
                    (moment,),
                ).fetchall()
            )
        counts = [
            SectionCount(name, stories.get(name, 0), articles.get(name, 0))
            for name in {*stories, *articles}
        ]
        return sorted(counts, key=lambda c: (-c.stories, -c.articles, c.section))

    def newest_article_time(self) -> datetime | None:
        with self._reading() as db:
            row = db.execute("SELECT max(sort_time) FROM articles").fetchone()
        return None if row[0] is None else text_to_time(row[0])

    def list_mutes(self) -> list[Mute]:
        with self._reading() as db:
            return _mutes(db)

    def add_mute(self, kind: MuteKind, ref: str) -> Mute:
        now = time_to_text(datetime.now(UTC))
        with self._writing() as db:
            db.execute(
                "INSERT INTO mutes (kind, ref, created_at) VALUES (?, ?, ?)"
                " ON CONFLICT (kind, ref) DO NOTHING",
                (kind, ref, now),
            )
            row = db.execute(
                "SELECT kind, ref, created_at FROM mutes WHERE kind = ? AND ref = ?", (kind, ref)
            ).fetchone()
        return Mute(row["kind"], row["ref"], text_to_time(row["created_at"]))

    def remove_mute(self, kind: MuteKind, ref: str) -> bool:
        with self._writing() as db:
            cursor = db.execute("DELETE FROM mutes WHERE kind = ? AND ref = ?", (kind, ref))
        return cursor.rowcount > 0


def _mutes(db: sqlite3.Connection) -> list[Mute]:
    rows = db.execute("SELECT kind, ref, created_at FROM mutes ORDER BY kind, ref").fetchall()
    return [Mute(row["kind"], row["ref"], text_to_time(row["created_at"])) for row in rows]


def _story(row: sqlite3.Row) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        lead_article_id=row["lead_article_id"],
        section=row["section"],
        first_seen=text_to_time(row["first_seen"]),
        last_seen=text_to_time(row["last_seen"]),
        article_count=row["article_count"],
        outlet_count=row["outlet_count"],
        score=row["score"],
        merged_into=row["merged_into"],
    )


def _articles(db: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Article]:
    # Listings never show entry ids, so they are not loaded (article_by_id has them).
    return [article_from_row(row, ()) for row in db.execute(sql, params).fetchall()]


def _articles_by_ids(db: sqlite3.Connection, article_ids: Sequence[int]) -> list[Article]:
    """The articles that exist, in the order of `article_ids` (the first 500)."""
    ids = list(dict.fromkeys(article_ids))[:500]
    if not ids:
        return []
    sql = f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.id IN ({', '.join('?' * len(ids))})"
    found = {a.id: a for a in _articles(db, sql, ids)}
    return [found[i] for i in ids if i in found]
