"""Topics: people and organisations under one name each."""

from __future__ import annotations

from newsdesk.pipeline.topics import canonical_names, find_topics, topic_key

TEXT = (
    "Vladimir Putin met Chancellor Olaf Scholz in Moscow on Tuesday. President Putin said the "
    "talks were useful. Putin added that gas supplies would continue. NATO said the meeting "
    "changed nothing, and NATO will meet again. Scholz flew home on Wednesday."
)


def test_putin_is_one_topic() -> None:
    topics = find_topics("Putin meets Scholz", TEXT)
    keys = [t.key for t in topics]
    assert "vladimir putin" in keys
    assert "putin" not in keys and "president putin" not in keys
    putin = next(t for t in topics if t.key == "vladimir putin")
    assert putin.kind == "person" and putin.mentions == 4


def test_places_days_and_one_off_words_are_not_topics() -> None:
    keys = {t.key for t in find_topics("Putin meets Scholz", TEXT)}
    assert {"olaf scholz", "nato"} <= keys
    assert not keys & {"moscow", "tuesday", "wednesday", "president"}


def test_topic_key_and_cross_article_aliases() -> None:
    assert topic_key("Emmanuel  Macron.") == "emmanuel macron"
    assert topic_key("Erdoğan") == "erdogan"
    counts = {"vladimir putin": 10, "putin": 4, "george bush": 2, "jeb bush": 2, "bush": 3}
    assert canonical_names(counts) == {"putin": "vladimir putin"}
