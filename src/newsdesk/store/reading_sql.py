"""SQL for reading streams, shared by both stores: written with `?` marks, which the PostgreSQL
store turns into `%s`. Time parameters go through the store's own conversion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from newsdesk.store.base_reading import StreamQuery

TimeParam = Callable[[datetime], object]
# The dialect's full-text condition on `a` for a search text, with its parameters; None when
# the text holds no term to search for.
TextMatch = Callable[[str], tuple[str, list[object]] | None]

# A source's section is its folder; an article's own (classified) section wins where it has one.
EFFECTIVE_SECTION = "CASE WHEN a.section <> '' THEN a.section ELSE s.section END"

# The one user parameter of FROM comes first, before those of WHERE.
FROM_ARTICLES = (
    "FROM articles a JOIN sources s ON s.id = a.source_id"
    " LEFT JOIN user_articles ua ON ua.article_id = a.id AND ua.user_id = ?"
)

# No source rows at all means the user follows every source (see base_reading).
_SUBSCRIBED = (
    "(NOT EXISTS (SELECT 1 FROM subscriptions x WHERE x.user_id = ? AND x.kind = 'source')"
    " OR EXISTS (SELECT 1 FROM entries e JOIN subscriptions x"
    " ON x.ref = CAST(e.source_id AS TEXT) AND x.kind = 'source'"
    " WHERE e.article_id = a.id AND x.user_id = ?)"
    " OR EXISTS (SELECT 1 FROM subscriptions x WHERE x.user_id = ? AND x.kind = 'section'"
    f" AND x.ref = {EFFECTIVE_SECTION})"
    " OR EXISTS (SELECT 1 FROM article_topics t JOIN subscriptions x"
    " ON x.ref = t.key AND x.kind = 'topic' WHERE t.article_id = a.id AND x.user_id = ?))"
)

_LABEL = (
    "(EXISTS (SELECT 1 FROM entries e JOIN sources es ON es.id = e.source_id"
    " WHERE e.article_id = a.id AND es.section = ?)"
    f" OR ({EFFECTIVE_SECTION} = ? AND EXISTS (SELECT 1 FROM subscriptions x"
    " WHERE x.user_id = ? AND x.kind = 'section' AND x.ref = ?)))"
)


def stream_where(
    user_id: int, query: StreamQuery, time: TimeParam, match: TextMatch
) -> tuple[str, list[object]]:
    """The WHERE clause (never empty) and its parameters for the stream `query` describes."""
    conditions = ["TRUE"]
    params: list[object] = []
    if query.subscribed:
        conditions.append(_SUBSCRIBED)
        params.extend((user_id,) * 4)
    if query.source_id is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM entries e WHERE e.article_id = a.id AND e.source_id = ?)"
        )
        params.append(query.source_id)
    if query.label is not None:
        conditions.append(_LABEL)
        params.extend((query.label, query.label, user_id, query.label))
    if query.section is not None:
        conditions.append(f"{EFFECTIVE_SECTION} = ?")
        params.append(query.section)
    if query.topic is not None:
        conditions.append(
            "EXISTS (SELECT 1 FROM article_topics t WHERE t.article_id = a.id AND t.key = ?)"
        )
        params.append(query.topic)
    if query.search is not None:
        found = match(query.search)
        conditions.append(found[0] if found else "FALSE")
        params.extend(found[1] if found else ())
    if query.read is not None:
        conditions.append("COALESCE(ua.is_read, FALSE) = ?")
        params.append(query.read)
    if query.starred is not None:
        conditions.append("COALESCE(ua.is_starred, FALSE) = ?")
        params.append(query.starred)
    if query.newer_than is not None:
        conditions.append("a.sort_time >= ?")
        params.append(time(query.newer_than))
    if query.older_than is not None:
        conditions.append("a.sort_time < ?")
        params.append(time(query.older_than))
    return " AND ".join(conditions), params


def page_sql(
    user_id: int, query: StreamQuery, time: TimeParam, match: TextMatch
) -> tuple[str, list[object]]:
    """WHERE, ORDER BY, LIMIT and OFFSET of one page of the stream, with parameters."""
    where, params = stream_where(user_id, query, time, match)
    direction = "ASC" if query.oldest_first else "DESC"
    if query.after is not None:
        where += f" AND (a.sort_time, a.id) {'>' if query.oldest_first else '<'} (?, ?)"
        params.extend((time(query.after[0]), query.after[1]))
    sql = f"{where} ORDER BY a.sort_time {direction}, a.id {direction} LIMIT ? OFFSET ?"
    return sql, [*params, query.limit, query.offset]
