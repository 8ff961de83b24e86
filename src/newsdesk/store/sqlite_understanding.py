"""The understanding part of the SQLite store: sections, places, topics and source stats."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from newsdesk.models import Article, Place, Topic
from newsdesk.pipeline.classify import SourceEvidence, SourceStats, apply_correction
from newsdesk.store.base_understanding import (
    PlaceCount,
    TopicCount,
    checked_section,
    merge_topic_rows,
)
from newsdesk.store.paging import before_cursor
from newsdesk.store.rows import ARTICLE_COLUMNS, article_from_row, time_to_text
from newsdesk.store.sqlite_access import SQLiteAccess
from newsdesk.store.understanding_pages import UnderstandingPages

_FROM = "FROM articles a JOIN sources s ON s.id = a.source_id"
_PLACE = "name, kind, country_code, country, region"


class SQLiteUnderstanding(UnderstandingPages, SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_understanding.UnderstandingStore`."""

    def source_stats(self, source_id: int) -> SourceStats:
        with self._reading() as db:
            return _stats(db, source_id)

    def save_source_stats(self, source_id: int, stats: SourceStats) -> None:
        with self._writing() as db:
            _save_stats(db, source_id, stats)

    def update_source_stats(
        self, source_id: int, update: Callable[[SourceStats], SourceStats]
    ) -> SourceStats:
        with self._writing() as db:
            return _update_stats(db, source_id, update)

    def correct_section(self, article_id: int, section: str, username: str = "") -> Article:
        from newsdesk.store.base import StoreError  # here: base imports the mixins' protocol

        checked_section(section)
        with self._writing() as db:
            row = db.execute(
                "SELECT a.source_id, a.section, a.url, a.categories, s.section AS declared"
                f" {_FROM} WHERE a.id = ?",
                (article_id,),
            ).fetchone()
            if row is None:
                raise StoreError(f"no article with id {article_id}")
            db.execute(
                "UPDATE articles SET section = ?, section_source = 'user' WHERE id = ?",
                (section, article_id),
            )
            db.execute(
                "INSERT INTO section_corrections (article_id, source_id, previous, section,"
                " username, corrected_at) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    article_id,
                    row["source_id"],
                    row["section"],
                    section,
                    username,
                    time_to_text(datetime.now(UTC)),
                ),
            )
            evidence = SourceEvidence(
                row["declared"], tuple(json.loads(row["categories"])), row["url"]
            )
            _update_stats(
                db, row["source_id"], lambda stats: apply_correction(stats, evidence, section)
            )
            return _articles(db, f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE a.id = ?", [article_id])[
                0
            ]

    def _understanding_page(
        self,
        where: str,
        value: object,
        limit: int,
        before: datetime | None,
        before_id: int | None,
    ) -> list[Article]:
        cursor, cursor_params = before_cursor(before, before_id, "?", time_to_text)
        conditions, params = [where, *cursor], [value, *cursor_params]
        sql = (
            f"SELECT {ARTICLE_COLUMNS} {_FROM} WHERE {' AND '.join(conditions)}"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT ?"
        )
        with self._reading() as db:
            return _articles(db, sql, [*params, limit])

    def articles_per_section(
        self, since: datetime | None = None, until: datetime | None = None
    ) -> dict[str, int]:
        where, params = _window("a", since, until)
        sql = f"SELECT a.section, count(*) FROM articles a {where} GROUP BY a.section"
        with self._reading() as db:
            return {section: count for section, count in db.execute(sql, params)}

    def top_topics(
        self, since: datetime | None = None, limit: int = 20, min_articles: int = 2
    ) -> list[TopicCount]:
        where, params = _window("a", since, None)
        sql = (
            "SELECT t.key, t.name, t.kind, count(*) FROM article_topics t"
            f" JOIN articles a ON a.id = t.article_id {where} GROUP BY t.key, t.name, t.kind"
        )
        with self._reading() as db:
            rows = [(r[0], r[1], r[2], r[3]) for r in db.execute(sql, params)]
        return merge_topic_rows(rows, limit, min_articles)

    def top_places(
        self, since: datetime | None = None, limit: int = 20, kind: str | None = None
    ) -> list[PlaceCount]:
        where, params = _window("a", since, None)
        if kind is not None:
            where = f"{where} AND p.kind = ?" if where else "WHERE p.kind = ?"
            params.append(kind)
        sql = (
            f"SELECT p.name, p.kind, p.country_code, p.country, p.region, count(*) AS n"
            f" FROM article_places p JOIN articles a ON a.id = p.article_id {where}"
            f" GROUP BY {_PLACE} ORDER BY n DESC, p.name LIMIT ?"
        )
        with self._reading() as db:
            rows = db.execute(sql, [*params, limit]).fetchall()
        return [PlaceCount(Place(r[0], r[1], r[2], r[3], r[4], r[5]), r[5]) for r in rows]

    def places_of(self, article_id: int) -> tuple[Place, ...]:
        sql = (
            f"SELECT {_PLACE}, mentions FROM article_places WHERE article_id = ?"
            " ORDER BY mentions DESC, name"
        )
        with self._reading() as db:
            return tuple(Place(*row) for row in db.execute(sql, (article_id,)))

    def topics_of(self, article_id: int) -> tuple[Topic, ...]:
        sql = (
            "SELECT key, name, kind, mentions FROM article_topics WHERE article_id = ?"
            " ORDER BY mentions DESC, key"
        )
        with self._reading() as db:
            return tuple(Topic(*row) for row in db.execute(sql, (article_id,)))


def _stats(db: sqlite3.Connection, source_id: int) -> SourceStats:
    row = db.execute("SELECT stats FROM source_stats WHERE source_id = ?", (source_id,)).fetchone()
    return SourceStats() if row is None else SourceStats.from_dict(json.loads(row[0]))


def _save_stats(db: sqlite3.Connection, source_id: int, stats: SourceStats) -> None:
    db.execute(
        "INSERT INTO source_stats (source_id, stats) SELECT id, ? FROM sources WHERE id = ?"
        " ON CONFLICT (source_id) DO UPDATE SET stats = excluded.stats",
        (json.dumps(stats.as_dict()), source_id),
    )


def _update_stats(
    db: sqlite3.Connection, source_id: int, update: Callable[[SourceStats], SourceStats]
) -> SourceStats:
    """Within the caller's write transaction: the single writer, so nobody writes in between."""
    stats = update(_stats(db, source_id))
    _save_stats(db, source_id, stats)
    return stats


def _window(alias: str, since: datetime | None, until: datetime | None) -> tuple[str, list[object]]:
    conditions: list[str] = []
    params: list[object] = []
    if since is not None:
        conditions.append(f"{alias}.sort_time >= ?")
        params.append(time_to_text(since))
    if until is not None:
        conditions.append(f"{alias}.sort_time < ?")
        params.append(time_to_text(until))
    return (f"WHERE {' AND '.join(conditions)}" if conditions else ""), params


def _articles(db: sqlite3.Connection, sql: str, params: Sequence[object]) -> list[Article]:
    """Articles of a query on ARTICLE_COLUMNS, each with its entry ids."""
    rows = db.execute(sql, params).fetchall()
    entry_ids: dict[int, list[int]] = {row["id"]: [] for row in rows}
    if entry_ids:
        marks = ", ".join("?" * len(entry_ids))
        for article_id, entry_id in db.execute(
            f"SELECT article_id, id FROM entries WHERE article_id IN ({marks}) ORDER BY id",
            list(entry_ids),
        ):
            entry_ids[article_id].append(entry_id)
    return [article_from_row(row, entry_ids[row["id"]]) for row in rows]
