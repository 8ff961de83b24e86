"""Reading state and subscriptions, written once for both stores over a few small hooks."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from newsdesk.models import Article
from newsdesk.store.base import StoreError
from newsdesk.store.base_reading import (
    SUBSCRIPTION_KINDS,
    ReadingItem,
    StreamItem,
    StreamQuery,
    Subscription,
    SubscriptionKind,
    UnreadCount,
)
from newsdesk.store.reading_sql import FROM_ARTICLES, page_sql, stream_where

Row = Mapping[str, Any]
Step = tuple[str, Sequence[object]]

_CHUNK = 500

_SET_STATE = (
    "INSERT INTO user_articles (user_id, article_id, is_read, is_starred, updated_at)"
    " SELECT ?, a.id, {read}, {starred}, ? FROM articles a WHERE a.id IN ({marks})"
    " ON CONFLICT (user_id, article_id) DO UPDATE SET {column} = excluded.{column},"
    " updated_at = excluded.updated_at"
)

# The marker row (ref '') keeps an explicit list explicit even when it follows no source.
_MAKE_EXPLICIT: tuple[str, ...] = (
    "INSERT INTO subscriptions (user_id, kind, ref, title, created_at)"
    " SELECT ?, 'source', CAST(s.id AS TEXT), '', ? FROM sources s WHERE NOT EXISTS"
    " (SELECT 1 FROM subscriptions x WHERE x.user_id = ? AND x.kind = 'source')",
    "INSERT INTO subscriptions (user_id, kind, ref, title, created_at)"
    " VALUES (?, 'source', '', '', ?) ON CONFLICT (user_id, kind, ref) DO NOTHING",
)


class ReadingCommon:
    """`ReadingStore` over the hooks each backend's mixin provides."""

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        raise NotImplementedError

    def _change(self, steps: Sequence[Step]) -> list[int]:
        """Run the statements in one transaction; the row count of each."""
        raise NotImplementedError

    def _time_in(self, moment: datetime) -> object:
        raise NotImplementedError

    def _time_out(self, value: Any) -> datetime:
        raise NotImplementedError

    def _text_match(self, text: str) -> tuple[str, list[object]] | None:
        """The full-text condition on `a` for `text` (see reading_sql.TextMatch)."""
        raise NotImplementedError

    def _article_out(self, row: Row) -> Article:
        raise NotImplementedError

    def _article_columns(self) -> str:
        raise NotImplementedError

    # state

    def set_read(self, user_id: int, article_ids: Sequence[int], read: bool = True) -> int:
        return self._set_state(user_id, article_ids, "is_read", read)

    def set_starred(self, user_id: int, article_ids: Sequence[int], starred: bool = True) -> int:
        return self._set_state(user_id, article_ids, "is_starred", starred)

    def _set_state(self, user_id: int, article_ids: Sequence[int], column: str, on: bool) -> int:
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        value = "TRUE" if on else "FALSE"
        steps: list[Step] = []
        now = self._time_in(datetime.now(UTC))
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            sql = _SET_STATE.format(
                read=value if column == "is_read" else "FALSE",
                starred=value if column == "is_starred" else "FALSE",
                marks=", ".join("?" * len(chunk)),
                column=column,
            )
            steps.append((sql, [user_id, now, *chunk]))
        return sum(self._change(steps)) if steps else 0

    def mark_stream_read(self, user_id: int, query: StreamQuery, up_to: datetime | None) -> int:
        where, params = stream_where(user_id, query, self._time_in, self._text_match)
        if up_to is not None:
            where += " AND a.sort_time <= ?"
            params.append(self._time_in(up_to))
        sql = (
            "INSERT INTO user_articles (user_id, article_id, is_read, is_starred, updated_at)"
            f" SELECT ?, a.id, TRUE, FALSE, ? {FROM_ARTICLES}"
            f" WHERE {where} AND NOT COALESCE(ua.is_read, FALSE)"
            " ON CONFLICT (user_id, article_id) DO UPDATE SET is_read = TRUE,"
            " updated_at = excluded.updated_at"
        )
        now = self._time_in(datetime.now(UTC))
        return self._change([(sql, [user_id, now, user_id, *params])])[0]

    # streams

    def stream_items(self, user_id: int, query: StreamQuery) -> list[StreamItem]:
        page, params = page_sql(user_id, query, self._time_in, self._text_match)
        rows = self._select(
            f"SELECT a.id, a.sort_time, a.source_id {FROM_ARTICLES} WHERE {page}",
            [user_id, *params],
        )
        return [StreamItem(r["id"], self._time_out(r["sort_time"]), r["source_id"]) for r in rows]

    def reading_items(self, user_id: int, query: StreamQuery) -> list[ReadingItem]:
        page, params = page_sql(user_id, query, self._time_in, self._text_match)
        return self._items(f"WHERE {page}", [user_id, *params])

    def reading_items_by_id(self, user_id: int, article_ids: Sequence[int]) -> list[ReadingItem]:
        ids = list(dict.fromkeys(int(i) for i in article_ids))
        found: dict[int, ReadingItem] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            marks = ", ".join("?" * len(chunk))
            for item in self._items(f"WHERE a.id IN ({marks})", [user_id, *chunk]):
                found[item.article.id] = item
        return [found[i] for i in ids if i in found]

    def _items(self, tail: str, params: Sequence[object]) -> list[ReadingItem]:
        rows = self._select(
            f"SELECT {self._article_columns()}, COALESCE(ua.is_read, FALSE) AS is_read,"
            f" COALESCE(ua.is_starred, FALSE) AS is_starred, ua.updated_at AS state_changed"
            f" {FROM_ARTICLES} {tail}",
            params,
        )
        return [
            ReadingItem(
                self._article_out(r),
                bool(r["is_read"]),
                bool(r["is_starred"]),
                None if r["state_changed"] is None else self._time_out(r["state_changed"]),
            )
            for r in rows
        ]

    def count_stream(self, user_id: int, query: StreamQuery) -> int:
        where, params = stream_where(user_id, query, self._time_in, self._text_match)
        rows = self._select(
            f"SELECT count(*) AS n {FROM_ARTICLES} WHERE {where}", [user_id, *params]
        )
        return int(rows[0]["n"])

    def unread_counts(self, user_id: int) -> list[UnreadCount]:
        counts = [self._unread("all", "", user_id, StreamQuery(subscribed=True))]
        rows = self._select(
            "SELECT e.source_id AS ref, count(DISTINCT a.id) AS n, max(a.sort_time) AS newest"
            f" {FROM_ARTICLES} JOIN entries e ON e.article_id = a.id"
            " WHERE NOT COALESCE(ua.is_read, FALSE) GROUP BY e.source_id ORDER BY e.source_id",
            [user_id],
        )
        counts.extend(
            UnreadCount("source", str(r["ref"]), int(r["n"]), self._time_out(r["newest"]))
            for r in rows
        )
        labels = self._select("SELECT DISTINCT section FROM sources WHERE section <> ''")
        for label in sorted(str(r["section"]) for r in labels):
            counts.append(self._unread("label", label, user_id, StreamQuery(label=label)))
        for sub in self.subscriptions(user_id):
            if sub.kind == "section":
                query = StreamQuery(section=sub.ref)
            elif sub.kind == "topic":
                query = StreamQuery(topic=sub.ref)
            else:
                continue
            counts.append(self._unread(sub.kind, sub.ref, user_id, query))
        return counts

    def _unread(self, kind: str, ref: str, user_id: int, query: StreamQuery) -> UnreadCount:
        where, params = stream_where(user_id, query, self._time_in, self._text_match)
        row = self._select(
            f"SELECT count(*) AS n, max(a.sort_time) AS newest {FROM_ARTICLES}"
            f" WHERE {where} AND NOT COALESCE(ua.is_read, FALSE)",
            [user_id, *params],
        )[0]
        newest = None if row["newest"] is None else self._time_out(row["newest"])
        return UnreadCount(kind, ref, int(row["n"]), newest)

    # subscriptions

    def subscriptions(self, user_id: int) -> list[Subscription]:
        rows = self._select(
            "SELECT x.kind, x.ref, CASE WHEN x.title <> '' THEN x.title"
            " ELSE COALESCE(s.title, '') END AS title, x.created_at FROM subscriptions x"
            " LEFT JOIN sources s ON x.kind = 'source' AND CAST(s.id AS TEXT) = x.ref"
            " WHERE x.user_id = ? AND x.ref <> '' AND (x.kind <> 'source' OR s.id IS NOT NULL)"
            " ORDER BY x.kind, x.created_at, x.ref",
            [user_id],
        )
        found = [
            Subscription(r["kind"], r["ref"], r["title"], self._time_out(r["created_at"]))
            for r in rows
        ]
        if self._select(
            "SELECT 1 AS one FROM subscriptions WHERE user_id = ? AND kind = 'source'", [user_id]
        ):
            return found
        sources = self._select("SELECT id, title, created_at FROM sources ORDER BY id")
        implicit = [
            Subscription("source", str(r["id"]), r["title"], self._time_out(r["created_at"]))
            for r in sources
        ]
        return implicit + found

    def subscribe(
        self, user_id: int, kind: SubscriptionKind, ref: str, title: str = ""
    ) -> Subscription:
        ref = _checked_ref(kind, ref)
        if kind == "source" and not self._select(
            "SELECT 1 AS one FROM sources WHERE id = ?", [int(ref)]
        ):
            raise StoreError(f"no source with id {ref}")
        now = self._time_in(datetime.now(UTC))
        steps = self._explicit_steps(user_id, now) if kind == "source" else []
        steps.append(
            (
                "INSERT INTO subscriptions (user_id, kind, ref, title, created_at)"
                " VALUES (?, ?, ?, ?, ?) ON CONFLICT (user_id, kind, ref)"
                " DO UPDATE SET title = excluded.title",
                [user_id, kind, ref, title, now],
            )
        )
        self._change(steps)
        return next(s for s in self.subscriptions(user_id) if (s.kind, s.ref) == (kind, ref))

    def unsubscribe(self, user_id: int, kind: SubscriptionKind, ref: str) -> bool:
        ref = _checked_ref(kind, ref)
        now = self._time_in(datetime.now(UTC))
        steps = self._explicit_steps(user_id, now) if kind == "source" else []
        steps.append(
            (
                "DELETE FROM subscriptions WHERE user_id = ? AND kind = ? AND ref = ?",
                [user_id, kind, ref],
            )
        )
        return self._change(steps)[-1] > 0

    def _explicit_steps(self, user_id: int, now: object) -> list[Step]:
        return [
            (_MAKE_EXPLICIT[0], [user_id, now, user_id]),
            (_MAKE_EXPLICIT[1], [user_id, now]),
        ]


def _checked_ref(kind: str, ref: str) -> str:
    if kind not in SUBSCRIPTION_KINDS:
        raise StoreError(f"a subscription is to a source, section or topic, not {kind!r}")
    ref = ref.strip()
    if kind == "source":
        if not (ref.isascii() and ref.isdigit()):
            raise StoreError(f"a source subscription needs a source id, not {ref!r}")
        return str(int(ref))
    if not ref or len(ref) > 200:
        raise StoreError(f"a {kind} subscription needs a name of 1 to 200 characters")
    return ref
