import json
import re
import subprocess
import sys

import pytest

from newsdesk.cluster_batch import cluster_lines

BODY = "\n".join(
    f"Paragraph {i}: the central bank raised interest rates by half a point to fight inflation, "
    "its governor told reporters in the capital."
    for i in range(10)
)


def line(
    id_: object, title: str, source: str, published: str, text: str = "", url: str = ""
) -> str:
    return json.dumps(
        {
            "id": id_,
            "title": title,
            "text": text,
            "url": url or f"https://{source}.example/{id_}",
            "source": source,
            "published": published,
        }
    )


def test_lines_come_back_with_story_duplicate_and_related() -> None:
    lines = [
        line(
            1,
            "Central bank raises interest rates to fight inflation",
            "wire",
            "2024-03-01T10:00:00Z",
            BODY,
        ),
        line(
            2,
            "Central bank raises interest rates to fight inflation",
            "paper",
            "2024-03-01T11:00:00Z",
            BODY,
        ),
        line(
            3,
            "Central bank rate rise: what it means for mortgages",
            "daily",
            "2024-03-01T12:00:00Z",
        ),
        line(
            4, "Striker scores twice as United win the cup final", "sport", "2024-03-01T13:00:00Z"
        ),
    ]
    out = [json.loads(x) for x in cluster_lines(lines)]
    assert [o["id"] for o in out] == [1, 2, 3, 4]
    assert out[0]["story"] == 1 and out[0]["duplicate_of"] is None
    assert out[1]["story"] == 1 and out[1]["duplicate_of"] == 1
    assert out[2]["story"] == 1 and out[2]["duplicate_of"] is None
    assert out[3]["story"] == 4
    assert all(o["story"] not in o["related"] for o in out)


def test_same_url_twice_is_one_article() -> None:
    lines = [
        line("a", "Rates up", "wire", "2024-03-01T10:00:00Z", url="https://wire.example/rates"),
        line(
            "b",
            "Rates up (updated)",
            "wire",
            "2024-03-01T10:30:00Z",
            url="http://m.wire.example/rates/?utm_source=x",
        ),
    ]
    out = [json.loads(x) for x in cluster_lines(lines)]
    assert out[1]["duplicate_of"] == "a"


def test_streaming_writes_each_line_as_it_is_placed() -> None:
    lines = iter(
        [
            line(1, "Rates up", "wire", "2024-03-01T10:00:00Z"),
            "",
            line(2, "Cup final", "s", "2024-03-01T11:00:00Z"),
        ]
    )
    first = next(cluster_lines(lines, stream=True))
    assert json.loads(first)["story"] == 1


GOOD = '{"id": 1, "title": "x", "published": "2024-03-01T12:00:00Z"}'


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ("{not json", "line 2: not JSON"),
        ("[1, 2]", "line 2: not a JSON object"),
        ('{"title": "no id"}', "line 2: every line needs an id"),
        ('{"id": 1, "title": "again"}', "line 2: id 1 is already line 1's"),
        ('{"id": "1", "title": "same id as text"}', "line 2: id '1' is already line 1's"),
        ('{"id": 2, "published": [2024]}', "line 2: not a time"),
        ('{"id": 2, "published": "yesterday"}', "line 2: not a time"),
        ('{"id": 2, "published": 1e400}', "line 2: 1e400 is too large"),
        ('{"id": 2, "published": NaN}', "line 2: NaN is not a JSON number"),
        ('{"id": {"a": 1}}', "line 2: an id is a string or a whole number"),
    ],
)
def test_bad_lines_name_their_line_number_and_what_is_wrong(bad: str, message: str) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        list(cluster_lines([GOOD, bad]))


def test_rfc_2822_dates_a_byte_order_mark_and_an_undated_first_line() -> None:
    lines = [
        "\ufeff" + '{"id": "a", "title": "Quake hits Chile", "published": null}',
        '{"id": "b", "title": "Market rally", "published": "Tue, 05 Mar 2024 12:00:00 GMT"}',
    ]
    out = [json.loads(x) for x in cluster_lines(lines)]
    assert [o["id"] for o in out] == ["a", "b"]
    assert out[1]["published"] == "Tue, 05 Mar 2024 12:00:00 GMT"


def test_batch_command_and_live_desk_build_the_same_engine() -> None:
    from newsdesk.pipeline.cluster import StoryEngine
    from newsdesk.stories import new_engine

    live = new_engine()
    assert live.settings == StoryEngine().settings
    assert live.duplicates.settings == StoryEngine().duplicates.settings


def _command(name: str, data: bytes) -> subprocess.CompletedProcess[bytes]:
    """The real command in a process of its own, as a shell pipeline runs it."""
    command = [sys.executable, "-m", "newsdesk.cli", name]
    return subprocess.run(command, input=data, capture_output=True, timeout=60, check=False)


def test_a_line_that_is_no_utf8_is_named_and_a_lone_surrogate_comes_back_escaped() -> None:
    # Both ended the run with a bare codec error (the surrogate after the first line was out).
    good = b'{"id": 1, "title": "Quake hits Chile"}\n'
    broken = _command("cluster", good + b'{"id": 2, "title": "caf\xe9"}\n')
    assert broken.returncode == 1
    assert b"line 2: not UTF-8 text (byte 24)" in broken.stderr
    fine = _command("cluster", good + '{"id": 2, "title": "Séisme \\ud800"}\n'.encode())
    assert fine.returncode == 0, fine.stderr
    out = fine.stdout.decode("utf-8").splitlines()
    assert [json.loads(x)["title"] for x in out] == ["Quake hits Chile", "Séisme \ud800"]
    assert "\\ud800" in out[1] and "\\u00e9" in out[1]  # escaped as it came, all of the line
    assert out[0].startswith('{"id": 1, "title": "Quake hits Chile", "story": 1,')
