"""Sparse TF-IDF vectors with online, decaying document frequencies."""

from __future__ import annotations

import math
from array import array
from dataclasses import dataclass
from itertools import repeat
from operator import mul

from newsdesk.pipeline.cluster_models import NewsItem
from newsdesk.pipeline.cluster_text import (
    PAIRS_PER_TERM,
    entities,
    lead,
    slug_terms,
    terms,
    title_case,
    unspaced,
    word_count,
)

Vector = dict[str, float]
# A vector kept for later (a story member's): its terms and their weights, about a third of the
# memory of the dict.
PackedVector = tuple[tuple[str, ...], "array[float]"]


def pack(vector: Vector) -> PackedVector:
    """The vector in its compact form."""
    return tuple(vector), array("d", vector.values())


def unpack(packed: PackedVector) -> Vector:
    """The vector a `pack` holds."""
    return dict(zip(packed[0], packed[1], strict=True))


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


@dataclass(frozen=True, slots=True)
class ArticleTerms:
    """What clustering reads from one article: weighted terms, its names, and its body length."""

    counts: dict[str, float]
    names: tuple[str, ...]
    body_words: int
    paired: bool = False  # Chinese or Japanese, read as character pairs

    def term_limit(self, max_terms: int) -> int:
        """How many terms its vector keeps: more for text read as character pairs."""
        return round(max_terms * PAIRS_PER_TERM) if self.paired else max_terms


def article_terms(
    item: NewsItem, lead_words: int, title_weight: float, entity_weight: float, top_names: int = 12
) -> ArticleTerms:
    """Raw term weights (title terms count more, entity phrases join the terms) and names."""
    counts: dict[str, float] = {}
    for word in terms(item.title):
        counts[word] = counts.get(word, 0.0) + title_weight
    body = lead(item.text, lead_words) if item.text else ""
    for word in terms(body):
        counts[word] = counts.get(word, 0.0) + 1.0
    if not body:
        for word in slug_terms(item.url):
            counts[word] = counts.get(word, 0.0) + 1.0
    # In a Headline Style Title every word is capitalised, so only the body can name names.
    named = body if title_case(item.title) else f"{item.title}.\n{body}"
    found = entities(named)
    for phrase, n in found.items():
        if " " in phrase:  # single names are already terms
            counts[phrase] = counts.get(phrase, 0.0) + entity_weight * n
    names = tuple(name for name, _ in found.most_common(top_names))
    paired = unspaced(item.title) or unspaced(body)
    return ArticleTerms(counts, names, word_count(item.text) if body else 0, paired)


def tfidf(counts: dict[str, float], df: DocumentFrequencies, max_terms: int) -> Vector:
    """Sublinear-tf, idf-weighted, L2-normalised vector of the strongest max_terms terms."""
    log = math.log
    seen = df.df.get
    docs = df.docs + 1.0
    # The idf of DocumentFrequencies.idf, inlined: this runs for every term of every article.
    weights = {
        w: (1.0 + log(c) if c >= 1.0 else c) * (log(docs / (seen(w, 0.0) + 1.0)) + 1.0)
        for w, c in counts.items()
        if c > 0
    }
    if len(weights) > max_terms:
        kept = sorted(weights, key=weights.__getitem__, reverse=True)[:max_terms]
        weights = {w: weights[w] for w in kept}
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {w: v / norm for w, v in weights.items()}


def cosine(a: Vector, b: Vector, b_norm: float) -> float:
    """Cosine of a unit vector a with vector b of norm b_norm."""
    if not b_norm:
        return 0.0
    small, large = (b, a) if len(a) > len(b) else (a, b)
    dot: float = sum(map(mul, small.values(), map(large.get, small, repeat(0.0))))
    return dot / b_norm


def vector_norm(vector: Vector) -> float:
    """Euclidean norm."""
    return math.sqrt(sum(v * v for v in vector.values()))
