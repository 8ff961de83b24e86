"""Clustering scores: pairwise and B-cubed precision, recall and F1 against gold labels, and NMI
(the score the published UCI anchor is given in)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from sklearn.metrics import normalized_mutual_info_score


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


def pairwise(gold: Sequence[str], found: Sequence[str]) -> dict[str, float]:
    """Precision/recall/F1 over all pairs of items put together."""

    def pairs(counter: Counter[object]) -> int:
        return sum(n * (n - 1) // 2 for n in counter.values())

    both = pairs(Counter(zip(gold, found, strict=True)))
    in_gold, in_found = pairs(Counter(gold)), pairs(Counter(found))
    p = both / in_found if in_found else 1.0
    r = both / in_gold if in_gold else 1.0
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)}


def bcubed(gold: Sequence[str], found: Sequence[str]) -> dict[str, float]:
    """B-cubed precision/recall/F1: per item, then averaged."""
    joint = Counter(zip(gold, found, strict=True))
    g, f = Counter(gold), Counter(found)
    n = len(gold)
    p = sum(joint[(a, b)] / f[b] for a, b in zip(gold, found, strict=True)) / n
    r = sum(joint[(a, b)] / g[a] for a, b in zip(gold, found, strict=True)) / n
    return {"precision": round(p, 4), "recall": round(r, 4), "f1": round(_f1(p, r), 4)}


def scores(gold: Sequence[str], found: Sequence[str], keep: Sequence[bool]) -> dict[str, object]:
    """Both scores over the items where keep is true (a dev or test portion of one run)."""
    g = [x for x, k in zip(gold, keep, strict=True) if k]
    fo = [x for x, k in zip(found, keep, strict=True) if k]
    return {
        "articles": len(g),
        "gold_stories": len(set(g)),
        "found_stories": len(set(fo)),
        "pairwise": pairwise(g, fo),
        "bcubed": bcubed(g, fo),
        "nmi": round(float(normalized_mutual_info_score(g, fo)), 4),
    }
