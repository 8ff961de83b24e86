"""Baseline: single-pass TF-IDF clustering with one cosine threshold (title and text, no extras)."""

from __future__ import annotations

import math
import re

from stories_data import GoldSet

_WORD = re.compile(r"\w+")
_STOP_TEXT = (
    "the a an of to in and or for on at by with from is are was were be been has have had it its "
    "that this as but not he she they we you i his her their our said says will would"
)
_STOP = frozenset(_STOP_TEXT.split())


def _vector(text: str, df: dict[str, int], docs: int) -> dict[str, float]:
    counts: dict[str, int] = {}
    for word in _WORD.findall(text.lower()):
        if word not in _STOP and not word.isdigit():
            counts[word] = counts.get(word, 0) + 1
    for word in counts:
        df[word] = df.get(word, 0) + 1
    weights = {
        w: (1 + math.log(c)) * (math.log((docs + 1) / (df[w] + 1)) + 1) for w, c in counts.items()
    }
    norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
    return {w: v / norm for w, v in weights.items()}


def baseline_labels(gold: GoldSet, threshold: float) -> list[str]:
    """Each article joins the closest centroid at or above threshold, else starts a cluster."""
    df: dict[str, int] = {}
    centroids: list[dict[str, float]] = []
    postings: dict[str, set[int]] = {}
    labels: list[str] = []
    for n, item in enumerate(gold.items, 1):
        vec = _vector(f"{item.title}\n{item.text}", df, n)
        dots: dict[int, float] = {}
        for word, weight in vec.items():
            for c in postings.get(word, ()):
                dots[c] = dots.get(c, 0.0) + weight * centroids[c][word]
        best, best_sim = -1, threshold
        for c, dot in dots.items():
            norm = math.sqrt(sum(v * v for v in centroids[c].values())) or 1.0
            if dot / norm >= best_sim:
                best, best_sim = c, dot / norm
        if best < 0:
            best = len(centroids)
            centroids.append({})
        centroid = centroids[best]
        for word, weight in vec.items():
            centroid[word] = centroid.get(word, 0.0) + weight
            postings.setdefault(word, set()).add(best)
        labels.append(str(best))
    return labels
