"""The understanding part of the PostgreSQL store: sections, places, topics and source stats."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from psycopg.types.json import Jsonb

from newsdesk.models import Article, Place, Topic
from newsdesk.pipeline.classify import SourceEvidence, SourceStats, apply_correction
from newsdesk.store.base_understanding import (
    PlaceCount,
    TopicCount,
    checked_section,
    merge_topic_rows,
)
from newsdesk.store.paging import before_cursor
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_rows import ARTICLE_COLUMNS, article_from_row, utc
from newsdesk.store.understanding_pages import UnderstandingPages

_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
_PLACE = "name, kind, country_code, country, region"


class PostgresUnderstanding(UnderstandingPages, PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_understanding.UnderstandingStore`."""

    _MARK = "%s"

    def source_stats(self, source_id: int) -> SourceStats:
        rows = self._rows("SELECT stats FROM source_stats WHERE source_id = %s", (source_id,))
        return SourceStats.from_dict(rows[0]["stats"]) if rows else SourceStats()

    def save_source_stats(self, source_id: int, stats: SourceStats) -> None:
        self._write(lambda conn: _save_stats(conn, source_id, stats))

    def update_source_stats(
        self, source_id: int, update: Callable[[SourceStats], SourceStats]
    ) -> SourceStats:
        return self._write(lambda conn: _update_stats(conn, source_id, update))

    def correct_section(self, article_id: int, section: str, username: str = "") -> Article:
        from newsdesk.store.base import StoreError  # here: base imports the mixins' protocol

        checked_section(section)

        def correct(conn: Connection) -> Article:
            row = conn.execute(
                "SELECT a.source_id, a.section, a.url, a.categories, s.section AS declared"
                f" {_FROM} WHERE a.id = %s FOR UPDATE OF a",
                (article_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id}")
            source_id = row["source_id"]
            conn.execute(
                "UPDATE articles SET section = %s, section_source = 'user' WHERE id = %s",
                (section, article_id),
            )
            conn.execute(
                "INSERT INTO section_corrections (article_id, source_id, previous, section,"
                " username, corrected_at) VALUES (%s, %s, %s, %s, %s, %s)",
                (article_id, source_id, row["section"], section, username, datetime.now(UTC)),
            )
            evidence = SourceEvidence(row["declared"], tuple(row["categories"]), row["url"])
            _update_stats(conn, source_id, lambda stats: apply_correction(stats, evidence, section))
            updated = conn.execute(
                f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.id = %s", (article_id,)
            ).fetchone()
            assert updated is not None
            return article_from_row(updated)

        return self._write(correct)

    def _understanding_page(
        self,
        where: str,
        value: object,
        limit: int,
        before: datetime | None,
        before_id: int | None,
    ) -> list[Article]:
        cursor, cursor_params = before_cursor(before, before_id, "%s", utc)
        conditions, params = [where, *cursor], [value, *cursor_params]
        rows = self._rows(
            f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE {' AND '.join(conditions)}"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT %s",
            [*params, limit],
        )
        return [article_from_row(row) for row in rows]

    def articles_per_section(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        where, params = _window(since, until)
        rows = self._rows(
            f"SELECT a.section, count(*) AS n FROM articles a {where} GROUP BY a.section", params
        )
        return {row["section"]: int(row["n"]) for row in rows}

    def top_topics(
        self, since: datetime | None = None, limit: int = 20, min_articles: int = 2
    ) -> list[TopicCount]:
        where, params = _window(since, None)
        rows = self._rows(
            "SELECT t.key, t.name, t.kind, count(*) AS n FROM article_topics t"
            f" JOIN articles a ON a.id = t.article_id {where} GROUP BY t.key, t.name, t.kind",
            params,
        )
        found = [(r["key"], r["name"], r["kind"], int(r["n"])) for r in rows]
        return merge_topic_rows(found, limit, min_articles)

    def top_places(
        self, since: datetime | None = None, limit: int = 20, kind: str | None = None
    ) -> list[PlaceCount]:
        where, params = _window(since, None)
        if kind is not None:
            where = f"{where} AND p.kind = %s" if where else "WHERE p.kind = %s"
            params.append(kind)
        rows = self._rows(
            "SELECT p.name, p.kind, p.country_code, p.country, p.region, count(*) AS n"
            f" FROM article_places p JOIN articles a ON a.id = p.article_id {where}"
            f" GROUP BY {_PLACE} ORDER BY n DESC, p.name LIMIT %s",
            [*params, limit],
        )
        return [PlaceCount(_place(r, int(r["n"])), int(r["n"])) for r in rows]

    def places_of(self, article_id: int) -> tuple[Place, ...]:
        rows = self._rows(
            f"SELECT {_PLACE}, mentions FROM article_places WHERE article_id = %s"
            " ORDER BY mentions DESC, name",
            (article_id,),
        )
        return tuple(_place(r, r["mentions"]) for r in rows)

    def topics_of(self, article_id: int) -> tuple[Topic, ...]:
        rows = self._rows(
            "SELECT key, name, kind, mentions FROM article_topics WHERE article_id = %s"
            " ORDER BY mentions DESC, key",
            (article_id,),
        )
        return tuple(Topic(r["key"], r["name"], r["kind"], r["mentions"]) for r in rows)


def _place(row: dict[str, object], mentions: int) -> Place:
    return Place(
        str(row["name"]),
        str(row["kind"]),
        str(row["country_code"]),
        str(row["country"]),
        str(row["region"]),
        mentions,
    )


def _save_stats(conn: Connection, source_id: int, stats: SourceStats) -> None:
    conn.execute(
        "INSERT INTO source_stats (source_id, stats) SELECT id, %s FROM sources WHERE id = %s"
        " ON CONFLICT (source_id) DO UPDATE SET stats = excluded.stats",
        (Jsonb(stats.as_dict()), source_id),
    )


def _update_stats(
    conn: Connection, source_id: int, update: Callable[[SourceStats], SourceStats]
) -> SourceStats:
    """Within the caller's transaction, holding the stats row's lock until it ends."""
    # A row to lock even before the source's first stats, so that two first updates both count.
    conn.execute(
        "INSERT INTO source_stats (source_id, stats) SELECT id, %s FROM sources WHERE id = %s"
        " ON CONFLICT (source_id) DO NOTHING",
        (Jsonb(SourceStats().as_dict()), source_id),
    )
    stored = conn.execute(
        "SELECT stats FROM source_stats WHERE source_id = %s FOR UPDATE", (source_id,)
    ).fetchone()
    stats = update(SourceStats.from_dict(stored["stats"]) if stored else SourceStats())
    _save_stats(conn, source_id, stats)
    return stats


def _window(since: datetime | None, until: datetime | None) -> tuple[str, list[object]]:
    conditions: list[str] = []
    params: list[object] = []
    if since is not None:
        conditions.append("a.sort_time >= %s")
        params.append(utc(since))
    if until is not None:
        conditions.append("a.sort_time < %s")
        params.append(utc(until))
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), params
