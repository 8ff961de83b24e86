"""Story splitting: does a story hold two events? A two-way split of its articles' vectors.

A story's first wrong join is usually made while it is tiny (the other event of the same kind
has no story yet); its mixed centroid then draws in articles of both events. Tested as it grows,
such a story falls into two groups whose articles are much more alike within than across.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Sequence

from newsdesk.pipeline.cluster_vectors import Vector, cosine, vector_norm


def split_sides(
    vectors: Sequence[Vector],
    max_ratio: float,
    min_side: int,
    names: Sequence[Sequence[str]] = (),
    name_penalty: float = 1.0,
) -> list[bool] | None:
    """Each unit vector's side of a clear two-way split, or None when they form one group.

    Two-means, seeded by the vector least like the whole and the one least like that seed. The
    split is clear when its `split_ratio` is at most `max_ratio` and each side has at least
    `min_side` vectors.
    """
    n = len(vectors)
    if n < 2 * min_side:
        return None
    whole = _total(vectors)
    whole_norm = vector_norm(whole)
    first = min(range(n), key=lambda i: cosine(vectors[i], whole, whole_norm))
    sides = _two_means(vectors, first)
    if sides is None or not min_side <= sum(sides) <= n - min_side:
        return None
    if split_ratio(vectors, sides, names, name_penalty) > max_ratio:
        return None
    return sides


def split_ratio(
    vectors: Sequence[Vector],
    sides: Sequence[bool],
    names: Sequence[Sequence[str]] = (),
    name_penalty: float = 1.0,
) -> float:
    """Summed similarity of each vector to the other side's centroid over that to its own side's
    (without itself), names cutting either as in scoring: the lower, the clearer the split."""
    centroids = side_totals(vectors, sides)
    norms = [vector_norm(c) for c in centroids]
    named: list[Counter[str]] = [Counter(), Counter()]
    for found, side in zip(names, sides, strict=False):
        named[side].update(set(found))
    within = between = 0.0
    for i, (v, side) in enumerate(zip(vectors, sides, strict=True)):
        own, other = centroids[side], centroids[not side]
        dot = cosine(v, own, 1.0)
        # The own side without this vector: |C - v|^2 = |C|^2 - 2 v.C + 1 for a unit v.
        rest = math.sqrt(max(norms[side] ** 2 - 2.0 * dot + 1.0, 0.0))
        near = (dot - 1.0) / rest if rest else 0.0
        far = cosine(v, other, norms[not side])
        if i < len(names) and names[i]:
            # As in scoring: naming none of a side's names marks another event.
            own_names = set(names[i])
            if not any(named[side][n] > 1 for n in own_names):
                near *= name_penalty
            if not any(named[not side][n] for n in own_names):
                far *= name_penalty
        within += near
        between += far
    return between / within if within > 0.0 else math.inf


def _two_means(vectors: Sequence[Vector], first: int, rounds: int = 4) -> list[bool] | None:
    """Two-means from the seeds `first` and the vector least like it; None if they coincide."""
    second = min(range(len(vectors)), key=lambda i: cosine(vectors[i], vectors[first], 1.0))
    if first == second:
        return None
    seeds = (vectors[first], vectors[second])
    sides = [cosine(v, seeds[1], 1.0) > cosine(v, seeds[0], 1.0) for v in vectors]
    for _ in range(rounds):
        centroids = side_totals(vectors, sides)
        norms = [vector_norm(c) for c in centroids]
        moved = [
            cosine(v, centroids[1], norms[1]) > cosine(v, centroids[0], norms[0]) for v in vectors
        ]
        if moved == sides:
            break
        sides = moved
    return sides


def with_names(
    vector: Vector | None, names: Sequence[str], idf: Callable[[str], float], weight: float
) -> Vector:
    """A unit vector whose cosines blend text (1 - weight) and idf-weighted names (weight).

    Two events of one kind share their words; their people and places tell them apart.
    """
    text = vector or {}
    if not names or not weight:
        return text
    name_weights = {f"\x00{name}": idf(name) for name in names}
    scale = math.sqrt(weight) / (vector_norm(name_weights) or 1.0)
    keep = math.sqrt(1.0 - weight)
    out = {word: value * keep for word, value in text.items()}
    for key, value in name_weights.items():
        out[key] = value * scale
    norm = vector_norm(out) or 1.0
    return {key: value / norm for key, value in out.items()}


def _total(vectors: Sequence[Vector]) -> Vector:
    out: Vector = {}
    for v in vectors:
        for word, weight in v.items():
            out[word] = out.get(word, 0.0) + weight
    return out


def side_totals(vectors: Sequence[Vector], sides: Sequence[bool]) -> tuple[Vector, Vector]:
    """The summed vectors of each side (False, True)."""
    return (
        _total([v for v, s in zip(vectors, sides, strict=True) if not s]),
        _total([v for v, s in zip(vectors, sides, strict=True) if s]),
    )
