"""The shipped section model, source evidence and corrections."""

from __future__ import annotations

import time

import pytest

from newsdesk.pipeline.classify import (
    SourceEvidence,
    SourceStats,
    apply_correction,
    classify_section,
    load_model,
)
from newsdesk.pipeline.sections import HUFFPOST_DROPPED, HUFFPOST_TO_SECTION, SECTION_NAMES


@pytest.fixture(scope="module")
def model():  # type: ignore[no-untyped-def]
    return load_model()


def test_model_loads_offline_and_fast() -> None:
    started = time.perf_counter()
    loaded = load_model()
    assert time.perf_counter() - started < 1.0
    assert set(loaded.sections) <= set(SECTION_NAMES)


def test_every_huffpost_category_is_mapped_or_dropped() -> None:
    assert len(HUFFPOST_TO_SECTION) + len(HUFFPOST_DROPPED) == 41
    assert set(HUFFPOST_TO_SECTION.values()) <= set(SECTION_NAMES)


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("Apple unveils new iPhone with faster chip and better camera", "technology"),
        ("Police arrest suspect in fatal shooting outside nightclub", "crime"),
        ("Scientists discover water on a distant exoplanet", "science"),
        ("Stock markets fall as oil prices rise and investors sell shares", "business"),
        ("Quarterback throws four touchdowns as team wins the Super Bowl", "sports"),
    ],
)
def test_clear_examples(model, title: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    section, scores = classify_section(model, title)
    assert section == expected
    assert set(scores) == set(SECTION_NAMES)
    assert abs(sum(scores.values()) - 1.0) < 1e-6


BORDERLINE = "Live updates"


def test_source_evidence_decides_a_borderline_case(model) -> None:  # type: ignore[no-untyped-def]
    plain, _ = classify_section(model, BORDERLINE)
    for declared in ("sports", "technology"):
        if declared == plain:
            continue
        evidence = SourceEvidence(declared=declared, url=f"https://news.example/{declared}/a")
        section, _ = classify_section(model, BORDERLINE, evidence=evidence)
        assert section == declared


def test_evidence_does_not_override_a_clear_text(model) -> None:  # type: ignore[no-untyped-def]
    evidence = SourceEvidence(declared="business")
    section, _ = classify_section(
        model, "Quarterback throws four touchdowns as team wins the Super Bowl", evidence=evidence
    )
    assert section == "sports"


def test_correction_changes_later_predictions(model) -> None:  # type: ignore[no-untyped-def]
    evidence = SourceEvidence(declared="technology")
    title = "Company posts record profit as sales of its phones jump"
    stats = SourceStats()
    before, _ = classify_section(model, title, evidence=evidence, stats=stats)
    for _ in range(5):
        stats = apply_correction(stats, evidence, "business")
    after, scores = classify_section(model, title, evidence=evidence, stats=stats)
    assert stats.reliability("declared") < SourceStats().reliability("declared")
    assert after == "business"
    assert before != after or scores["business"] > 0.5


def test_home_country_splits_government_stories_into_politics_and_world() -> None:
    from newsdesk.pipeline.classify import SourceStats, place_government
    from newsdesk.pipeline.understand import understand

    assert SourceStats(countries={"GB": 4.0}).home_country() == ""  # too few articles yet
    british = SourceStats(countries={"GB": 8.0, "US": 3.0, "FR": 1.0})
    assert british.home_country() == "GB"
    scores = {"world": 0.6, "politics": 0.3, "business": 0.1}
    assert place_government(scores, {}, "GB")["politics"] > 0.8  # nothing foreign named
    assert place_government(scores, {"FR": 3, "GB": 1}, "GB")["world"] > 0.8
    assert place_government({"world": 0.1, "business": 0.9, "politics": 0.0}, {}, "GB") == {
        "world": 0.1,
        "business": 0.9,
        "politics": 0.0,
    }
    title = "Minister defends plans for new election spending rules"
    text = "The government said MPs would vote on the bill next week. The opposition objected."
    assert understand(title, text).section == "world"  # HuffPost's US-centric view
    assert understand(title, text, stats=british).section == "politics"
    abroad = f"{text} France and Germany said the vote in Paris was fair."
    assert understand(title, abroad, stats=british).section == "world"


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Café RÉSUMÉ: U.S.-led 3.5% rise, naïve ﬁnal",
        "İstanbul\u00a0KELVIN \u212a\tdon’t_stop—now",
        "\ud800 lone surrogate, emoji 🎉 and ß",
    ],
)
def test_words_are_the_ascii_letter_and_digit_runs_of_the_lowered_text(text: str) -> None:
    import re

    from newsdesk.pipeline.classify import words

    assert words(text) == re.findall(r"[a-z0-9]+", text.lower())


def test_feature_index_finds_the_vocabulary_features_of_a_text() -> None:
    import numpy as np

    from newsdesk.pipeline.classify import FeatureIndex, text_features, words

    vocabulary = {"climate": 0, "climate change": 1, "zebra crossing": 2, "change": 3}
    index = FeatureIndex.build(vocabulary, frozenset({"the", "a"}))
    text = "Zebra the crossing: climate change, a climate change; unknown climate"
    expected = sorted(
        vocabulary[f] for f in text_features(text, frozenset({"the", "a"})) if f in vocabulary
    )
    assert expected == [0, 0, 0, 1, 1, 2, 3, 3]
    assert sorted(index.feature_ids(words(text)).tolist()) == expected
    assert index.feature_ids([]).size == 0
    assert index.feature_ids(["the"]).size == 0
    assert np.array_equal(index.feature_ids(["zebra", "crossing"]), [2])


def test_shipped_feature_index_matches_the_training_features(model) -> None:  # type: ignore[no-untyped-def]
    from newsdesk.pipeline.classify import text_features, words

    for text in [
        "Stock markets fall as oil prices rise and investors sell shares",
        "The prime minister said the interest rates would rise, and interest rates rose.",
        "Quarterback throws four touchdowns as team wins the Super Bowl at the Super Bowl",
        "zzqx unknownword the of and",
    ]:
        features = text_features(text, model.stopwords)
        expected = sorted(model.vocabulary[f] for f in features if f in model.vocabulary)
        assert sorted(model.index.feature_ids(words(text)).tolist()) == expected
