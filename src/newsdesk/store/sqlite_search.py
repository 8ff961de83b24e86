"""Turn whatever a user types into a search box into a safe FTS5 query."""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Sequence

from newsdesk.store.base_site import SearchQuery
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
# does not. So the best CANDIDATES are ranked by FTS5 alone, then filtered and ordered by id.
CANDIDATES = 200
_MATCHES = (
    "FROM articles_fts JOIN articles a ON a.id = articles_fts.rowid"
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
    if query.order == "time":
        sql = (
            f"SELECT a.id {_MATCHES} {where(['articles_fts MATCH ?', *clauses])}"
            " ORDER BY a.sort_time DESC, a.id DESC LIMIT ? OFFSET ?"
        )
        rows = db.execute(sql, [match, *params, query.limit, query.offset]).fetchall()
        return [row[0] for row in rows]
    wanted = query.offset + query.limit
    page = _ranked_page(db, match, clauses, params, wanted, max(CANDIDATES, 4 * wanted))
    if page is None:  # the filters left too few of the best: rank them all
        page = _ranked_page(db, match, clauses, params, wanted, None)
    assert page is not None
    return page[query.offset :]


def _ranked_page(
    db: sqlite3.Connection,
    match: str,
    clauses: Sequence[str],
    params: Sequence[object],
    wanted: int,
    candidates: int | None,
) -> list[int] | None:
    """The first `wanted` ids by (bm25, newest, id) among the best `candidates` matches.

    None when that cannot be told from the candidates: fewer than `wanted` of those ranked
    strictly better than the last candidate pass the filters. A match outside the candidates
    ranks no better than the last one, so it can never belong before those.
    """
    ranked = db.execute(
        "SELECT rowid, rank FROM articles_fts WHERE articles_fts MATCH ?"
        f" AND rank MATCH '{BM25}' ORDER BY rank LIMIT ?",
        (match, -1 if candidates is None else candidates),
    ).fetchall()
    rank = dict(ranked)
    if candidates is not None and len(ranked) == candidates:
        last = ranked[-1][1]
        rank = {i: r for i, r in rank.items() if r < last}
    sql = (
        f"SELECT a.id, a.sort_time FROM articles a JOIN sources s ON s.id = a.source_id"
        f" {where(['a.id IN (SELECT value FROM json_each(?))', *clauses])}"
    )
    rows = db.execute(sql, [json.dumps(list(rank)), *params]).fetchall()
    if len(rows) < wanted and candidates is not None and len(ranked) == candidates:
        return None
    rows.sort(key=lambda row: (row[1], row[0]), reverse=True)  # newest first among equals
    rows.sort(key=lambda row: rank[row[0]])
    return [row[0] for row in rows[:wanted]]
