"""Section classification: the shipped text model, combined with evidence from the source."""

from __future__ import annotations

import math
import re
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from importlib import resources
from itertools import chain, pairwise, repeat
from pathlib import Path

import numpy as np
import numpy.typing as npt

from newsdesk.pipeline.sections import (
    EVIDENCE_ONLY_SECTIONS,
    SECTION_NAMES,
    section_for_label,
    section_for_url,
)

MODEL_FILE = "section_model.npz"
# Mass the text model leaves to sections it cannot see (opinion), so evidence can raise them.
EVIDENCE_ONLY_MASS = 0.02
# A correction is a user's word, so it counts for several confident observations.
CORRECTION_WEIGHT = 5.0
# Pseudo-count of the uniform prior behind a source's own section distribution.
SECTION_PRIOR_STRENGTH = 10.0
# Beta(hits, misses) prior for how often each kind of evidence names the right section.
RELIABILITY_PRIOR: Mapping[str, tuple[float, float]] = {
    "declared": (2.0, 3.0),
    "category": (1.5, 3.5),
    "url": (2.0, 3.0),
}
MAX_RELIABILITY = 0.95
# A source's home country is known after this many articles, if enough are about one country.
HOME_MIN_ARTICLES = 5.0
HOME_MIN_SHARE = 0.25
# Share of the world/politics mass that moves to the side where the story happens.
PLACE_SHIFT = 0.9

_TOKEN = re.compile(r"[a-z0-9]+")

FloatArray = npt.NDArray[np.float32]


def words(text: str) -> list[str]:
    """Lower-cased words and numbers, in order."""
    return _TOKEN.findall(text.lower())


def content_tokens(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased words, stop words left out (so bigrams join the words around them)."""
    tokens = words(text)
    return [t for t in tokens if t not in stopwords] if stopwords else tokens


def text_features(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Word unigrams and bigrams: the model's features, in training and at run time."""
    tokens = content_tokens(text, stopwords)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


@dataclass(frozen=True, eq=False)
class SectionModel:
    """A linear model over TF-IDF unigrams and bigrams, with a calibration temperature."""

    sections: tuple[str, ...]
    vocabulary: Mapping[str, int]
    idf: FloatArray
    weights: FloatArray
    bias: FloatArray
    temperature: float
    stopwords: frozenset[str] = frozenset()

    def scores(self, title: str, summary: str = "", text: str = "") -> dict[str, float]:
        """Calibrated probabilities for every section, from the text alone."""
        return self.token_scores(words(f"{title}\n{summary}\n{text}"))

    def token_scores(self, all_words: list[str]) -> dict[str, float]:
        """`scores` of a text already split by `words` (so other stages can share the split)."""
        stop = self.stopwords
        tokens = [t for t in all_words if t not in stop] if stop else all_words
        # The features of `text_features`, looked up without building a Python list of them.
        features = chain(tokens, map(" ".join, pairwise(tokens)))
        ids = np.fromiter(map(self.vocabulary.get, features, repeat(-1)), dtype=np.int64)
        found = ids[ids >= 0]
        logits = self.bias.astype(np.float64)
        if found.size:
            index, tf = np.unique(found, return_counts=True)
            values = (1.0 + np.log(tf)) * self.idf[index]
            values /= np.sqrt(values @ values)
            logits = logits + values @ self.weights[index]
        logits = logits / self.temperature
        probs = np.exp(logits - logits.max())
        probs *= (1.0 - EVIDENCE_ONLY_MASS) / probs.sum()
        trained = dict(zip(self.sections, probs.tolist(), strict=True))
        blind = EVIDENCE_ONLY_MASS / max(1, len(EVIDENCE_ONLY_SECTIONS))
        return {name: trained.get(name, blind) for name in SECTION_NAMES}


def load_model(path: Path | None = None) -> SectionModel:
    """Load a model file written by training/train_sections.py (numpy arrays, no pickle)."""
    source = path or resources.files("newsdesk") / "data" / MODEL_FILE
    with source.open("rb") as handle, np.load(handle, allow_pickle=False) as data:
        words = bytes(data["vocabulary"]).decode("utf-8").split("\n")
        return SectionModel(
            sections=tuple(bytes(data["sections"]).decode("utf-8").split("\n")),
            vocabulary={word: i for i, word in enumerate(words)},
            idf=data["idf"].astype(np.float32),
            weights=data["weights"].astype(np.float32),
            bias=data["bias"].astype(np.float32),
            temperature=float(data["temperature"]),
            stopwords=frozenset(_lines(data, "stopwords")),
        )


def _lines(data: Mapping[str, npt.NDArray[np.uint8]], name: str) -> list[str]:
    """A newline-joined UTF-8 word list stored as bytes, or [] when the file has none."""
    if name not in data:
        return []
    text = bytes(data[name]).decode("utf-8")
    return text.split("\n") if text else []


_MODEL_LOCK = threading.Lock()


def default_model() -> SectionModel:
    """The model shipped in the package, loaded once per process even when threads race."""
    with _MODEL_LOCK:
        return _cached_model()


@lru_cache(maxsize=1)
def _cached_model() -> SectionModel:
    return load_model()


@dataclass(frozen=True)
class SourceEvidence:
    """What the source says about an article's section, before reading it."""

    declared: str = ""
    categories: tuple[str, ...] = ()
    url: str = ""

    def sections(self) -> dict[str, str]:
        """Each kind of evidence present, mapped to the section it names."""
        found: dict[str, str] = {}
        if self.declared and (declared := section_for_label(self.declared)):
            found["declared"] = declared
        named = [s for s in map(section_for_label, self.categories) if s]
        if named:
            found["category"] = Counter(named).most_common(1)[0][0]
        if self.url and (from_url := section_for_url(self.url)):
            found["url"] = from_url
        return found


@dataclass(frozen=True)
class SourceStats:
    """Per-source record of how often each kind of evidence was right, and confirmed sections."""

    hits: Mapping[str, float] = field(default_factory=dict)
    trials: Mapping[str, float] = field(default_factory=dict)
    sections: Mapping[str, float] = field(default_factory=dict)
    countries: Mapping[str, float] = field(default_factory=dict)  # each article's main country

    def home_country(self) -> str:
        """The country most of the source's articles are about, once that is clear; else ""."""
        total = sum(self.countries.values())
        if total < HOME_MIN_ARTICLES:
            return ""
        code = max(self.countries, key=lambda c: self.countries[c])
        return code if self.countries[code] >= HOME_MIN_SHARE * total else ""

    def reliability(self, kind: str) -> float:
        """Posterior mean probability that this kind of evidence names the right section."""
        a, b = RELIABILITY_PRIOR[kind]
        rate = (self.hits.get(kind, 0.0) + a) / (self.trials.get(kind, 0.0) + a + b)
        return min(rate, MAX_RELIABILITY)

    def as_dict(self) -> dict[str, dict[str, float]]:
        """JSON-ready form, as the store keeps it."""
        return {
            "hits": dict(self.hits),
            "trials": dict(self.trials),
            "sections": dict(self.sections),
            "countries": dict(self.countries),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Mapping[str, float]]) -> SourceStats:
        """The stats `as_dict` wrote; missing parts are empty."""
        return cls(
            hits={k: float(v) for k, v in data.get("hits", {}).items()},
            trials={k: float(v) for k, v in data.get("trials", {}).items()},
            sections={k: float(v) for k, v in data.get("sections", {}).items()},
            countries={k: float(v) for k, v in data.get("countries", {}).items()},
        )


def combine(
    text_scores: Mapping[str, float], evidence: SourceEvidence, stats: SourceStats
) -> dict[str, float]:
    """Bayes-combine text probabilities with source evidence, each kind as a noisy witness."""
    n = len(SECTION_NAMES)
    log_p = {s: math.log(max(text_scores.get(s, 0.0), 1e-9)) for s in SECTION_NAMES}
    for kind, named in evidence.sections().items():
        r = max(stats.reliability(kind), 1.0 / n)
        miss = math.log((1.0 - r) / (n - 1))
        for s in SECTION_NAMES:
            log_p[s] += math.log(r) if s == named else miss
    confirmed = sum(stats.sections.values())
    if confirmed:
        uniform = SECTION_PRIOR_STRENGTH / n
        for s in SECTION_NAMES:
            log_p[s] += math.log((stats.sections.get(s, 0.0) + uniform) / (confirmed + uniform * n))
            log_p[s] -= math.log(1.0 / n)
    top = max(log_p.values())
    exp = {s: math.exp(v - top) for s, v in log_p.items()}
    total = sum(exp.values())
    return {s: v / total for s, v in exp.items()}


def place_government(
    scores: Mapping[str, float], mentions: Mapping[str, int], home: str
) -> dict[str, float]:
    """World or politics decided by where a government story happens, seen from the source.

    "Politics" is domestic and "world" is foreign, so the split depends on the reader's
    country: the text says a story is about government, the places say whose.
    """
    moved = dict(scores)
    if not home or best_section(scores) not in ("world", "politics"):
        return moved
    domestic = mentions.get(home, 0)
    foreign = sum(n for code, n in mentions.items() if code != home)
    to, away = ("world", "politics") if foreign > domestic else ("politics", "world")
    moved[to] += PLACE_SHIFT * moved[away]
    moved[away] *= 1.0 - PLACE_SHIFT
    return moved


def note_country(stats: SourceStats, country: str) -> SourceStats:
    """Stats after one more article mainly about `country` (an ISO code)."""
    countries = dict(stats.countries)
    countries[country] = countries.get(country, 0.0) + 1.0
    return replace(stats, countries=countries)


def best_section(scores: Mapping[str, float]) -> str:
    return max(scores, key=lambda s: scores[s])


def observe(
    stats: SourceStats, evidence: SourceEvidence, section: str, weight: float = 1.0
) -> SourceStats:
    """Stats updated with one article whose section is known (confident text, or a user)."""
    hits, trials = dict(stats.hits), dict(stats.trials)
    for kind, named in evidence.sections().items():
        trials[kind] = trials.get(kind, 0.0) + weight
        if named == section:
            hits[kind] = hits.get(kind, 0.0) + weight
    return replace(stats, hits=hits, trials=trials)


def apply_correction(stats: SourceStats, evidence: SourceEvidence, section: str) -> SourceStats:
    """Stats after a user set an article of this source to `section`."""
    updated = observe(stats, evidence, section, CORRECTION_WEIGHT)
    sections = dict(updated.sections)
    sections[section] = sections.get(section, 0.0) + 1.0
    return replace(updated, sections=sections)


def classify_section(
    model: SectionModel,
    title: str,
    summary: str = "",
    text: str = "",
    evidence: SourceEvidence | None = None,
    stats: SourceStats | None = None,
) -> tuple[str, dict[str, float]]:
    """The chosen section and the scores of every section, text and source combined."""
    scores = model.scores(title, summary, text)
    if evidence is not None:
        scores = combine(scores, evidence, stats or SourceStats())
    return best_section(scores), scores
