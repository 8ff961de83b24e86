"""Article extraction on the Zyte benchmark: newsdesk vs trafilatura vs readability-lxml.

Scores text with the benchmark's own metric (token 4-gram shingles), after checking that this
scorer reproduces the published F1 of a few systems from their stored outputs. Timing runs
pinned to one core; pages/s is the median of several passes.
"""

from __future__ import annotations

import gzip
import json
import logging
import os
import re
import statistics
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura
from readability import Document

import common  # bench/ is on sys.path when run as a script
from newsdesk.pipeline.extract import ExtractError, extract_article
from newsdesk.pipeline.sanitize import html_to_text

PASSES = int(os.environ.get("BENCH_PASSES", "5"))
TOKEN = re.compile(r"\w+")
# Published F1/P/R (README "Results of the latest evaluation") of systems whose outputs are stored.
PUBLISHED = {
    "trafilatura": (0.958, 0.938, 0.978),
    "readability": (0.922, 0.913, 0.931),
    "goose3": (0.896, 0.940, 0.856),
    "html-text": (0.665, 0.500, 0.994),
}

Scores = tuple[float, float, float]


def shingles(text: str, n: int = 4) -> Counter[tuple[str, ...]]:
    """Token n-grams as a multiset; a text shorter than n is one shingle of all its tokens."""
    tokens = TOKEN.findall(text)
    return Counter(
        tuple(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)) if tokens[i : i + n]
    )


def page_scores(truth: str, prediction: str) -> Scores:
    """(tp, fp, fn) of one page, normalised to sum to 1 so long pages weigh no more."""
    true, pred = shingles(truth), shingles(prediction)
    tp = sum((true & pred).values())
    fp = sum((pred - true).values())
    fn = sum((true - pred).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _ratio(hit: float, miss: float, other: float) -> float:
    if miss == other == 0:
        return 1.0
    return 0.0 if hit == miss == 0 else hit / (hit + miss)


def evaluate(truth: dict[str, str], predictions: dict[str, str]) -> dict[str, float]:
    """F1 of the mean precision and mean recall over pages, plus exact-token accuracy."""
    rows = [page_scores(truth[k], predictions.get(k, "")) for k in truth]
    precision = statistics.mean(_ratio(tp, fp, fn) for tp, fp, fn in rows if tp + fp > 0)
    recall = statistics.mean(_ratio(tp, fn, fp) for tp, fp, fn in rows if tp + fn > 0)
    accuracy = statistics.mean(
        float(TOKEN.findall(truth[k]) == TOKEN.findall(predictions.get(k, ""))) for k in truth
    )
    f1 = 2 * precision * recall / (precision + recall)
    return {"f1": f1, "precision": precision, "recall": recall, "accuracy": accuracy}


def check_scorer(dataset: Path, truth: dict[str, str]) -> dict[str, Any]:
    """Score stored outputs of published systems; the scorer is right if they match to 3 places."""
    checks = {}
    for name, (f1, precision, recall) in PUBLISHED.items():
        raw = json.loads(gzip.decompress((dataset / "output" / f"{name}.json.gz").read_bytes()))
        raw = raw.get("output", raw)
        got = evaluate(truth, {k: v.get("articleBody") or "" for k, v in raw.items()})
        ok = (round(got["f1"], 3), round(got["precision"], 3), round(got["recall"], 3)) == (
            f1,
            precision,
            recall,
        )
        print(
            f"  {name:<12} published F1/P/R {f1:.3f}/{precision:.3f}/{recall:.3f}  "
            f"ours {got['f1']:.3f}/{got['precision']:.3f}/{got['recall']:.3f}  "
            f"{'OK' if ok else 'MISMATCH'}"
        )
        checks[name] = {"published_f1": f1, "ours": got, "match": ok}
    return checks


def newsdesk_text(html: bytes, url: str) -> str:
    try:
        return extract_article(html, url).text
    except ExtractError:
        return ""


def trafilatura_text(html: bytes, url: str) -> str:
    return trafilatura.extract(html) or ""


def readability_text(html: bytes, url: str) -> str:
    return html_to_text(Document(html).summary(html_partial=True))


SYSTEMS: dict[str, Callable[[bytes, str], str]] = {
    "newsdesk": newsdesk_text,
    "trafilatura": trafilatura_text,
    "readability-lxml": readability_text,
}


def main() -> None:
    logging.disable(logging.CRITICAL)  # trafilatura and readability log every discarded page
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    dataset = common.datasets_dir() / "article_extraction_benchmark_zyte"
    gold = json.loads((dataset / "ground-truth.json").read_text())
    truth = {k: v["articleBody"] for k, v in gold.items()}
    pages = {k: gzip.decompress((dataset / "html" / f"{k}.html.gz").read_bytes()) for k in gold}
    print(f"scorer check against published results ({len(truth)} pages):")
    checks = check_scorer(dataset, truth)

    timings: dict[str, list[float]] = {name: [] for name in SYSTEMS}
    outputs: dict[str, dict[str, str]] = {}
    for _ in range(PASSES):
        for name, system in SYSTEMS.items():
            start = time.perf_counter()
            outputs[name] = {k: system(pages[k], gold[k]["url"]) for k in pages}
            timings[name].append(time.perf_counter() - start)

    results: dict[str, Any] = {"pages": len(pages), "passes": PASSES, "scorer_check": checks}
    base_speed = len(pages) / common.median(timings["trafilatura"])
    print(f"\n{'system':<18} {'F1':>6} {'P':>6} {'R':>6} {'acc':>6} {'pages/s':>8} {'vs traf':>8}")
    for name in SYSTEMS:
        scores = evaluate(truth, outputs[name])
        speed = len(pages) / common.median(timings[name])
        results[name] = {**scores, "pages_per_s": speed, "speed_vs_trafilatura": speed / base_speed}
        print(
            f"{name:<18} {scores['f1']:6.3f} {scores['precision']:6.3f} {scores['recall']:6.3f} "
            f"{scores['accuracy']:6.3f} {speed:8.1f} {speed / base_speed:7.2f}x"
        )
    print(f"(one core, median of {PASSES} passes; trafilatura = plain extract() defaults)")
    common.write_results("extract", results)


if __name__ == "__main__":
    main()
