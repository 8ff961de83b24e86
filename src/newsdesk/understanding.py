"""Library glue between the store and the understanding stages.

The refresh orchestrator calls `understand_articles` on every new article before saving it,
and `record_observations` after saving; a user's correction goes through `correct_section`.
The model and the gazetteer are loaded once per process (`default_model`, `default_gazetteer`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from newsdesk.models import Article, NewArticle
from newsdesk.pipeline.classify import (
    SectionModel,
    SourceEvidence,
    SourceStats,
    best_section,
    default_model,
    note_country,
    observe,
)
from newsdesk.pipeline.places import Gazetteer, countries_of, default_gazetteer
from newsdesk.pipeline.understand import Understanding, understand
from newsdesk.store.base import Store

# Text probability above which the text model alone is trusted to judge the source's evidence.
CONFIDENT_TEXT = 0.8


@dataclass(frozen=True)
class Observation:
    """What one new article tells about its source."""

    evidence: SourceEvidence
    section: str  # the text model's section when it was confident alone, else ""
    country: str  # the country the article is mainly about, else ""


@dataclass(frozen=True)
class Understood:
    """New articles with section, scores, places and topics filled in, and what they taught."""

    articles: tuple[NewArticle, ...]
    observations: tuple[Observation, ...]


def understand_articles(
    articles: Sequence[NewArticle],
    source_section: str,
    stats: SourceStats,
    model: SectionModel | None = None,
    gazetteer: Gazetteer | None = None,
) -> Understood:
    """Classify each article with its source's evidence and stats, as the live pipeline stores it.

    Each article becomes an observation; saved with `record_observations`, the ones the text
    model is sure of (without the source's help) let each kind of evidence earn the weight its
    record on this source deserves, and all of them teach the source's home country.
    """
    model = model or default_model()
    gazetteer = gazetteer or default_gazetteer()
    observations, done = [], []
    for article in articles:
        found = understand(
            title=article.title,
            text=article.text,
            summary=article.summary,
            url=article.url,
            source_section=source_section,
            feed_categories=article.categories,
            stats=stats,
            language=article.language,
            model=model,
            gazetteer=gazetteer,
        )
        done.append(
            replace(
                article,
                section=found.section,
                section_scores=found.stored_scores(),
                places=found.places,
                topics=found.topics,
            )
        )
        evidence = SourceEvidence(source_section, article.categories, article.url)
        observations.append(observation_of(found, evidence))
    return Understood(tuple(done), tuple(observations))


def observation_of(found: Understanding, evidence: SourceEvidence) -> Observation:
    """What one understood article tells about its source."""
    text_section = best_section(found.text_scores)
    confident = found.text_scores[text_section] >= CONFIDENT_TEXT
    countries = countries_of(found.places)
    return Observation(
        evidence, text_section if confident else "", countries[0] if countries else ""
    )


def learn(stats: SourceStats, observations: Sequence[Observation]) -> SourceStats:
    """Stats after observing new articles: evidence checked against confident text, and the
    countries they are about."""
    for seen in observations:
        if seen.section:
            stats = observe(stats, seen.evidence, seen.section)
        if seen.country:
            stats = note_country(stats, seen.country)
    return stats


def record_observations(store: Store, source_id: int, observations: Sequence[Observation]) -> None:
    """Fold observations into the source's stored stats, read and written in one transaction so
    that a correction made meanwhile is kept."""
    if observations:
        store.update_source_stats(source_id, lambda stats: learn(stats, observations))


def correct_section(store: Store, article_id: int, section: str, username: str = "") -> Article:
    """Set an article's section as a user says; later articles of its source learn from it.

    StoreError for an unknown article or section.
    """
    return store.correct_section(article_id, section, username)
