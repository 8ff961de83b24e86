"""Near-duplicate benchmark: duplicate_of precision/recall on spun copies, rensa vs datasketch."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from datasketch import MinHash, MinHashLSH

from newsdesk.pipeline.cluster import StoryEngine
from newsdesk.pipeline.cluster_models import NewsItem
from newsdesk.pipeline.dedup import DedupSettings, DuplicateFinder, shingles
from stories_spin import SpinCase


@dataclass(frozen=True)
class DedupRun:
    predicted: dict[str, str | None]
    seconds: float


def run_finder(cases: list[SpinCase], settings: DedupSettings) -> DedupRun:
    """Feed cases in arrival order through the rensa-backed DuplicateFinder."""
    finder = DuplicateFinder(settings)
    predicted: dict[str, str | None] = {}
    start = time.perf_counter()
    for case in cases:
        mh = finder.minhash(case.item.text)
        match = finder.find(case.item, mh)
        original = match.original if match else None
        finder.add(case.item, original, mh)
        predicted[case.item.id] = original
    return DedupRun(predicted, time.perf_counter() - start)


def run_engine(cases: list[SpinCase]) -> DedupRun:
    """duplicate_of as the whole story engine gives it: the finder's matches, less those whose
    names say another event (StorySettings.copy_names), each credited to its original."""
    engine = StoryEngine()
    predicted: dict[str, str | None] = {}
    start = time.perf_counter()
    for case in cases:
        predicted[case.item.id] = engine.add(case.item).duplicate_of
    return DedupRun(predicted, time.perf_counter() - start)


def run_datasketch(cases: list[SpinCase], settings: DedupSettings) -> DedupRun:
    """The same shingles and decision rule, with datasketch's MinHash and MinHashLSH."""
    s = settings
    rows = s.num_perm // s.num_bands
    lsh = MinHashLSH(num_perm=s.num_perm, params=(s.num_bands, rows))
    hashes: dict[str, tuple[MinHash, NewsItem]] = {}
    original_of: dict[str, str] = {}
    predicted: dict[str, str | None] = {}
    start = time.perf_counter()
    for case in cases:
        grams = shingles(case.item.text, s.shingle)
        found: str | None = None
        if len(grams) >= s.min_words:
            mh = MinHash(num_perm=s.num_perm, seed=s.seed)
            mh.update_batch([g.encode() for g in grams])
            found = _best(lsh.query(mh), mh, case.item, hashes, s)
            lsh.insert(case.item.id, mh)
            hashes[case.item.id] = (mh, case.item)
        if found is not None:
            found = original_of.get(found, found)
            original_of[case.item.id] = found
        predicted[case.item.id] = found
    return DedupRun(predicted, time.perf_counter() - start)


def _best(
    keys: list[Any],
    mh: MinHash,
    item: NewsItem,
    hashes: dict[str, tuple[MinHash, NewsItem]],
    s: DedupSettings,
) -> str | None:
    from newsdesk.pipeline.dedup import title_similarity, title_words

    best: tuple[float, str] | None = None
    title = title_words(item.title)
    for key in keys:
        other, other_item = hashes[key]
        jaccard = mh.jaccard(other)
        same = title_similarity(title, title_words(other_item.title)) >= s.same_title
        if jaccard >= (s.min_jaccard_same_title if same else s.min_jaccard) and (
            best is None or jaccard > best[0]
        ):
            best = (jaccard, key)
    return best[1] if best else None


def score(cases: list[SpinCase], run: DedupRun, keep: Callable[[SpinCase], bool]) -> dict[str, Any]:
    """Precision and recall of duplicate_of over the kept cases, with recall per rewrite kind."""
    tp = fp = fn = 0
    by_kind: dict[str, list[int]] = {}
    for case in cases:
        if not keep(case):
            continue
        got = run.predicted.get(case.item.id)
        if case.original is not None:
            hit = got == case.original
            tp += hit
            fn += not hit
            if got is not None and not hit:
                fp += 1
            by_kind.setdefault(case.kind, [0, 0])[0] += hit
            by_kind[case.kind][1] += 1
        elif got is not None:
            fp += 1
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return {
        "copies": tp + fn,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "false_positives": fp,
        "recall_by_kind": {k: round(h / n, 4) for k, (h, n) in sorted(by_kind.items())},
        "articles_per_s": round(len(cases) / run.seconds, 1),
    }
