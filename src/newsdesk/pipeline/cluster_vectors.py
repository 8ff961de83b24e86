"""Sparse TF-IDF vectors with online, decaying document frequencies."""

from __future__ import annotations

import math

from newsdesk.pipeline.cluster_models import NewsItem
from newsdesk.pipeline.cluster_text import entities, lead, slug_terms, terms

Vector = dict[str, float]


class DocumentFrequencies:
    """Document frequencies learnt as articles arrive.

    Counts are halved every `half_life_docs` documents and tiny ones dropped, so the vocabulary
    follows the news and its size stays bounded however long the engine runs.
    """

    def __init__(self, half_life_docs: int = 50_000) -> None:
        self.half_life_docs = half_life_docs
        self.df: dict[str, float] = {}
        self.docs = 0.0
        self._since_decay = 0

    def add(self, words: set[str]) -> None:
        """Count one document's distinct terms."""
        df = self.df
        for word in words:
            df[word] = df.get(word, 0.0) + 1.0
        self.docs += 1.0
        self._since_decay += 1
        if self._since_decay >= self.half_life_docs:
            self._decay()

    def _decay(self) -> None:
        self._since_decay = 0
        self.docs /= 2.0
        self.df = {w: c / 2.0 for w, c in self.df.items() if c >= 1.0}

    def idf(self, word: str) -> float:
        """Smoothed inverse document frequency."""
        return math.log((self.docs + 1.0) / (self.df.get(word, 0.0) + 1.0)) + 1.0


def weighted_terms(
    item: NewsItem, lead_words: int, title_weight: float, entity_weight: float
) -> dict[str, float]:
    """Raw term weights of an article: title terms count more, and entity phrases join the terms."""
    counts: dict[str, float] = {}
    for word in terms(item.title):
        counts[word] = counts.get(word, 0.0) + title_weight
    body = lead(item.text, lead_words) if item.text else ""
    for word in terms(body):
        counts[word] = counts.get(word, 0.0) + 1.0
    if not body:
        for word in slug_terms(item.url):
            counts[word] = counts.get(word, 0.0) + 1.0
    for phrase, n in entities(f"{item.title}.\n{body}").items():
        if " " in phrase:  # single names are already terms
            counts[phrase] = counts.get(phrase, 0.0) + entity_weight * n
    return counts


def names(item: NewsItem, lead_words: int, limit: int = 12) -> tuple[str, ...]:
    """The article's most frequent capitalised names (people, places, organisations), most
    frequent first."""
    body = lead(item.text, lead_words) if item.text else ""
    found = entities(f"{item.title}.\n{body}")
    return tuple(name for name, _ in found.most_common(limit))


def tfidf(counts: dict[str, float], df: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear-tf, idf-weighted, L2-normalised vector of the strongest max_terms terms."""
    weights = {w: _tf(c) * df.idf(w) for w, c in counts.items() if c > 0}
    if len(weights) > max_terms:
        weights = dict(sorted(weights.items(), key=lambda kv: kv[1], reverse=True)[:max_terms])
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {w: v / norm for w, v in weights.items()}


def cosine(a: Vector, b: Vector, b_norm: float) -> float:
    """Cosine of a unit vector a with vector b of norm b_norm."""
    if len(a) > len(b):
        small, large = b, a
    else:
        small, large = a, b
    dot = sum(v * large.get(w, 0.0) for w, v in small.items())
    return dot / b_norm if b_norm else 0.0


def vector_norm(vector: Vector) -> float:
    """Euclidean norm."""
    return math.sqrt(sum(v * v for v in vector.values()))


def _tf(count: float) -> float:
    return 1.0 + math.log(count) if count >= 1.0 else count
