"""Topics: people and organisations under one name each."""

from __future__ import annotations

from newsdesk.pipeline.topics import canonical_names, find_topics, key_phrases, topic_key

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
    # Hyphens are spaces: one topic for both spellings, and its URL slug names it alone.
    assert topic_key("COVID-19") == topic_key("covid 19") == "covid 19"
    assert topic_key("Mohammad Mir-Mohammadi") == "mohammad mir mohammadi"
    counts = {"vladimir putin": 10, "putin": 4, "george bush": 2, "jeb bush": 2, "bush": 3}
    assert canonical_names(counts) == {"putin": "vladimir putin"}


def test_key_phrases_most_frequent_first_ties_in_first_seen_order() -> None:
    from newsdesk.pipeline.topics import key_phrases

    text = " ".join(
        ["climate change and carbon tax"] * 3 + ["solar power"] * 3 + ["green deal"] * 4
    )
    assert key_phrases(text) == [("green deal", 4), ("climate change", 3), ("carbon tax", 3)]
    assert key_phrases("carbon tax, carbon tax") == []  # twice is not enough


def test_topics_are_the_same_with_the_title_spans_given() -> None:
    from newsdesk.pipeline.places import name_spans

    title = "Putin meets Scholz"
    given = find_topics(title, TEXT, title_spans=list(name_spans(title)))
    assert given == find_topics(title, TEXT)


def test_sentence_openers_generic_words_and_numbers_are_not_topics() -> None:
    text = (
        "According to officials, the fire started at 10:00 UTC. According to police, two died.\n"
        "So far nobody is held. Well, the mayor said little. The Court will sit on Monday.\n"
        "During COVID the Court met online. Microsoft said Microsoft would help.\n"
        "NATO and NATO agreed.\n"
        "The Labour Party and the Labour Party's leader spoke. It cost 365 seats, 365 seats.\n"
        "He won 365 seats. Police said the Police would stay. Regarding Ashodaya, nothing."
    )
    keys = {t.key for t in find_topics("Fire kills two in Lisbon", text)}
    assert {"microsoft", "nato", "labour party"} <= keys
    assert not keys & {"according", "so", "well", "utc", "court", "police", "365 seats"}
    assert not keys & {"during covid", "regarding ashodaya"}


def test_no_name_starts_inside_a_word() -> None:
    text = "Fans bought the iPhone on eBay. The iPhone sold out on eBay, and eBay said so at 4GX."
    keys = {t.key for t in find_topics("Fans flock to buy the iPhone", text)}
    assert not keys & {"phone", "bay", "gx"}


def test_descriptors_and_places_before_a_name_that_opens_a_sentence_are_dropped() -> None:
    text = (
        "Rita Moreno, the dancer, retired on Monday. Moreno made twelve films. Moreno said "
        "she was tired.\nKenya Daniel Moi spoke. Moi praised her."
    )
    topics = find_topics("Actress Rita Moreno retires from films", text)
    names = {t.name for t in topics}
    assert "Rita Moreno" in names and "Actress Rita Moreno" not in names
    assert not any(t.name.startswith("Kenya") for t in topics)
    rita = next(t for t in topics if t.name == "Rita Moreno")
    assert rita.kind == "person" and rita.mentions == 4
    keys = {t.key for t in find_topics("Ailing Fizzco vows turnaround", "Fizzco said so. Fizzco.")}
    assert keys == {"fizzco"}


def test_connectors_contractions_and_nationalities_are_not_topics() -> None:
    text = (
        "The Speaker of the House spoke. The Speaker of the House sat. It's the ONS again, "
        '"I\'m fine," she said. "I\'m sure." I\'ve said so. Iranian MPs voted. Iranian MPs '
        "left. Thai and Thai and Thai officials met European and European and European ones."
    )
    keys = {t.key for t in find_topics("Votes", text)}
    assert not keys & {"of the house", "the ons", "i'm", "i've", "iranian mps", "thai"}
    assert "european" not in keys


def test_key_phrases_keep_whole_words_and_skip_names_offices_and_credits() -> None:
    from newsdesk.pipeline.places import name_spans

    text = " ".join(
        ["Their e-mail scam was in Łódź, the prime minister told reporters."] * 3
        + ["Image: Jo Bloggs/Flickr. It was New Delhi, then Bill de Niro."] * 3
    )
    phrases = dict(key_phrases(text, name_spans(text)))
    assert phrases == {"e-mail scam": 3}
    assert key_phrases("Gdańsk shipyard, " * 3) == [("gdańsk shipyard", 3)]
