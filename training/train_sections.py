"""Train the shipped section model on HuffPost News Category headlines (Misra 2018, CC BY 4.0).

Run: .venv/bin/python training/train_sections.py [--datasets DIR] [--out PATH]

Deterministic: a fixed stratified split (80% train, 20% held out for bench/classify.py), a
TF-IDF over word unigrams and bigrams (stop words left out), class-balanced logistic
regression, and a softmax temperature fitted on a validation tenth of the training part.
BBC is never read here.
Needs scikit-learn (training only); the package loads the result with numpy alone.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy.optimize import minimize_scalar
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split

from newsdesk.pipeline.classify import MODEL_FILE, text_features
from newsdesk.pipeline.sections import HUFFPOST_TO_SECTION

ROOT = Path(__file__).resolve().parent.parent
SEED = 0
C = 3.0
MIN_DF = 2
# scikit-learn's English stop words, less the ones that name a subject ("bill", "interest",
# "fire", "show", "inc", "un"...). Headlines have few function words and articles many, so
# leaving them out keeps long texts from drifting towards whichever section liked "the".
TOPICAL = frozenset(
    [
        "bill",
        "fire",
        "interest",
        "system",
        "co",
        "inc",
        "ltd",
        "show",
        "un",
        "mill",
        "con",
        "cry",
        "serious",
        "side",
        "top",
        "front",
        "full",
        "move",
        "part",
        "found",
        "amount",
        "describe",
        "detail",
        "empty",
        "thick",
        "thin",
        "bottom",
        "back",
        "made",
        "call",
        "find",
        "fill",
        "sincere",
        "name",
    ]
)
STOPWORDS = frozenset(ENGLISH_STOP_WORDS - TOPICAL)


@dataclass(frozen=True)
class Split:
    train_texts: list[str]
    train_sections: list[str]
    test_texts: list[str]
    test_sections: list[str]


def datasets_dir(given: str | None = None) -> Path:
    return Path(given or os.environ.get("NEWSDESK_DATASETS") or ROOT.parent / "shared" / "datasets")


def load_huffpost(datasets: Path) -> tuple[list[str], list[str], list[int]]:
    """Headlines, mapped sections and original label ids, dropping unmapped categories."""
    folder = datasets / "huffpost_headlines_41class_bao2020"
    names = {}
    for line in (folder / "labels.tsv").read_text().splitlines()[1:]:
        label_id, name, *_ = line.split("\t")
        names[int(label_id)] = name
    texts, sections, labels = [], [], []
    with (folder / "huffpost.json").open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            section = HUFFPOST_TO_SECTION.get(names[row["label"]])
            if section is not None:
                texts.append(row["raw"])
                sections.append(section)
                labels.append(row["label"])
    return texts, sections, labels


def huffpost_split(datasets: Path) -> Split:
    """The fixed train / held-out split, stratified by the original 41 labels."""
    texts, sections, labels = load_huffpost(datasets)
    tr_x, te_x, tr_y, te_y = train_test_split(
        texts, sections, test_size=0.2, random_state=SEED, stratify=labels
    )
    return Split(tr_x, tr_y, te_x, te_y)


def features(text: str) -> list[str]:
    return text_features(text, STOPWORDS)


def fit(
    texts: Sequence[str], sections: Sequence[str]
) -> tuple[TfidfVectorizer, LogisticRegression]:
    vectorizer = TfidfVectorizer(analyzer=features, sublinear_tf=True, min_df=MIN_DF)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    model.fit(matrix, list(sections))
    return vectorizer, model


def fit_temperature(logits: np.ndarray, truth: np.ndarray) -> float:
    """The softmax temperature minimising negative log-likelihood on held-out rows."""

    def nll(t: float) -> float:
        z = logits / t
        z = z - z.max(axis=1, keepdims=True)
        log_p = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
        return float(-log_p[np.arange(len(truth)), truth].mean())

    return float(minimize_scalar(nll, bounds=(0.05, 20.0), method="bounded").x)


def train(split: Split) -> dict[str, np.ndarray]:
    """Arrays of the shipped model, trained on the training part of the split."""
    fit_x, val_x, fit_y, val_y = train_test_split(
        split.train_texts,
        split.train_sections,
        test_size=0.1,
        random_state=SEED,
        stratify=split.train_sections,
    )
    vectorizer, model = fit(fit_x, fit_y)
    classes = list(model.classes_)
    truth = np.array([classes.index(y) for y in val_y])
    temperature = fit_temperature(model.decision_function(vectorizer.transform(val_x)), truth)
    vectorizer, model = fit(split.train_texts, split.train_sections)
    words = vectorizer.get_feature_names_out()
    return {
        "sections": np.frombuffer("\n".join(model.classes_).encode(), dtype=np.uint8),
        "vocabulary": np.frombuffer("\n".join(words).encode(), dtype=np.uint8),
        "idf": vectorizer.idf_.astype(np.float16),
        "weights": model.coef_.T.astype(np.float16),
        "bias": model.intercept_.astype(np.float32),
        "temperature": np.array(temperature, dtype=np.float32),
        "stopwords": np.frombuffer("\n".join(sorted(STOPWORDS)).encode(), dtype=np.uint8),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--datasets", help="shared datasets folder")
    parser.add_argument("--out", default=str(ROOT / "src" / "newsdesk" / "data" / MODEL_FILE))
    args = parser.parse_args()
    arrays = train(huffpost_split(datasets_dir(args.datasets)))
    np.savez_compressed(args.out, **arrays)  # type: ignore[arg-type]
    size = Path(args.out).stat().st_size
    print(
        f"wrote {args.out}: {size / 1e6:.2f} MB, {arrays['weights'].shape[0]} features, "
        f"temperature {float(arrays['temperature']):.3f}"
    )


if __name__ == "__main__":
    main()
