"""`newsdesk user add`, `user set-api-password` and `user list`."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from newsdesk.cli import main
from newsdesk.store import open_store


def test_user_commands(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'users.db'}"
    runner = CliRunner()
    env = {"NEWSDESK_USER_PASSWORD": "long enough 1"}
    added = runner.invoke(main, ["--database-url", url, "user", "add", "alice", "--admin"], env=env)
    assert added.exit_code == 0, added.output
    prompted = runner.invoke(
        main,
        ["--database-url", url, "user", "set-api-password", "alice"],
        input="api password 2\napi password 2\n",
        env={"NEWSDESK_USER_PASSWORD": ""},
    )
    assert prompted.exit_code == 0, prompted.output
    listed = runner.invoke(main, ["--database-url", url, "user", "list"])
    assert listed.output.split("\t")[:3] == ["1", "alice", "admin"]
    weak = runner.invoke(
        main, ["--database-url", url, "user", "add", "bob"], env={"NEWSDESK_USER_PASSWORD": "x"}
    )
    assert weak.exit_code == 1 and "at least 8" in weak.output
    store = open_store(url)
    try:
        assert store.check_api_password("alice", "api password 2") is not None
        assert store.check_password("alice", "long enough 1") is not None
    finally:
        store.close()
