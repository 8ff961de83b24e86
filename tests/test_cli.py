"""The CLI as a user runs it: a real store file, a real local server."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from fixture_server import FixtureServer
from newsdesk.cli import main
from sitegen import publish_site


@pytest.fixture
def run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    monkeypatch.setenv("NEWSDESK_DATABASE_URL", f"sqlite:///{tmp_path}/cli.db")
    monkeypatch.setenv("NEWSDESK_ALLOW_PRIVATE_NETWORKS", "true")
    monkeypatch.setenv("NEWSDESK_TOTAL_TIMEOUT", "5")
    runner = CliRunner()

    def invoke(*args: str, ok: bool = True) -> str:
        result = runner.invoke(main, list(args), catch_exceptions=False)
        assert (result.exit_code == 0) is ok, result.output
        return result.output

    return invoke


def test_add_refresh_list_articles(run, http_server: FixtureServer) -> None:  # type: ignore[no-untyped-def]
    feeds, articles = publish_site(http_server, feeds=2, per_feed=3)
    out = run("sources", "add", feeds[0], "--section", "nonsense", ok=False)
    assert "'nonsense' is not a section" in out
    run("sources", "add", feeds[0], "--section", "World")
    run("sources", "add", feeds[1])
    run("sources", "add", feeds[1])  # idempotent
    listed = json.loads(run("sources", "list", "--json"))
    assert [s["url"] for s in listed] == feeds
    assert listed[0]["section"] == "world"

    assert "\tnever fetched\tnext due 20" in run("sources", "list")
    assert "2 sources refreshed, 6 new articles, 0 failed" in run("refresh")
    text = run("sources", "list").splitlines()
    first = json.loads(run("sources", "list", "--json"))[0]
    due = datetime.fromisoformat(str(first["next_due_at"]))
    assert text[0].endswith(f"\t200\tnext due {due:%Y-%m-%d %H:%M} UTC"), text[0]
    lines = run("articles", "--json", "--limit", "10").splitlines()
    assert len(lines) == 6
    assert {json.loads(line)["title"] for line in lines} == {a.title for a in articles}
    assert "0 new articles" in run("refresh", "--source", str(listed[0]["id"]))
    assert "no source with id 999" in run("refresh", "--source", "999", ok=False)

    run("sources", "remove", str(listed[1]["id"]))
    assert len(run("articles", "--json").splitlines()) == 3
    assert "no source with id 999" in run("sources", "remove", "999", ok=False)


def test_refresh_exits_1_when_a_source_failed(run, http_server: FixtureServer) -> None:  # type: ignore[no-untyped-def]
    feeds, _ = publish_site(http_server, feeds=1, per_feed=2)
    run("sources", "add", feeds[0])
    gone = http_server.route("/gone.xml", "<rss version='2.0'><channel/></rss>")
    run("sources", "add", gone)
    http_server.route("/gone.xml", "gone", status=410)
    out = run("refresh", ok=False)
    assert "2 sources refreshed, 2 new articles, 1 failed." in out
    assert "HTTP 410" in out


def test_bad_url_gets_a_clear_error_and_nothing_is_added(  # type: ignore[no-untyped-def]
    run, http_server: FixtureServer
) -> None:
    page = http_server.route(
        "/plain", "<html><body>no feeds here</body></html>", content_type="text/html"
    )
    out = run("sources", "add", page, ok=False)
    assert "neither a feed nor a page that links to one" in out
    assert "not an http(s) URL" in run("sources", "add", "ftp://example.com/x", ok=False)
    assert json.loads(run("sources", "list", "--json")) == []


def test_opml_round_trip(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    opml = tmp_path / "in.opml"
    opml.write_text("""<?xml version="1.0"?><opml version="2.0"><head><title>t</title></head><body>
<outline text="Sport"><outline text="Scores" type="rss" xmlUrl="https://sport.example/rss"/></outline>
<outline text="Tech news"><outline text="Gadgets" type="rss" xmlUrl="https://tech.example/feed"/>
</outline><outline text="Loose" type="rss" xmlUrl="https://loose.example/atom"/></body></opml>""")
    assert "imported 3 new sources" in run("opml", "import", str(opml))
    again = run("opml", "import", str(opml))
    assert "imported 0 new sources (3 already followed)" in again
    listed = {s["url"]: s for s in json.loads(run("sources", "list", "--json"))}
    assert listed["https://sport.example/rss"]["section"] == "sports"
    assert listed["https://tech.example/feed"]["group"] == "Tech news"
    exported = tmp_path / "out.opml"
    run("opml", "export", "-o", str(exported))
    run("--database-url", f"sqlite:///{tmp_path}/second.db", "opml", "import", str(exported))
    second = json.loads(
        run("--database-url", f"sqlite:///{tmp_path}/second.db", "sources", "list", "--json")
    )
    assert {(s["url"], s["group"], s["title"]) for s in second} == {
        (s["url"], s["group"], s["title"]) for s in listed.values()
    }


def test_demo_ingests_the_corpus_and_a_second_run_keeps_one_set_of_feeds(run) -> None:  # type: ignore[no-untyped-def]
    first = run("demo", "--no-serve")
    assert "demo ingest: 293 new articles from 6 feeds" in first
    second = run("demo", "--no-serve")
    assert "293 articles stored" in second
    listed = json.loads(run("sources", "list", "--json"))
    assert len(listed) == 6 and {s["group"] for s in listed} == {"Wikinews demo"}
    assert all(s["last_status"] == 200 for s in listed)


def test_admin_password_refuses_a_reader_named_admin(  # type: ignore[no-untyped-def]
    run, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NEWSDESK_USER_PASSWORD", "reader password")
    monkeypatch.setenv("NEWSDESK_ADMIN_PASSWORD", "admin password")
    run("user", "add", "admin")
    assert "cannot become the web admin" in run("admin", "set-password", ok=False)


def test_a_mistyped_store_is_an_error_not_a_new_empty_store(run, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    typo = tmp_path / "nested" / "typo.db"
    for args in (("sources", "list"), ("articles",), ("refresh",), ("opml", "export")):
        out = run("--database-url", f"sqlite:///{typo}", *args, ok=False)
        assert "there is no store at" in out, args
    assert not typo.exists() and not typo.parent.exists()
    opml = tmp_path / "in.opml"
    opml.write_text(
        '<?xml version="1.0"?><opml version="2.0"><head/><body>'
        '<outline text="A" type="rss" xmlUrl="https://a.example/rss"/></body></opml>'
    )
    run("--database-url", f"sqlite:///{typo}", "opml", "import", str(opml))  # fills one: creates
    assert typo.exists()
    assert "a.example" in run("--database-url", f"sqlite:///{typo}", "sources", "list")
