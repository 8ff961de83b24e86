"""JSON Lines in, JSON Lines out: each article with its section, scores, places and topics."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from typing import Any

from newsdesk.jsonlines import dump_line, line_text
from newsdesk.pipeline.classify import SectionModel, SourceEvidence, SourceStats
from newsdesk.pipeline.feeds_text import primary_language
from newsdesk.pipeline.places import Gazetteer
from newsdesk.pipeline.understand import understand
from newsdesk.understanding import learn, observation_of


def _categories(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return ()


def classify_record(
    record: dict[str, Any],
    section: str = "",
    stats: SourceStats | None = None,
    model: SectionModel | None = None,
    gazetteer: Gazetteer | None = None,
) -> dict[str, Any]:
    """One input record with `section`, `section_scores`, `places` and `topics` added."""
    found = understand(**_inputs(record, section), stats=stats, model=model, gazetteer=gazetteer)
    return {**record, **found.as_json()}


def _inputs(record: dict[str, Any], section: str) -> dict[str, Any]:
    return {
        "title": str(record.get("title") or ""),
        "text": str(record.get("text") or ""),
        "summary": str(record.get("summary") or ""),
        "url": str(record.get("url") or ""),
        "source_section": section or str(record.get("source_section") or ""),
        "feed_categories": _categories(record.get("feed_categories")),
        "language": primary_language(str(record.get("language") or "")),
    }


def classify_lines(
    lines: Iterable[str | bytes],
    section: str = "",
    stats: SourceStats | None = None,
    model: SectionModel | None = None,
    gazetteer: Gazetteer | None = None,
) -> Iterator[str]:
    """Classify each JSON object line; blank lines are skipped, bad lines come back with `error`.

    `section` is the declared section for every line (the command's --section); a line's own
    `source_section` field is used when it is not given. Lines naming the same `source` share
    that source's stats, learned line by line as the live pipeline learns them article by
    article (evidence reliability, home country); `stats` is where every source starts.
    """
    by_source: dict[str, SourceStats] = {}
    for number, raw in enumerate(lines, start=1):
        try:
            line = line_text(raw, number)
        except ValueError as exc:
            yield json.dumps({"line": number, "error": str(exc)})
            continue
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            yield json.dumps({"line": number, "error": f"invalid JSON: {exc.msg}"})
            continue
        if not isinstance(record, dict) or not record.get("title"):
            yield json.dumps({"line": number, "error": "expected an object with a title"})
            continue
        inputs = _inputs(record, section)
        source = str(record.get("source") or "")
        known = by_source.get(source, stats or SourceStats()) if source else stats
        found = understand(**inputs, stats=known, model=model, gazetteer=gazetteer)
        if source:
            evidence = SourceEvidence(
                inputs["source_section"], inputs["feed_categories"], inputs["url"]
            )
            by_source[source] = learn(known or SourceStats(), [observation_of(found, evidence)])
        yield dump_line({**record, **found.as_json()})
