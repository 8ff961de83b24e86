"""The JSON Lines batch contract, through the same understand() the live pipeline uses."""

from __future__ import annotations

import json

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
