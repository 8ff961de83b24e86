"""The stories part of the PostgreSQL store."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime

from newsdesk.store.base_stories import (
    LAST_STORY_MOVE,
    OPT_OUT_PREFIX,
    STORY_INPUT_COLUMNS,
    STORY_INPUT_ORDER,
    STORY_MOVES,
    StoryInput,
    StoryMove,
    StoryUpdate,
    story_input_text,
    story_inputs_query,
    write_story_update,
)
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_rows import Row, utc


class PostgresStories(PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_stories.StoriesStore`."""

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
            "%s", utc, since, after=after, limit=limit, before=before, unplaced=unplaced
        )
        rows = self._rows(sql, params)
        return [_input(row) for row in rows]

    def story_inputs_by_ids(
        self, article_ids: Sequence[int], *, placed_only: bool = False
    ) -> list[StoryInput]:
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        if not ids:
            return []
        placed = " AND a.story_id IS NOT NULL" if placed_only else ""
        rows = self._rows(
            f"SELECT {STORY_INPUT_COLUMNS} FROM articles a WHERE a.id = ANY(%s){placed}"
            f" {STORY_INPUT_ORDER}",
            [ids],
        )
        return [_input(row) for row in rows]

    def story_inputs_after(
        self, article_id: int, limit: int = 1000, *, excluding: Collection[int] = ()
    ) -> list[StoryInput]:
        sql = f"SELECT {STORY_INPUT_COLUMNS} FROM articles a WHERE a.id > %s"
        params: list[object] = [article_id]
        if excluding:
            sql += " AND a.id <> ALL(%s)"
            params.append([int(i) for i in excluding])
        rows = self._rows(f"{sql} ORDER BY a.id LIMIT %s", [*params, limit])
        return [_input(row) for row in rows]

    def last_article_id(self) -> int:
        rows = self._rows("SELECT coalesce(max(id), 0) AS last FROM articles")
        return int(rows[0]["last"])

    def save_story_update(self, update: StoryUpdate) -> None:
        def save(conn: Connection) -> None:
            with conn.cursor() as cur:
                write_story_update(cur, update, mark="%s", when=utc)

        self._write(save)

    def story_moves(self, after: tuple[int, int] = (0, 0), limit: int = 1000) -> list[StoryMove]:
        rows = self._rows(STORY_MOVES.format(m="%s"), [*after, limit])
        return [StoryMove(r["moved_rev"], r["id"], r["story_id"], r["duplicate_of"]) for r in rows]

    def last_story_move(self) -> tuple[int, int]:
        rows = self._rows(LAST_STORY_MOVE)
        return (int(rows[0]["moved_rev"]), int(rows[0]["id"])) if rows else (0, 0)

    def dedup_opt_outs(self) -> set[int]:
        rows = self._rows("SELECT name FROM app_state WHERE name LIKE %s", [OPT_OUT_PREFIX + "%"])
        return {int(row["name"][len(OPT_OUT_PREFIX) :]) for row in rows}

    def set_dedup_opt_out(self, source_id: int, opted_out: bool = True) -> None:
        name = f"{OPT_OUT_PREFIX}{int(source_id)}"

        def save(conn: Connection) -> None:
            if opted_out:
                conn.execute(
                    "INSERT INTO app_state (name, value) VALUES (%s, '1')"
                    " ON CONFLICT (name) DO NOTHING",
                    (name,),
                )
            else:
                conn.execute("DELETE FROM app_state WHERE name = %s", (name,))

        self._write(save)


def _input(row: Row) -> StoryInput:
    return StoryInput(
        id=row["id"],
        source_id=row["source_id"],
        title=row["title"],
        text=story_input_text(row["text"], row["summary"]),
        url=row["canonical_url"] or row["url"],
        published=utc(row["sort_time"]),
        fetched_at=utc(row["fetched_at"]),
        section=row["section"],
        story_id=row["story_id"],
        duplicate_of=row["duplicate_of"],
    )
