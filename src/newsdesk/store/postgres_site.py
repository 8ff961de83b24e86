"""The site part of the PostgreSQL store."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from newsdesk.models import Article, Place, Story, Topic
from newsdesk.store.base_site import ArticleFilter, Mute, MuteKind, SearchQuery, SectionCount
from newsdesk.store.paging import before_cursor
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_rows import Row, article_from_row, clean_text, utc
from newsdesk.store.postgres_search import text_query
from newsdesk.store.site_sql import (
    COVERAGE_CONDITION,
    STORY_COLUMNS,
    article_conditions,
    story_conditions,
    where,
)

# Listings never show entry ids, so they are not loaded (article_by_id has them).
_COLUMNS = (
    "a.id, a.source_id, a.url, a.canonical_url, a.title, a.summary, a.text, a.content_html,"
    " a.author, a.sort_time, a.fetched_at, a.image, a.language, a.categories, a.extraction,"
    " a.extraction_error, s.title AS source_title, a.section, a.section_source, a.story_id,"
    " a.duplicate_of, '{}'::bigint[] AS entry_ids"
)
_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
_NEWEST = "ORDER BY a.sort_time DESC, a.id DESC"


class PostgresSite(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_site.SiteStore`."""

    def site_articles(
        self,
        filter: ArticleFilter,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        clauses, params = article_conditions(filter, self._site_mutes(filter), "%s", utc)
        cursor, cursor_params = before_cursor(before, before_id, "%s", utc)
        clauses.extend(cursor)
        params.extend(cursor_params)
        sql = f"SELECT {_COLUMNS} {_FROM} {where(clauses)} {_NEWEST} LIMIT %s"
        return [article_from_row(row) for row in self._rows(sql, [*params, limit])]

    def site_search(self, query: SearchQuery) -> list[Article]:
        match = text_query(query.text)
        if match is None:
            return []
        clauses, params = article_conditions(
            query.filter, self._site_mutes(query.filter), "%s", utc
        )
        # Only ids go through the sort: the matches' full rows (text, HTML) are never carried.
        order = (
            "ORDER BY ts_rank(a.search_vector, q.query) DESC, a.sort_time DESC, a.id DESC"
            if query.order == "relevance"
            else _NEWEST
        )
        sql = (
            f"SELECT a.id {_FROM} CROSS JOIN (SELECT {match.sql} AS query) q"
            f" {where(['a.search_vector @@ q.query', *clauses])} {order} LIMIT %s OFFSET %s"
        )
        rows = self._rows(sql, [*match.params, *params, query.limit, query.offset])
        return self.site_articles_by_ids([row["id"] for row in rows])

    def site_articles_by_ids(self, article_ids: Sequence[int]) -> list[Article]:
        ids = list(dict.fromkeys(article_ids))[:500]
        if not ids:
            return []
        rows = self._rows(f"SELECT {_COLUMNS} {_FROM} WHERE a.id = ANY(%s)", [ids])
        found = {a.id: a for a in (article_from_row(row) for row in rows)}
        return [found[i] for i in ids if i in found]

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
        mutes = self.list_mutes() if apply_mutes else []
        clauses, params = story_conditions(section, region, mutes, "%s")
        if before_score is not None:
            clauses.append("(st.score, st.id) < (%s, %s)")
            params.extend((before_score, before_id if before_id is not None else 0))
        rows = self._rows(
            f"SELECT {STORY_COLUMNS} FROM stories st {where(clauses)}"
            " ORDER BY st.score DESC, st.id DESC LIMIT %s",
            [*params, limit],
        )
        return [_story(row) for row in rows]

    def site_story(self, story_id: int) -> Story | None:
        for _ in range(20):  # a chain of merges is short; never loop forever on a cycle
            rows = self._rows(
                f"SELECT {STORY_COLUMNS} FROM stories st WHERE st.id = %s", [story_id]
            )
            if not rows:
                return None
            if rows[0]["merged_into"] is None:
                return _story(rows[0])
            story_id = rows[0]["merged_into"]
        return None

    def story_coverage(self, story_id: int) -> list[Article]:
        condition = COVERAGE_CONDITION.format(m="%s")
        sql = f"SELECT {_COLUMNS} {_FROM} WHERE {condition} ORDER BY a.sort_time, a.id"
        return [article_from_row(row) for row in self._rows(sql, [story_id, story_id])]

    def related_stories(self, story_id: int, limit: int = 5) -> list[Story]:
        rows = self._rows(
            f"SELECT {STORY_COLUMNS} FROM story_related r JOIN stories st ON st.id = r.related_id"
            " WHERE r.story_id = %s AND st.merged_into IS NULL AND st.id != %s"
            " ORDER BY r.score DESC, st.id LIMIT %s",
            [story_id, story_id, limit],
        )
        return [_story(row) for row in rows]

    def related_articles(self, article_id: int, limit: int = 5) -> list[Article]:
        sql = (
            f"SELECT {_COLUMNS} FROM (SELECT t.article_id, count(*) AS shared"
            " FROM article_topics t WHERE t.article_id != %s AND t.key IN"
            " (SELECT key FROM article_topics WHERE article_id = %s) GROUP BY t.article_id) r"
            " JOIN articles a ON a.id = r.article_id JOIN sources s ON s.id = a.source_id"
            " WHERE a.duplicate_of IS NULL"
            " ORDER BY r.shared DESC, a.sort_time DESC, a.id DESC LIMIT %s"
        )
        rows = self._rows(sql, [article_id, article_id, limit])
        return [article_from_row(row) for row in rows]

    def site_places_of(self, article_id: int) -> list[Place]:
        rows = self._rows(
            "SELECT name, kind, country_code, country, region, mentions FROM article_places"
            " WHERE article_id = %s ORDER BY mentions DESC, name",
            [article_id],
        )
        return [Place(**row) for row in rows]

    def site_topics_of(self, article_id: int) -> list[Topic]:
        rows = self._rows(
            "SELECT key, name, kind, mentions FROM article_topics"
            " WHERE article_id = %s ORDER BY mentions DESC, name",
            [article_id],
        )
        return [Topic(**row) for row in rows]

    def site_topic(self, key: str) -> Topic | None:
        rows = self._rows(
            "SELECT key, name, kind, count(*)::int AS mentions FROM article_topics"
            " WHERE key = %s GROUP BY key, name, kind ORDER BY mentions DESC, name LIMIT 1",
            [clean_text(key)],
        )
        return Topic(**rows[0]) if rows else None

    def site_place(self, country_code: str) -> Place | None:
        rows = self._rows(
            "SELECT country AS name, 'country' AS kind, country_code, country, region,"
            " count(*)::int AS mentions FROM article_places WHERE country_code = %s"
            " GROUP BY country_code, country, region ORDER BY mentions DESC LIMIT 1",
            [clean_text(country_code.upper())],
        )
        return Place(**rows[0]) if rows else None

    def section_counts(self, since: datetime) -> list[SectionCount]:
        moment = utc(since)
        stories = {
            row["section"]: int(row["n"])
            for row in self._rows(
                "SELECT section, count(*) AS n FROM stories WHERE merged_into IS NULL"
                " AND article_count > 0 AND last_seen >= %s AND section != ''"
                " GROUP BY section",
                [moment],
            )
        }
        articles = {
            row["section"]: int(row["n"])
            for row in self._rows(
                "SELECT section, count(*) AS n FROM articles WHERE sort_time >= %s"
                " AND section != '' GROUP BY section",
                [moment],
            )
        }
        counts = [
            SectionCount(name, stories.get(name, 0), articles.get(name, 0))
            for name in {*stories, *articles}
        ]
        return sorted(counts, key=lambda c: (-c.stories, -c.articles, c.section))

    def newest_article_time(self) -> datetime | None:
        value = self._rows("SELECT max(sort_time) AS t FROM articles")[0]["t"]
        return None if value is None else utc(value)

    def list_mutes(self) -> list[Mute]:
        rows = self._rows("SELECT kind, ref, created_at FROM mutes ORDER BY kind, ref")
        return [_mute(row) for row in rows]

    def add_mute(self, kind: MuteKind, ref: str) -> Mute:
        def work(conn: Connection) -> Row:
            conn.execute(
                "INSERT INTO mutes (kind, ref, created_at) VALUES (%s, %s, %s)"
                " ON CONFLICT (kind, ref) DO NOTHING",
                (kind, clean_text(ref), datetime.now(UTC)),
            )
            row: Row | None = conn.execute(
                "SELECT kind, ref, created_at FROM mutes WHERE kind = %s AND ref = %s",
                (kind, clean_text(ref)),
            ).fetchone()
            assert row is not None
            return row

        return _mute(self._write(work))

    def remove_mute(self, kind: MuteKind, ref: str) -> bool:
        def work(conn: Connection) -> bool:
            cursor = conn.execute(
                "DELETE FROM mutes WHERE kind = %s AND ref = %s", (kind, clean_text(ref))
            )
            return cursor.rowcount > 0

        return self._write(work)

    def _site_mutes(self, filter: ArticleFilter) -> list[Mute]:
        return self.list_mutes() if filter.apply_mutes else []


def _mute(row: Row) -> Mute:
    return Mute(row["kind"], row["ref"], utc(row["created_at"]))


def _story(row: Row) -> Story:
    return Story(
        id=row["id"],
        title=row["title"],
        lead_article_id=row["lead_article_id"],
        section=row["section"],
        first_seen=utc(row["first_seen"]),
        last_seen=utc(row["last_seen"]),
        article_count=row["article_count"],
        outlet_count=row["outlet_count"],
        score=row["score"],
        merged_into=row["merged_into"],
    )
