"""Batch story clustering of JSON Lines: the same `StoryEngine` as the live pipeline, over a file.

Each input line is an object with `id`, `title`, `url`, `source`, `published` and optionally `text`
and `section`, in arrival order. Each output line is the same object with `story`, `duplicate_of`
(an id or null) and `related` (story ids) added. Story ids are article ids (the story's founder).
"""

from __future__ import annotations

import json
import math
import time
from collections.abc import Iterable, Iterator
from typing import Any

from newsdesk.jsonlines import dump_line, line_text
from newsdesk.pipeline.cluster import StoryEngine
from newsdesk.pipeline.cluster_ledger import StoryLedger
from newsdesk.pipeline.cluster_models import Assignment, NewsItem, epoch_seconds
from newsdesk.pipeline.related import remap_related


def item_from_json(obj: dict[str, Any], fallback_time: float) -> NewsItem:
    """A NewsItem from one input object; a missing date means the previous line's time (now,
    for the first line)."""
    if "id" not in obj or obj["id"] is None:
        raise ValueError("every line needs an id")
    if isinstance(obj["id"], dict | list | float | bool):
        raise ValueError(f"an id is a string or a whole number, not {obj['id']!r}")
    published = epoch_seconds(obj.get("published")) or fallback_time
    return NewsItem(
        id=str(obj["id"]),
        title=str(obj.get("title") or ""),
        published=published,
        text=str(obj.get("text") or ""),
        url=str(obj.get("url") or ""),
        source=str(obj.get("source") or ""),
        section=str(obj.get("section") or ""),
    )


def cluster_lines(
    lines: Iterable[str | bytes], engine: StoryEngine | None = None, stream: bool = False
) -> Iterator[str]:
    """Cluster JSON Lines and yield each line back with `story`, `duplicate_of` and `related`.

    By default every line is written once all input is read, with story merges, splits and
    re-credited originals applied. With `stream=True` each line is written as soon as it is
    placed, with the ids known at that moment (merges and splits reported later are not applied
    to lines already written).
    """
    engine = engine or StoryEngine()
    objects: list[dict[str, Any]] = []
    assignments: list[Assignment] = []
    raw_ids: dict[str, Any] = {}
    first_line: dict[str, int] = {}
    last_time = 0.0
    for number, raw in enumerate(lines, 1):
        try:
            line = line_text(raw, number)
            if not line.strip():
                continue
            obj = json.loads(line, parse_constant=_no_constant, parse_float=_finite)
        except json.JSONDecodeError as exc:
            raise ValueError(f"line {number}: not JSON ({exc.msg})") from exc
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
        if not isinstance(obj, dict):
            raise ValueError(f"line {number}: not a JSON object")
        try:
            item = item_from_json(obj, last_time or time.time())
        except ValueError as exc:
            raise ValueError(f"line {number}: {exc}") from exc
        if item.id in first_line:
            # Two articles under one id would be told apart nowhere in the output.
            raise ValueError(
                f"line {number}: id {obj['id']!r} is already line {first_line[item.id]}'s"
            )
        first_line[item.id] = number
        last_time = max(last_time, item.published)
        raw_ids[item.id] = obj["id"]
        assignment = engine.add(item)
        if stream:
            yield _dump(
                obj, assignment.story_id, assignment.duplicate_of, assignment.related, raw_ids
            )
            continue
        objects.append(obj)
        assignments.append(assignment)
    if stream:
        return
    ledger = StoryLedger()
    original_of: dict[str, str] = {}
    for a in assignments:
        ledger.record(a)
        if a.recredited is not None:
            original_of[a.recredited] = a.article_id
    count = engine.settings.related_count
    for obj, a in zip(objects, assignments, strict=True):
        story = ledger.story_of[a.article_id]
        duplicate = _follow(original_of, a.duplicate_of) if a.duplicate_of else None
        if duplicate is None and a.article_id in original_of:
            duplicate = _follow(original_of, a.article_id)
        related = remap_related((ledger.final_story(r) for r in a.related), {}, story, count)
        yield _dump(obj, story, duplicate, related, raw_ids)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is too large a number")
    return number


def _follow(remap: dict[str, str], key: str) -> str:
    seen = 0
    while key in remap and seen < 1000:
        key = remap[key]
        seen += 1
    return key


def _dump(
    obj: dict[str, Any],
    story: str,
    duplicate_of: str | None,
    related: Iterable[str],
    raw_ids: dict[str, Any],
) -> str:
    out = dict(obj)
    out["story"] = raw_ids.get(story, story)
    out["duplicate_of"] = raw_ids.get(duplicate_of, duplicate_of) if duplicate_of else None
    out["related"] = [raw_ids.get(r, r) for r in related]
    return dump_line(out)
