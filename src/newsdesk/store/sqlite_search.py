"""Turn whatever a user types into a search box into a safe FTS5 query."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence

from newsdesk.store.base_site import ArticleFilter, SearchQuery
from newsdesk.store.site_sql import where

MAX_TERMS = 32
# Title matches weigh five times body matches.
BM25 = "bm25(5.0, 1.0)"
_WORD_CHAR = re.compile(r"[^\W_]")


def fts5_query(text: str) -> str:
    """An AND of quoted terms, or "" when `text` holds nothing searchable.

    Every term is a quoted FTS5 string, so operators (AND, OR, NOT, NEAR), column filters,
    parentheses and quotes in the user's text are only ever searched for, never parsed.
    A term ending in ``*`` stays a prefix search. Terms without a letter or digit are
    dropped: the tokenizer would make them empty phrases.
    """
    # Lone surrogates cannot be bound as UTF-8 and NUL would end the query early.
    text = text.encode("utf-8", "replace").decode("utf-8").replace("\x00", " ")
    terms: list[str] = []
    for token in text.split():
        prefix = token.endswith("*")
        core = token.rstrip("*")
        if not _WORD_CHAR.search(core):
            continue
        quoted = '"' + core.replace('"', '""') + '"'
        terms.append(quoted + "*" if prefix else quoted)
        if len(terms) == MAX_TERMS:
            break
    return " AND ".join(terms)


# Ranking every match costs little; carrying every matching row's columns through a sort
# does not. So, unless a filter leaves out most matches, the best CANDIDATES are ranked by FTS5
# alone and only they are filtered and ordered. Either way the query returns ids, not rows.
CANDIDATES = 200
# CROSS JOIN keeps the full-text matches the outer loop: with a section filter and newest-first
# order, SQLite would otherwise walk the section's index and run the match once per article.
_MATCHES = (
    "FROM articles_fts CROSS JOIN articles a ON a.id = articles_fts.rowid"
    " JOIN sources s ON s.id = a.source_id"
)


def search_page_ids(
    db: sqlite3.Connection,
    match: str,
    clauses: Sequence[str],
    params: Sequence[object],
    query: SearchQuery,
) -> list[int]:
    """The ids of the page of matches `query` asks for, in its order, passing `clauses`."""
    if query.order == "relevance" and not _narrows(query.filter):
        wanted = query.offset + query.limit
        page = _best_of_candidates(db, match, clauses, params, wanted)
        if page is not None:
            return page[query.offset :]
    if query.order == "relevance":
        conditions = ["articles_fts MATCH ?", f"articles_fts.rank MATCH '{BM25}'", *clauses]
        order = "ORDER BY articles_fts.rank, a.sort_time DESC, a.id DESC"
    else:
        conditions = ["articles_fts MATCH ?", *clauses]
        order = "ORDER BY a.sort_time DESC, a.id DESC"
    sql = f"SELECT a.id {_MATCHES} {where(conditions)} {order} LIMIT ? OFFSET ?"
    rows = db.execute(sql, [match, *params, query.limit, query.offset]).fetchall()
    return [row[0] for row in rows]


def _narrows(filter: ArticleFilter) -> bool:
    """Whether `filter` may leave out most matches (leaving out copies and mutes does not)."""
    return bool(
        filter.section or filter.region or filter.country or filter.topic
        or filter.source_id is not None or filter.since or filter.until
    )  # fmt: skip


def _best_of_candidates(
    db: sqlite3.Connection,
    match: str,
    clauses: Sequence[str],
    params: Sequence[object],
    wanted: int,
) -> list[int] | None:
    """The first `wanted` ids by (bm25, newest, id), found among the best candidates alone.

    None when that cannot be told from them: fewer than `wanted` of those ranked strictly
    better than the last candidate pass the filters. A match outside the candidates ranks no
    better than the last one, so it can never come before those.
    """
    candidates = max(CANDIDATES, 4 * wanted)
    ranked = db.execute(
        "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?"
        f" AND rank MATCH '{BM25}' ORDER BY rank LIMIT ?",
        (match, candidates),
    ).fetchall()
    complete = len(ranked) < candidates
    rank = {i: r for i, r in ranked if complete or r < ranked[-1][1]}
    sql = (
        "SELECT a.id, a.sort_time FROM articles a JOIN sources s ON s.id = a.source_id"
        f" {where(['a.id IN (SELECT value FROM json_each(?))', *clauses])}"
    )
    rows = db.execute(sql, [json.dumps(list(rank)), *params]).fetchall()
    if len(rows) < wanted and not complete:
        return None
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)  # newest first among equals
    rows.sort(key=lambda row: rank[row[0]])
    return [row[0] for row in rows[:wanted]]
