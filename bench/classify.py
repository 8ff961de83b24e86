"""Section classification benchmark: BBC full text (never trained on), HuffPost held out,
the gain from user corrections, speed, model size and load time, beside a TF-IDF baseline.

Run: .venv/bin/python bench/classify.py   (needs scikit-learn, like training)
"""

from __future__ import annotations

import csv
import os
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "training"))

import itertools

from train_sections import huffpost_split

from common import datasets_dir, median, write_results
from newsdesk.pipeline.classify import (
    MODEL_FILE,
    SourceEvidence,
    SourceStats,
    apply_correction,
    classify_section,
    load_model,
    note_country,
)
from newsdesk.pipeline.places import countries_of
from newsdesk.pipeline.sections import BBC_TO_SECTION
from newsdesk.pipeline.understand import understand

BBC_SECTIONS = sorted(set(BBC_TO_SECTION.values()))
MISLEADING = {
    "business": "technology",
    "entertainment": "lifestyle",
    "politics": "world",
    "sports": "entertainment",
    "technology": "business",
}
KS = (0, 1, 3, 5, 10, 20)
HOLD = 20  # the first HOLD articles of a source may be corrected; the rest are scored


def load_bbc(root: Path) -> list[tuple[str, str, str]]:
    """(section, title, body) for every BBC article."""
    folder = root / "bbc_news_fulltext"
    rows = []
    with (folder / "labels.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            raw = (folder / row["path"]).read_bytes().decode(row["encoding"])
            title, _, body = raw.partition("\n")
            rows.append((BBC_TO_SECTION[row["category"]], title.strip(), body.strip()))
    return rows


def ece(confidence: np.ndarray, correct: np.ndarray, bins: int = 10) -> float:
    edges = np.linspace(0, 1, bins + 1)
    total = 0.0
    for lo, hi in itertools.pairwise(edges):
        mask = (confidence > lo) & (confidence <= hi)
        if mask.any():
            total += mask.mean() * abs(confidence[mask].mean() - correct[mask].mean())
    return float(total)


def shipped_model(
    bbc: list[tuple[str, str, str]], hp_x: list[str], hp_y: list[str]
) -> dict[str, Any]:
    model = load_model()
    scores = [model.scores(title, "", body) for _, title, body in bbc]
    truth = [s for s, _, _ in bbc]
    open_pred = [max(s, key=lambda k: s[k]) for s in scores]
    closed = [max(BBC_SECTIONS, key=lambda k: s[k]) for s in scores]
    conf = np.array([s[p] for s, p in zip(scores, open_pred, strict=True)])
    hp_pred = [max((s := model.scores(x)), key=lambda k: s[k]) for x in hp_x]
    # BBC as one live source: its home country comes from its articles' places (no labels).
    found = [understand(title, body) for _, title, body in bbc]
    stats = SourceStats()
    for one in found:
        if countries := countries_of(one.places):
            stats = note_country(stats, countries[0])
    homed = [understand(title, body, stats=stats).section for _, title, body in bbc]
    return {
        "bbc_accuracy": accuracy_score(truth, open_pred),
        "bbc_macro_f1": f1_score(truth, open_pred, labels=BBC_SECTIONS, average="macro"),
        "bbc_accuracy_closed_5": accuracy_score(truth, closed),
        "bbc_accuracy_as_source": accuracy_score(truth, homed),
        "bbc_macro_f1_as_source": f1_score(truth, homed, labels=BBC_SECTIONS, average="macro"),
        "bbc_source_home_country": stats.home_country(),
        "bbc_ece": ece(conf, np.array(open_pred) == np.array(truth)),
        "huffpost_macro_f1": f1_score(hp_y, hp_pred, average="macro"),
        "huffpost_accuracy": accuracy_score(hp_y, hp_pred),
    }


def baseline(split: Any, bbc: list[tuple[str, str, str]]) -> dict[str, Any]:
    vectorizer = TfidfVectorizer()
    model = LogisticRegression(max_iter=1000).fit(
        vectorizer.fit_transform(split.train_texts), split.train_sections
    )
    hp_pred = model.predict(vectorizer.transform(split.test_texts))
    docs = vectorizer.transform([f"{t}\n{b}" for _, t, b in bbc])
    truth = [s for s, _, _ in bbc]
    classes = list(model.classes_)
    decision = model.decision_function(docs)
    closed = np.array(BBC_SECTIONS)[decision[:, [classes.index(c) for c in BBC_SECTIONS]].argmax(1)]
    open_pred = model.predict(docs)
    return {
        "bbc_accuracy": accuracy_score(truth, open_pred),
        "bbc_macro_f1": f1_score(truth, open_pred, labels=BBC_SECTIONS, average="macro"),
        "bbc_accuracy_closed_5": accuracy_score(truth, closed),
        "huffpost_macro_f1": f1_score(split.test_sections, hp_pred, average="macro"),
        "huffpost_accuracy": accuracy_score(split.test_sections, hp_pred),
    }


def corrections(bbc: list[tuple[str, str, str]]) -> dict[str, Any]:
    """Accuracy on a source's later articles after a user corrected its first k."""
    model = load_model()
    results: dict[str, Any] = {}
    for scenario in ("misleading_declared", "no_declared"):
        per_k = {}
        for k in KS:
            right = total = 0
            for section in BBC_SECTIONS:
                articles = [a for a in bbc if a[0] == section]
                declared = MISLEADING[section] if scenario == "misleading_declared" else ""
                evidence = SourceEvidence(declared=declared)
                stats = SourceStats()
                for truth, _, _ in articles[:k]:
                    stats = apply_correction(stats, evidence, truth)
                for truth, title, body in articles[HOLD:]:
                    got, _ = classify_section(model, title, "", body, evidence, stats)
                    right += got == truth
                    total += 1
            per_k[str(k)] = right / total
        results[scenario] = per_k
    return results


def speed(bbc: list[tuple[str, str, str]]) -> dict[str, Any]:
    articles = [(t, b[:3000]) for _, t, b in bbc[:1000]]
    understand(*articles[0])
    runs, cpu_runs = [], []
    for _ in range(3):
        started, cpu_started = time.perf_counter(), time.process_time()
        for title, body in articles:
            understand(title, body, url="https://news.example/news/a")
        runs.append(len(articles) / (time.perf_counter() - started))
        # CPU time of this one thread: the one-core rate even when other jobs share the machine.
        cpu_runs.append(len(articles) / (time.process_time() - cpu_started))
    loads = []
    for _ in range(5):
        started = time.perf_counter()
        _ = load_model().index  # the feature index is built on first use: count it too
        loads.append(time.perf_counter() - started)
    path = Path(__file__).resolve().parent.parent / "src" / "newsdesk" / "data" / MODEL_FILE
    return {
        "articles_per_second_title_plus_3kb": median(runs),
        "articles_per_cpu_second_title_plus_3kb": median(cpu_runs),
        "load_average_1min": os.getloadavg()[0],
        "model_bytes": path.stat().st_size,
        "model_load_seconds": median(loads),
    }


def main() -> None:
    root = datasets_dir()
    bbc = load_bbc(root)
    split = huffpost_split(root)
    results = {
        "model": shipped_model(bbc, split.test_texts, split.test_sections),
        "baseline_tfidf_logreg": baseline(split, bbc),
        "corrections_accuracy_by_k": corrections(bbc),
        "speed": speed(bbc),
        "bbc_articles": len(bbc),
        "huffpost_test_rows": len(split.test_texts),
    }
    for name, value in results.items():
        print(f"{name}: {value}")
    write_results("classify", results)


if __name__ == "__main__":
    main()
