"""Scaling: articles/s and memory with N synthetic articles in the window, and as the window slides.

Run as a script (one size per process, so peak RSS belongs to that size alone):
    python bench/stories_scale.py fill 100000
    python bench/stories_scale.py slide 300000
"""

from __future__ import annotations

import json
import random
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from newsdesk.pipeline.cluster import StoryEngine, StorySettings
from newsdesk.pipeline.cluster_models import NewsItem


def _vocabulary(size: int, rng: random.Random) -> list[str]:
    letters = "abcdefghijklmnopqrstuvwxyz"
    return ["".join(rng.choice(letters) for _ in range(rng.randint(5, 9))) for _ in range(size)]


def synthetic(n: int, per_second: float, seed: int = 1) -> Iterator[NewsItem]:
    """n articles on ~n/8 stories, arriving at per_second; 5% are syndicated copies."""
    rng = random.Random(seed)
    vocab = _vocabulary(60_000, rng)
    common = vocab[:2000]
    live: list[list[str]] = []
    recent: list[NewsItem] = []
    for i in range(n):
        if not live or rng.random() < 0.125:
            live.append(rng.sample(vocab, 12))
            if len(live) > 2000:
                live.pop(0)
        topic = live[int(len(live) * (1 - rng.random() ** 3)) - 1]
        published = 1_600_000_000.0 + i / per_second
        if recent and rng.random() < 0.05:
            src = rng.choice(recent)
            yield NewsItem(
                f"a{i}",
                src.title,
                published,
                src.text + "\nSee also: more",
                f"https://copy{i % 50}.example/{i}",
                f"copy{i % 50}",
            )
            continue
        title = " ".join(rng.sample(topic, 5) + rng.sample(common, 3))
        body = " ".join(
            rng.choice(topic) if rng.random() < 0.3 else rng.choice(common) for _ in range(70)
        )
        item = NewsItem(
            f"a{i}", title, published, body, f"https://s{i % 300}.example/{i}", f"s{i % 300}"
        )
        recent.append(item)
        if len(recent) > 500:
            recent.pop(0)
        yield item


def _status_mib(field: str) -> float:
    # /proc rather than getrusage: ru_maxrss survives exec, so it would count the parent's peak.
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


def _rss_mib() -> float:
    return _status_mib("VmHWM")


def fill(window: int, measure: int = 5000) -> dict[str, float]:
    """Fill the window with `window` articles, then time `measure` more."""
    engine = StoryEngine(StorySettings(window_days=30.0))
    stream = synthetic(window + measure, per_second=window / (20 * 86_400.0))
    start = time.perf_counter()
    for _ in range(window):
        engine.add(next(stream))
    fill_s = time.perf_counter() - start
    start = time.perf_counter()
    for item in stream:
        engine.add(item)
    measured = time.perf_counter() - start
    return {
        "window_articles": window,
        "stories_in_window": len(engine.index),
        "fill_articles_per_s": round(window / fill_s, 1),
        "articles_per_s": round(measure / measured, 1),
        "peak_rss_mib": round(_rss_mib(), 1),
    }


def slide(total: int) -> dict[str, object]:
    """Stream `total` articles through a 1-day window holding about 50k; sample size and memory."""
    engine = StoryEngine(StorySettings(window_days=1.0))
    samples = []
    start = time.perf_counter()
    for i, item in enumerate(synthetic(total, per_second=50_000 / 86_400.0), 1):
        engine.add(item)
        if i % (total // 6) == 0:
            samples.append(
                {
                    "articles_seen": i,
                    "articles_in_window": len(engine.story_of),
                    "stories_in_window": len(engine.index),
                    "rss_mib": round(_status_mib("VmRSS"), 1),
                }
            )
    return {
        "articles": total,
        "articles_per_s": round(total / (time.perf_counter() - start), 1),
        "samples": samples,
    }


if __name__ == "__main__":
    mode, size = sys.argv[1], int(sys.argv[2])
    print(json.dumps(fill(size) if mode == "fill" else slide(size)))
