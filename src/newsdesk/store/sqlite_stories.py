"""The stories part of the SQLite store."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Collection, Sequence
from datetime import datetime

from newsdesk.store.base_stories import (
    LAST_STORY_MOVE,
    OPT_OUT_PREFIX,
    STORY_INPUT_COLUMNS,
    STORY_MOVES,
    StoryInput,
    StoryMove,
    StoryUpdate,
    story_input_text,
    story_inputs_query,
    write_story_update,
)
from newsdesk.store.rows import text_to_time, time_to_text
from newsdesk.store.sqlite_access import SQLiteAccess

_CHUNK = 500


class SQLiteStories(SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_stories.StoriesStore`."""

    def story_inputs(
        self,
        since: datetime,
        *,
        after: tuple[datetime, int] | None = None,
        limit: int = 1000,
        before: datetime | None = None,
        unplaced: bool = False,
    ) -> list[StoryInput]:
        sql, params = story_inputs_query(
            "?", time_to_text, since, after=after, limit=limit, before=before, unplaced=unplaced
        )
        with self._reading() as db:
            rows = db.execute(sql, params).fetchall()
        return [_input(row) for row in rows]

    def story_inputs_by_ids(
        self, article_ids: Sequence[int], *, placed_only: bool = False
    ) -> list[StoryInput]:
        ids = list(dict.fromkeys(article_ids))
        placed = " AND a.story_id IS NOT NULL" if placed_only else ""
        found: list[StoryInput] = []
        with self._reading() as db:
            for start in range(0, len(ids), _CHUNK):
                chunk = ids[start : start + _CHUNK]
                marks = ", ".join("?" * len(chunk))
                sql = (
                    f"SELECT {STORY_INPUT_COLUMNS} FROM articles a WHERE a.id IN ({marks}){placed}"
                )
                found.extend(_input(row) for row in db.execute(sql, chunk).fetchall())
        return sorted(found, key=lambda i: (i.published, i.id))

    def story_inputs_after(
        self, article_id: int, limit: int = 1000, *, excluding: Collection[int] = ()
    ) -> list[StoryInput]:
        sql = f"SELECT {STORY_INPUT_COLUMNS} FROM articles a WHERE a.id > ?"
        params: list[object] = [article_id]
        if excluding:
            # One JSON parameter, however many ids: no limit on bound variables to reach.
            sql += " AND a.id NOT IN (SELECT value FROM json_each(?))"
            params.append(json.dumps([int(i) for i in excluding]))
        with self._reading() as db:
            rows = db.execute(f"{sql} ORDER BY a.id LIMIT ?", [*params, limit]).fetchall()
        return [_input(row) for row in rows]

    def last_article_id(self) -> int:
        with self._reading() as db:
            row = db.execute("SELECT max(id) FROM articles").fetchone()
        return int(row[0] or 0)

    def save_story_update(self, update: StoryUpdate) -> None:
        with self._writing() as db:
            write_story_update(db, update, mark="?", when=time_to_text)

    def story_moves(self, after: tuple[int, int] = (0, 0), limit: int = 1000) -> list[StoryMove]:
        with self._reading() as db:
            rows = db.execute(STORY_MOVES.format(m="?"), (*after, limit)).fetchall()
        return [StoryMove(*row) for row in rows]

    def last_story_move(self) -> tuple[int, int]:
        with self._reading() as db:
            row = db.execute(LAST_STORY_MOVE).fetchone()
        return (0, 0) if row is None else (int(row[0]), int(row[1]))

    def dedup_opt_outs(self) -> set[int]:
        with self._reading() as db:
            rows = db.execute(
                "SELECT name FROM app_state WHERE name LIKE ?", (OPT_OUT_PREFIX + "%",)
            ).fetchall()
        return {int(row["name"][len(OPT_OUT_PREFIX) :]) for row in rows}

    def set_dedup_opt_out(self, source_id: int, opted_out: bool = True) -> None:
        name = f"{OPT_OUT_PREFIX}{int(source_id)}"
        with self._writing() as db:
            if opted_out:
                db.execute(
                    "INSERT INTO app_state (name, value) VALUES (?, '1')"
                    " ON CONFLICT (name) DO NOTHING",
                    (name,),
                )
            else:
                db.execute("DELETE FROM app_state WHERE name = ?", (name,))


def _input(row: sqlite3.Row) -> StoryInput:
    return StoryInput(
        id=row["id"],
        source_id=row["source_id"],
        title=row["title"],
        text=story_input_text(row["text"], row["summary"]),
        url=row["canonical_url"] or row["url"],
        published=text_to_time(row["sort_time"]),
        fetched_at=text_to_time(row["fetched_at"]),
        section=row["section"],
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
    )
