"""The JSON Lines batch contract, through the same understand() the live pipeline uses."""

from __future__ import annotations

import json
import subprocess
import sys

from newsdesk.classify_batch import classify_lines
from newsdesk.pipeline.sections import SECTION_NAMES
from newsdesk.pipeline.understand import understand


def test_each_line_comes_back_with_what_the_pipeline_stores() -> None:
    record = {
        "title": "Quarterback throws four touchdowns in Super Bowl win",
        "text": "The Kansas City Chiefs beat the Eagles in Las Vegas. Coach Andy Reid praised "
        "Patrick Mahomes. Mahomes said the team played well.",
        "url": "https://news.example/sport/chiefs",
        "source": "example",
        "feed_categories": ["NFL"],
    }
    lines = ["", json.dumps(record), "not json", json.dumps({"text": "no title"})]
    out = [json.loads(line) for line in classify_lines(lines)]
    assert len(out) == 3
    first = out[0]
    assert first["title"] == record["title"] and first["source"] == "example"
    assert first["section"] == "sports"
    assert set(first["section_scores"]) == set(SECTION_NAMES)
    assert any(p["country_code"] == "US" for p in first["places"])
    assert "patrick mahomes" in {t["key"] for t in first["topics"]}
    live = understand(
        record["title"], record["text"], url=record["url"], feed_categories=["NFL"]
    ).as_json()
    assert {k: first[k] for k in live} == live
    assert out[1]["line"] == 3 and "error" in out[1]
    assert out[2]["line"] == 4 and "error" in out[2]


def test_declared_section_applies_to_every_line() -> None:
    line = json.dumps({"title": "Columnist: why the council got it wrong again"})
    (out,) = classify_lines([line], section="Opinion")
    assert json.loads(out)["section_scores"]["opinion"] > 0.02


def test_lines_of_one_source_learn_its_home_country() -> None:
    home = {"title": "Britain", "text": "Voters across Britain and London went to the polls."}
    story = {
        "title": "Minister defends plans for new election spending rules",
        "text": "The government said MPs would vote on the bill next week.",
    }
    lines = [json.dumps({**home, "source": "uk"})] * 6 + [json.dumps({**story, "source": "uk"})]
    *_, last = (json.loads(line) for line in classify_lines(lines))
    (alone,) = (json.loads(line) for line in classify_lines([json.dumps(story)]))
    assert (alone["section"], last["section"]) == ("world", "politics")


def test_command_reads_a_file_and_writes_json_lines(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from click.testing import CliRunner

    from newsdesk.cli import main

    path = tmp_path / "in.jsonl"
    path.write_text(json.dumps({"title": "Chelsea beat Arsenal in the Premier League"}) + "\n")
    result = CliRunner().invoke(main, ["classify", str(path)])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    assert out["section"] == "sports" and set(out["section_scores"]) == set(SECTION_NAMES)


def test_a_bad_line_gets_its_error_and_the_run_carries_on() -> None:
    # A byte that is no UTF-8, or a lone surrogate escape, used to end the whole run.
    lines = [
        b'{"title": "Ceasefire talks resume in Cairo"}\n',
        b'{"title": "caf\xe9 owners protest"}\n',
        b'{"title": "Half a pair \\ud800 in Paris"}\n',
        '{"title": "Séisme au Japon"}\n'.encode(),
    ]
    command = [sys.executable, "-m", "newsdesk.cli", "classify"]
    done = subprocess.run(command, input=b"".join(lines), capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    out = [json.loads(x) for x in done.stdout.decode("utf-8").splitlines()]
    assert out[1] == {"line": 2, "error": "not UTF-8 text (byte 15)"}
    assert out[2]["title"] == "Half a pair \ud800 in Paris" and out[2]["section"]
    assert [o.get("title") for o in (out[0], out[3])] == [
        "Ceasefire talks resume in Cairo",
        "Séisme au Japon",
    ]


def test_text_the_model_knows_no_word_of_gets_no_section_unless_its_source_gives_one() -> None:
    # Russian and Chinese articles all came out as "lifestyle": the model's prior, not a guess.
    russian = {"title": "Президент провёл переговоры", "text": "Стороны обсудили торговлю."}
    chinese = {"title": "秘鲁南部发生强烈地震", "text": "震中位于阿雷基帕以南约60公里。"}
    for record in (russian, chinese, {"title": "2024"}):
        out = json.loads(next(classify_lines([json.dumps(record)])))
        assert out["section"] == "", out
        assert set(out["section_scores"]) == set(SECTION_NAMES)
    declared = json.loads(next(classify_lines([json.dumps(russian)], section="World")))
    assert declared["section"] == "world"
    english = json.loads(next(classify_lines([json.dumps({"title": "Ceasefire talks in Cairo"})])))
    assert english["section"] in SECTION_NAMES


def test_an_article_in_another_language_gets_its_section_from_its_source_only() -> None:
    # A French or German article was filed by the English model's guesses at its words.
    french = {"title": "Le gouvernement présente la réforme des retraites", "language": "fr-FR"}
    alone = json.loads(next(classify_lines([json.dumps(french)])))
    assert alone["section"] == ""
    assert (
        json.loads(next(classify_lines([json.dumps(french)], section="Politics")))["section"]
        == "politics"
    )
    english = {**french, "title": "The government unveils its pension reform", "language": "en"}
    assert json.loads(next(classify_lines([json.dumps(english)])))["section"] in SECTION_NAMES
