"""Keyset paging over articles, newest first, shared by both stores' listings."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime


def before_cursor(
    before: datetime | None,
    before_id: int | None,
    mark: str,
    to_db: Callable[[datetime], object],
) -> tuple[list[str], list[object]]:
    """SQL conditions and parameters for "older than this page's last article".

    `before_id` breaks ties between articles with the same sort time; `mark` is the dialect's
    parameter placeholder and `to_db` turns a datetime into the dialect's stored form.
    """
    if before is None:
        return [], []
    if before_id is None:
        return [f"a.sort_time < {mark}"], [to_db(before)]
    return [f"(a.sort_time, a.id) < ({mark}, {mark})"], [to_db(before), before_id]
