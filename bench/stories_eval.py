"""Run a clusterer over a gold set and score it: shared by bench/stories.py and tuning runs."""

from __future__ import annotations

import time
import tracemalloc
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any

from newsdesk.pipeline.cluster import StoryEngine, StorySettings
from newsdesk.pipeline.cluster_embed import Embedder, embedding_text
from newsdesk.pipeline.cluster_ledger import StoryLedger
from stories_data import GoldSet
from stories_metrics import scores


def engine_labels(
    gold: GoldSet, settings: StorySettings, embeddings: Sequence[Any] | None = None
) -> list[str]:
    """Final story id per item after one online pass (merges and splits applied)."""
    engine = StoryEngine(settings)
    ledger = StoryLedger()
    for i, item in enumerate(gold.items):
        ledger.record(engine.add(item, embeddings[i] if embeddings is not None else None))
    return [ledger.story_of[item.id] for item in gold.items]


def embed_all(gold: GoldSet, embedder: Embedder) -> list[Any]:
    """Embeddings of every item, computed in batches up front."""
    texts = [embedding_text(i.title, i.text) for i in gold.items]
    return embedder.embed(texts)


def evaluate(gold: GoldSet, labels: Sequence[str]) -> dict[str, Any]:
    """Scores on the dev portion, the test portion and the whole set."""
    out: dict[str, Any] = {"all": scores(gold.labels, labels, [True] * len(labels))}
    if any(gold.dev):
        out["dev"] = scores(gold.labels, labels, gold.dev)
        out["test"] = scores(gold.labels, labels, [not d for d in gold.dev])
    return out


def kept_apart(gold: GoldSet, labels: Sequence[str]) -> dict[str, str]:
    """ECB+: in how many topics the two events of one kind end up in different main stories.

    Each event's main story is the one holding most of its articles; a topic counts as kept
    apart when its two events' main stories differ.
    """
    counts: dict[str, Counter[str]] = {}
    dev_topic: dict[str, bool] = {}
    for event, found, dev in zip(gold.labels, labels, gold.dev, strict=True):
        counts.setdefault(event, Counter())[found] += 1
        dev_topic[event.split("_")[0]] = dev
    main = {event: c.most_common(1)[0][0] for event, c in counts.items()}
    apart = {True: 0, False: 0}
    total = {True: 0, False: 0}
    for topic, dev in dev_topic.items():
        pair = [main[e] for e in main if e.split("_")[0] == topic]
        if len(pair) == 2:
            total[dev] += 1
            apart[dev] += pair[0] != pair[1]
    return {
        "dev": f"{apart[True]}/{total[True]}",
        "test": f"{apart[False]}/{total[False]}",
    }


def timed(run: Callable[[], list[Any]], n: int) -> tuple[list[Any], dict[str, float]]:
    """Run a clusterer twice: once for articles/s, once under tracemalloc for peak memory."""
    start = time.perf_counter()
    labels = run()
    elapsed = time.perf_counter() - start
    tracemalloc.start()
    run()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return labels, {
        "seconds": round(elapsed, 3),
        "articles_per_s": round(n / elapsed, 1),
        "peak_mib": round(peak / 2**20, 1),
    }
