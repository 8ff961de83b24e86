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
    best_section,
    combine,
    default_model,
    place_government,
    words,
)
from newsdesk.pipeline.places import Gazetteer, default_gazetteer, find_places, name_spans
from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.pipeline.topics import find_topics


@dataclass(frozen=True)
class Understanding:
    section: str
    section_scores: dict[str, float]
    places: tuple[Place, ...]
    topics: tuple[Topic, ...]
    text_scores: dict[str, float]  # the text model alone, before source evidence

    def stored_scores(self) -> dict[str, float]:
        """Section scores as stored and written: four decimals are plenty for a probability."""
        return {s: round(p, 4) for s, p in self.section_scores.items()}

    def as_json(self) -> dict[str, Any]:
        """The fields the store keeps and the batch command writes, as JSON-ready values."""
        return {
            "section": self.section,
            "section_scores": self.stored_scores(),
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
    language: str = "",
    model: SectionModel | None = None,
    gazetteer: Gazetteer | None = None,
) -> Understanding:
    """Section, places and topics of one article.

    The section weighs the text model with the source's evidence; for a story about government,
    its places and the source's home country then decide between politics and world.
    `language` is the article's (an ISO 639 code, "" when unknown): the text model reads English.
    """
    evidence = SourceEvidence(source_section, tuple(feed_categories), url)
    stats = stats or SourceStats()
    gaz = gazetteer or default_gazetteer()
    body = f"{summary}\n{text}" if summary else text
    title_spans = list(name_spans(title))
    spans = list(name_spans(body))
    # Body spans count from the body's start; find_places reads them in title + "\n" + body.
    shift = len(title) + 1
    body_spans = [span._replace(start=span.start + shift) for span in spans]
    places = find_places(f"{title}\n{body}", gaz, [*title_spans, *body_spans])
    body_words = words(body)
    topics = find_topics(title, body, gaz, spans, title_spans)
    the_model = model or default_model()
    all_words = [*words(title), *body_words]
    # Another language or script, bare numbers, or no word the model knows: what it would make
    # of the text is no evidence, so every section is as likely and the source decides.
    unread = language not in ("", "en") or not _readable(all_words, title, body)
    text_scores = NO_TEXT if unread else the_model.token_scores(all_words)
    if text_scores == the_model.blind:
        unread, text_scores = True, NO_TEXT
    scores = combine(text_scores, evidence, stats)
    mentions: dict[str, int] = {}
    for place in places:
        mentions[place.country_code] = mentions.get(place.country_code, 0) + place.mentions
    scores = place_government(scores, mentions, stats.home_country())
    # With nothing from the text or its source there is no section: the model's prior would
    # file every such article under one ("lifestyle").
    blind = unread and not evidence.sections() and not stats.sections
    return Understanding("" if blind else best_section(scores), scores, places, topics, text_scores)


NO_TEXT = {name: 1.0 / len(SECTION_NAMES) for name in SECTION_NAMES}
_NO_DIGITS = str.maketrans("", "", "0123456789")


def _readable(all_words: list[str], title: str, body: str) -> bool:
    """Whether the model's words (English letters; numbers say nothing of a section) make up a
    fair part of the text: Chinese, Arabic or Russian text, or a bare number, gives it none."""
    shown = len(title) + len(body) - title.count(" ") - body.count(" ")
    read = len("".join(all_words).translate(_NO_DIGITS))
    return read >= READABLE_SHARE * shown


# English text is ~80% letters between its spaces; below this share the text is in another
# script, or is numbers.
READABLE_SHARE = 0.3
