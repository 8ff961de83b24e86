"""The README documents every setting and every CLI command (the Datasette rule)."""

from pathlib import Path

import click
import pytest

from newsdesk.cli import main
from newsdesk.settings import SETTINGS_TABLE

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


@pytest.mark.parametrize("setting", SETTINGS_TABLE, ids=lambda s: s.name)
def test_setting_is_documented(setting: object) -> None:
    name = f"NEWSDESK_{setting.name.upper()}"  # type: ignore[attr-defined]
    assert f"`{name}`" in README


def _commands(group: click.Group, prefix: str = "newsdesk") -> list[str]:
    names = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            names.extend(_commands(command, f"{prefix} {name}"))
        else:
            names.append(f"{prefix} {name}")
    return names


@pytest.mark.parametrize("command", _commands(main))
def test_command_is_documented(command: str) -> None:
    assert f"`{command}" in README


def test_quick_start_is_there() -> None:
    for target in ("make run", "make demo", "make test"):
        assert target in README
