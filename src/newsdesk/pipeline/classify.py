"""Section classification: the shipped text model, combined with evidence from the source."""

from __future__ import annotations

import math
import threading
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property, lru_cache
from importlib import resources
from itertools import pairwise, repeat
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

# Every byte but a-z and 0-9 becomes a space. Non-ASCII characters, encoded as "?", do too.
_WORD_BYTES = frozenset(b"abcdefghijklmnopqrstuvwxyz0123456789")
_SPACE_OUT = bytes(b if b in _WORD_BYTES else 0x20 for b in range(256))

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def words(text: str) -> list[str]:
    """Lower-cased words and numbers, in order: the runs of [a-z0-9] in the lower-cased text.

    Found with a byte table and a split, about twice as fast as the regular expression.
    """
    plain = text.lower().encode("ascii", "replace").translate(_SPACE_OUT)
    return plain.decode("ascii").split()


def content_tokens(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased words, stop words left out (so bigrams join the words around them)."""
    tokens = words(text)
    return [t for t in tokens if t not in stopwords] if stopwords else tokens


def text_features(text: str, stopwords: frozenset[str] = frozenset()) -> list[str]:
    """Word unigrams and bigrams: the model's features, in training and at run time."""
    tokens = content_tokens(text, stopwords)
    return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]


@dataclass(frozen=True, eq=False)
class FeatureIndex:
    """The vocabulary as integer arrays, so a text's features are found without building them.

    Every word of a feature has an id (`unknown` for the rest, `stop` for stop words); a
    unigram is found by its word's id, a bigram by the key `first * (unknown + 1) + second`.
    A word the vocabulary lacks is in no feature, so all such words can share one id.
    """

    word_ids: Mapping[str, int]
    unknown: int
    stop: int
    unigrams: IntArray  # word id -> feature id, or -1 (also for `unknown`)
    bigram_keys: IntArray  # sorted, ending in a sentinel no key reaches
    bigram_features: IntArray  # feature id of each key, -1 for the sentinel
    opens_bigram: BoolArray  # word id -> whether some bigram starts with the word
    closes_bigram: BoolArray  # word id -> whether some bigram ends with it

    @classmethod
    def build(cls, vocabulary: Mapping[str, int], stopwords: frozenset[str]) -> FeatureIndex:
        word_ids: dict[str, int] = {}
        for feature in vocabulary:
            for word in feature.split(" "):
                word_ids.setdefault(word, len(word_ids))
        unknown = len(word_ids)
        unigrams = np.full(unknown + 1, -1, dtype=np.int64)
        opens, closes = np.zeros(unknown + 1, dtype=bool), np.zeros(unknown + 1, dtype=bool)
        keys, features = [], []
        for feature, i in vocabulary.items():
            first, _, second = feature.partition(" ")
            if second:
                keys.append(word_ids[first] * (unknown + 1) + word_ids[second])
                features.append(i)
                opens[word_ids[first]] = closes[word_ids[second]] = True
            else:
                unigrams[word_ids[first]] = i
        order = np.argsort(np.asarray(keys, dtype=np.int64), kind="stable")
        for word in stopwords:  # dropped before features are made, so in none
            word_ids[word] = unknown + 1
        return cls(
            word_ids=word_ids,
            unknown=unknown,
            stop=unknown + 1,
            unigrams=unigrams,
            bigram_keys=np.append(np.asarray(keys, dtype=np.int64)[order], (unknown + 1) ** 2),
            bigram_features=np.append(np.asarray(features, dtype=np.int64)[order], -1),
            opens_bigram=opens,
            closes_bigram=closes,
        )

    def feature_ids(self, all_words: list[str]) -> IntArray:
        """Ids of the `text_features` of these words that the vocabulary has, in no set order."""
        ids = np.fromiter(
            map(self.word_ids.get, all_words, repeat(self.unknown)),
            dtype=np.int64,
            count=len(all_words),
        )
        ids = ids[ids != self.stop]
        first, second = ids[:-1], ids[1:]
        maybe = self.opens_bigram[first] & self.closes_bigram[second]  # most pairs are not
        keys = first[maybe] * (self.unknown + 1) + second[maybe]
        slots = np.searchsorted(self.bigram_keys, keys)
        bigrams = self.bigram_features[slots[self.bigram_keys[slots] == keys]]
        found = np.concatenate((self.unigrams[ids], bigrams))
        return found[found >= 0]


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

    @cached_property
    def index(self) -> FeatureIndex:
        """The vocabulary as arrays, built on first use."""
        return FeatureIndex.build(self.vocabulary, self.stopwords)

    @cached_property
    def _bias64(self) -> npt.NDArray[np.float64]:
        return self.bias.astype(np.float64)

    @cached_property
    def _section_slots(self) -> tuple[int, ...]:
        """Where each of SECTION_NAMES sits in the model's output, -1 for evidence-only ones."""
        return tuple(self.sections.index(s) if s in self.sections else -1 for s in SECTION_NAMES)

    @cached_property
    def blind(self) -> dict[str, float]:
        """The scores of a text with no word the model knows (its prior): no evidence at all."""
        return self.token_scores([])

    def scores(self, title: str, summary: str = "", text: str = "") -> dict[str, float]:
        """Calibrated probabilities for every section, from the text alone."""
        return self.token_scores(words(f"{title}\n{summary}\n{text}"))

    def token_scores(self, all_words: list[str]) -> dict[str, float]:
        """`scores` of a text already split by `words` (so other stages can share the split)."""
        found = self.index.feature_ids(all_words)
        logits = self._bias64
        if found.size:
            index, tf = np.unique(found, return_counts=True)
            values = (1.0 + np.log(tf)) * self.idf[index]
            values /= np.sqrt(values @ values)
            logits = logits + values @ self.weights[index]
        logits = logits / self.temperature
        probs = np.exp(logits - logits.max())
        probs *= (1.0 - EVIDENCE_ONLY_MASS) / probs.sum()
        trained = probs.tolist()
        blind = EVIDENCE_ONLY_MASS / max(1, len(EVIDENCE_ONLY_SECTIONS))
        return {
            name: trained[slot] if slot >= 0 else blind
            for name, slot in zip(SECTION_NAMES, self._section_slots, strict=True)
        }


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
