"""The reading part of the SQLite store: the hooks `ReadingCommon` runs on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsdesk.models import Article
from newsdesk.store.reading_common import ReadingCommon, Row, Step
from newsdesk.store.rows import ARTICLE_COLUMNS, article_from_row, text_to_time, time_to_text
from newsdesk.store.sqlite_access import SQLiteAccess
from newsdesk.store.sqlite_search import fts5_query


class SQLiteReading(ReadingCommon, SQLiteAccess):
    """SQLite implementation of `newsdesk.store.base_reading.ReadingStore`."""

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        with self._reading() as db:
            return list(db.execute(sql, params).fetchall())

    def _change(self, steps: Sequence[Step]) -> list[int]:
        with self._writing() as db:
            return [db.execute(sql, params).rowcount for sql, params in steps]

    def _time_in(self, moment: datetime) -> object:
        return time_to_text(moment)

    def _time_out(self, value: Any) -> datetime:
        return text_to_time(value)

    def _text_match(self, text: str) -> tuple[str, list[object]] | None:
        query = fts5_query(text)
        if not query:
            return None
        return "a.id IN (SELECT rowid FROM articles_fts WHERE articles_fts MATCH ?)", [query]

    def _article_out(self, row: Row) -> Article:
        return article_from_row(row, ())

    def _article_columns(self) -> str:
        return ARTICLE_COLUMNS
