from dataclasses import fields
from pathlib import Path

import pytest

from newsdesk.settings import SETTINGS_TABLE, Settings, load_settings


def test_table_and_dataclass_agree() -> None:
    declared = {s.name: s.default for s in SETTINGS_TABLE}
    defaults = {f.name: f.default for f in fields(Settings)}
    assert declared == defaults


def test_environment_overrides_file_and_defaults(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text('port = 9001\nuser_agent = "from-file"\n')
    env = {"NEWSDESK_PORT": "9002", "NEWSDESK_ALLOW_PRIVATE_NETWORKS": "yes"}
    settings = load_settings(environ=env, config_file=config)
    assert settings.port == 9002
    assert settings.user_agent == "from-file"
    assert settings.allow_private_networks is True
    assert settings.max_redirects == 5


def test_explicit_override_wins() -> None:
    settings = load_settings(environ={"NEWSDESK_PORT": "1"}, port=2)
    assert settings.port == 2


@pytest.mark.parametrize(
    ("env", "message"),
    [
        ({"NEWSDESK_PORT": "eighty"}, "NEWSDESK_PORT"),
        ({"NEWSDESK_ALLOW_PRIVATE_NETWORKS": "maybe"}, "NEWSDESK_ALLOW_PRIVATE_NETWORKS"),
        ({"NEWSDESK_MAX_BODY_BYTES": "-5"}, "NEWSDESK_MAX_BODY_BYTES.*more than 0"),
        ({"NEWSDESK_TOTAL_TIMEOUT": "0"}, "NEWSDESK_TOTAL_TIMEOUT.*more than 0"),
        ({"NEWSDESK_PORT": "70000"}, "NEWSDESK_PORT.*not a port"),
        ({"NEWSDESK_MAX_REDIRECTS": "-1"}, "NEWSDESK_MAX_REDIRECTS.*0 or more"),
        ({"NEWSDESK_BACKOFF_MAX": "0"}, "NEWSDESK_BACKOFF_MAX"),
    ],
)
def test_bad_values_name_the_variable(env: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_settings(environ=env)


def test_unknown_file_setting_is_refused(tmp_path: Path) -> None:
    config = tmp_path / "newsdesk.toml"
    config.write_text("prot = 1\n")
    with pytest.raises(ValueError, match="prot"):
        load_settings(environ={}, config_file=config)
