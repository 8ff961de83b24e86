"""Everything newsdesk understands about one article: section, places and topics."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

from newsdesk.models import Place, Topic
from newsdesk.pipeline.classify import (
    SectionModel,
    SourceEvidence,
    SourceStats,
    classify_section,
    default_model,
)
from newsdesk.pipeline.places import Gazetteer, default_gazetteer, find_places, name_spans
from newsdesk.pipeline.topics import find_topics


@dataclass(frozen=True)
class Understanding:
    section: str
    section_scores: dict[str, float]
    places: tuple[Place, ...]
    topics: tuple[Topic, ...]

    def as_json(self) -> dict[str, Any]:
        """The fields the store keeps and the batch command writes, as JSON-ready values."""
        return {
            "section": self.section,
            "section_scores": {s: round(p, 4) for s, p in self.section_scores.items()},
            "places": [asdict(p) for p in self.places],
            "topics": [asdict(t) for t in self.topics],
        }


def understand(
    title: str,
    text: str = "",
    summary: str = "",
    url: str = "",
    source_section: str = "",
    feed_categories: Sequence[str] = (),
    stats: SourceStats | None = None,
    model: SectionModel | None = None,
    gazetteer: Gazetteer | None = None,
) -> Understanding:
    """Section (text model plus source evidence), places and topics of one article."""
    evidence = SourceEvidence(source_section, tuple(feed_categories), url)
    section, scores = classify_section(
        model or default_model(), title, summary, text, evidence, stats or SourceStats()
    )
    gaz = gazetteer or default_gazetteer()
    body = f"{summary}\n{text}" if summary else text
    spans = list(name_spans(body))
    places = find_places(f"{title}\n{body}", gaz, [*name_spans(title), *spans])
    topics = find_topics(title, body, gaz, spans)
    return Understanding(section, scores, places, topics)
