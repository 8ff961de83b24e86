"""Articles by section, place or topic: one set of queries for both dialects."""

from __future__ import annotations

from datetime import datetime

from newsdesk.models import Article
from newsdesk.store.base_understanding import place_column


class UnderstandingPages:
    """`articles_by_section`, `articles_by_place` and `articles_by_topic` of both stores.

    The queries differ only in the parameter placeholder (`_MARK`); each dialect runs the page
    query in `_understanding_page`.
    """

    _MARK = "?"

    def _understanding_page(
        self,
        where: str,
        value: object,
        limit: int,
        before: datetime | None,
        before_id: int | None,
    ) -> list[Article]:
        """Articles matching `where` (one placeholder, for `value`), newest first, paged."""
        raise NotImplementedError

    def articles_by_section(
        self,
        section: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        where = f"a.section = {self._MARK}"
        return self._understanding_page(where, section, limit, before, before_id)

    def articles_by_place(
        self,
        place: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        column = place_column(place)
        where = f"a.id IN (SELECT article_id FROM article_places WHERE {column} = {self._MARK})"
        return self._understanding_page(where, place, limit, before, before_id)

    def articles_by_topic(
        self,
        key: str,
        limit: int = 50,
        *,
        before: datetime | None = None,
        before_id: int | None = None,
    ) -> list[Article]:
        where = f"a.id IN (SELECT article_id FROM article_topics WHERE key = {self._MARK})"
        return self._understanding_page(where, key, limit, before, before_id)
