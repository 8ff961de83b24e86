"""The reading part of the PostgreSQL store: the hooks `ReadingCommon` runs on."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from newsdesk.models import Article
from newsdesk.store.postgres_access import Connection, PostgresAccess
from newsdesk.store.postgres_rows import ARTICLE_COLUMNS, article_from_row, utc
from newsdesk.store.postgres_search import text_query
from newsdesk.store.reading_common import ReadingCommon, Row, Step


def _marks(sql: str) -> str:
    # The shared SQL has no literal '?' or '%', so this swap is exact.
    return sql.replace("?", "%s")


class PostgresReading(ReadingCommon, PostgresAccess):
    """PostgreSQL implementation of `newsdesk.store.base_reading.ReadingStore`."""

    def _select(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        return list(self._rows(_marks(sql), params))

    def _change(self, steps: Sequence[Step]) -> list[int]:
        def run(conn: Connection) -> list[int]:
            return [conn.execute(_marks(sql), params).rowcount for sql, params in steps]

        return self._write(run)

    def _time_in(self, moment: datetime) -> object:
        return utc(moment)

    def _time_out(self, value: Any) -> datetime:
        return utc(value)

    def _text_match(self, text: str) -> tuple[str, list[object]] | None:
        query = text_query(text)
        if query is None:
            return None
        return f"a.search_vector @@ ({query.sql.replace('%s', '?')})", list(query.params)

    def _article_out(self, row: Row) -> Article:
        return article_from_row(dict(row))

    def _article_columns(self) -> str:
        return ARTICLE_COLUMNS
