"""The stories part of the Store interface (see `newsdesk.store.base.Store`).

The story desk (`newsdesk.stories`) reads what clustering needs of each article as a
`StoryInput`, and writes what it decided as one `StoryUpdate`, in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from newsdesk.models import Story

# app_state names holding the sources whose articles are never folded as copies.
OPT_OUT_PREFIX = "dedup_opt_out/"


@dataclass(frozen=True)
class StoryInput:
    """What story clustering needs of one stored article; `published` is its sort time."""

    id: int
    source_id: int
    title: str
    text: str
    url: str
    published: datetime
    fetched_at: datetime
    section: str = ""
    story_id: int | None = None
    duplicate_of: int | None = None


@dataclass(frozen=True)
class Placement:
    """An article's story, and the original it copies (None for an original)."""

    article_id: int
    story_id: int
    duplicate_of: int | None = None


@dataclass(frozen=True)
class StoryMove:
    """An article moved to another story after it was placed (a split or a merge), with the
    revision of the update that moved it: other desks on the store follow these."""

    revision: int
    article_id: int
    story_id: int
    duplicate_of: int | None = None


@dataclass(frozen=True)
class RelatedStories:
    """A story's "See also": related story ids, best first, with their similarity."""

    story_id: int
    related: tuple[tuple[int, float], ...]


@dataclass(frozen=True)
class StoryUpdate:
    """Everything one round of story assignment changed.

    `stories` are upserted as live stories (merged_into NULL), and their article and outlet
    counts and first and last seen are then recounted from the articles in them. Each `merged` pair
    (absorbed, survivor) marks the absorbed story merged and moves its articles to the survivor.
    `related` replaces the "See also" rows of each story it names. Articles that were already in
    a story, placed again or moved by a merge, are stamped with the update's revision (see
    `StoriesStore.story_moves`).
    """

    placements: tuple[Placement, ...] = ()
    stories: tuple[Story, ...] = ()
    merged: tuple[tuple[int, int], ...] = ()
    related: tuple[RelatedStories, ...] = ()


class StoriesStore(Protocol):
    """Store methods for the stories area; SQLite and PostgreSQL implement each one."""

    def story_inputs(
        self,
        since: datetime,
        *,
        after: tuple[datetime, int] | None = None,
        limit: int = 1000,
        before: datetime | None = None,
        unplaced: bool = False,
    ) -> list[StoryInput]:
        """Articles with sort time >= since (and < before), oldest first (ties by id), past the
        cursor `after` (the sort time and id of the last one read); with `unplaced`, only those
        in no story."""
        ...

    def story_inputs_by_ids(
        self, article_ids: Sequence[int], *, placed_only: bool = False
    ) -> list[StoryInput]:
        """Those articles that exist (and are placed in a story, with `placed_only`), oldest
        first (ties by id)."""
        ...

    def story_inputs_after(
        self, article_id: int, limit: int = 1000, *, excluding: Collection[int] = ()
    ) -> list[StoryInput]:
        """Articles with an id above `article_id` and not in `excluding`, by id: what other
        processes stored since."""
        ...

    def last_article_id(self) -> int:
        """The highest article id stored (0 for none): where to start looking for others' work."""
        ...

    def save_story_update(self, update: StoryUpdate) -> None:
        """Apply one `StoryUpdate` in one transaction (see there)."""
        ...

    def story_moves(self, after: tuple[int, int] = (0, 0), limit: int = 1000) -> list[StoryMove]:
        """Articles moved since the cursor `after` (the revision and article id of the last one
        read), in order. Revisions are given in commit order, so a reader that goes on from
        its last cursor misses none."""
        ...

    def last_story_move(self) -> tuple[int, int]:
        """The cursor of the latest move ((0, 0) for none): where to start following moves."""
        ...

    def dedup_opt_outs(self) -> set[int]:
        """Ids of the sources whose articles are never folded into another as copies."""
        ...

    def set_dedup_opt_out(self, source_id: int, opted_out: bool = True) -> None:
        """Opt a source out of (or back into) near-duplicate folding."""
        ...


# SQL both backends share; "{m}" is the placeholder ("?" or "%s").
STORY_INPUT_COLUMNS = (
    "a.id, a.source_id, a.title, a.text, a.summary, a.url, a.canonical_url, a.sort_time,"
    " a.fetched_at, a.section, a.story_id, a.duplicate_of"
)
STORY_INPUT_ORDER = "ORDER BY a.sort_time, a.id"


def story_inputs_query(
    mark: str,
    when: Callable[[datetime], object],
    since: datetime,
    *,
    after: tuple[datetime, int] | None,
    limit: int,
    before: datetime | None,
    unplaced: bool,
) -> tuple[str, list[object]]:
    """`StoriesStore.story_inputs`'s SELECT and its parameters, for the dialect's placeholder
    `mark` and time parameter `when` (as in `write_story_update`)."""
    sql = f"SELECT {STORY_INPUT_COLUMNS} FROM articles a WHERE a.sort_time >= {mark}"
    params: list[object] = [when(since)]
    if before is not None:
        sql += f" AND a.sort_time < {mark}"
        params.append(when(before))
    if unplaced:
        sql += " AND a.story_id IS NULL"
    if after is not None:
        sql += f" AND (a.sort_time, a.id) > ({mark}, {mark})"
        params.extend((when(after[0]), after[1]))
    return f"{sql} {STORY_INPUT_ORDER} LIMIT {mark}", [*params, limit]


UPSERT_STORY = (
    "INSERT INTO stories (id, title, lead_article_id, section, first_seen, last_seen,"
    " article_count, outlet_count, score, merged_into)"
    # A lead another process has deleted since (its source removed) is stored as no lead.
    " VALUES ({m}, {m}, (SELECT id FROM articles WHERE id = {m}), {m}, {m}, {m}, {m}, {m}, {m},"
    " NULL)"
    " ON CONFLICT (id) DO UPDATE SET title = excluded.title,"
    " lead_article_id = excluded.lead_article_id, section = excluded.section,"
    " score = excluded.score, merged_into = NULL"
)
# Counts and span come from the articles table once they are placed: articles that left the
# engine's window still count, and those a split moved away no longer do.
RECOUNT_STORY = (
    "UPDATE stories SET (article_count, outlet_count, first_seen, last_seen) ="
    " (SELECT count(*), count(DISTINCT source_id), coalesce(min(sort_time), stories.first_seen),"
    " coalesce(max(sort_time), stories.last_seen) FROM articles WHERE story_id = stories.id)"
    " WHERE id = {m}"
)
MERGE_STORY = (
    "UPDATE articles SET story_id = {m}, moved_rev = {m} WHERE story_id = {m}",
    "UPDATE stories SET merged_into = {m} WHERE (id = {m} OR merged_into = {m}) AND id != {m}",
    "DELETE FROM story_related WHERE story_id = {m}",
)
# A placement of an article that was already in a story is a move, stamped with the revision.
PLACE_ARTICLE = (
    "UPDATE articles SET story_id = {m}, duplicate_of = {m},"
    " moved_rev = CASE WHEN story_id IS NULL THEN moved_rev ELSE {m} END WHERE id = {m}"
)
# The revision of the next update that may move articles: a counter in app_state, never reused
# (a removed source takes its articles' stamps with it). The increment locks the counter's row
# until the update commits, so revisions are committed in the order they are given.
NEXT_MOVE_REVISION = (
    "INSERT INTO app_state (name, value) VALUES ('story_move_revision', '1')"
    " ON CONFLICT (name) DO UPDATE SET value = CAST(CAST(app_state.value AS INTEGER) + 1 AS TEXT)",
    "SELECT CAST(value AS INTEGER) AS revision FROM app_state WHERE name = 'story_move_revision'",
)
STORY_MOVES = (
    "SELECT moved_rev, id, story_id, duplicate_of FROM articles"
    " WHERE moved_rev IS NOT NULL AND (moved_rev, id) > ({m}, {m})"
    " ORDER BY moved_rev, id LIMIT {m}"
)
LAST_STORY_MOVE = (
    "SELECT moved_rev, id FROM articles WHERE moved_rev IS NOT NULL"
    " ORDER BY moved_rev DESC, id DESC LIMIT 1"
)
DELETE_RELATED = "DELETE FROM story_related WHERE story_id = {m}"
# Only stories that exist: "See also" never points at nothing.
INSERT_RELATED = (
    "INSERT INTO story_related (story_id, related_id, score) SELECT {m}, id, {m} FROM stories"
    " WHERE id = {m} AND id != {m} ON CONFLICT (story_id, related_id) DO NOTHING"
)


class Fetches(Protocol):
    """A cursor after execute: sqlite3's (rows as sqlite3.Row) and psycopg's (rows as dicts)."""

    def fetchone(self) -> Any: ...


class Executes(Protocol):
    """What write_story_update needs of a connection or cursor: sqlite3 and psycopg alike."""

    def execute(self, sql: str, params: Sequence[Any], /) -> Fetches: ...

    def executemany(self, sql: str, params: Iterable[Sequence[Any]], /) -> object: ...


def write_story_update(
    db: Executes,
    update: StoryUpdate,
    *,
    mark: str,
    when: Callable[[datetime], object],
) -> None:
    """`StoriesStore.save_story_update`'s statements, in the caller's transaction.

    `mark` is the dialect's placeholder, and `when` turns a datetime into the parameter its
    driver stores. The articles moved are stamped with the next revision (NEXT_MOVE_REVISION).
    """
    count, read = NEXT_MOVE_REVISION
    db.execute(count, ())
    revision = int(db.execute(read, ()).fetchone()["revision"])
    db.executemany(
        UPSERT_STORY.format(m=mark),
        [
            (
                s.id,
                s.title,
                s.lead_article_id,
                s.section,
                when(s.first_seen),
                when(s.last_seen),
                s.article_count,
                s.outlet_count,
                s.score,
            )
            for s in update.stories
        ],
    )
    move, retire, unrelate = (sql.format(m=mark) for sql in MERGE_STORY)
    for absorbed, survivor in update.merged:
        db.execute(move, (survivor, revision, absorbed))
        db.execute(retire, (survivor, absorbed, absorbed, survivor))
        db.execute(unrelate, (absorbed,))
    db.executemany(
        PLACE_ARTICLE.format(m=mark),
        [(p.story_id, p.duplicate_of, revision, p.article_id) for p in update.placements],
    )
    db.executemany(RECOUNT_STORY.format(m=mark), [(s.id,) for s in update.stories])
    for group in update.related:
        db.execute(DELETE_RELATED.format(m=mark), (group.story_id,))
        db.executemany(
            INSERT_RELATED.format(m=mark),
            [(group.story_id, score, rid, group.story_id) for rid, score in group.related],
        )


def story_input_text(text: str, summary: str) -> str:
    """The article's text, else its feed summary."""
    return text or summary
