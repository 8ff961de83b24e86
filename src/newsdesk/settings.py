"""The settings table: one declaration drives the environment, the config file, the docs and a test.

Values come, in rising priority, from the defaults below, a TOML config file (``NEWSDESK_CONFIG``,
else ``./newsdesk.toml`` when it exists) and ``NEWSDESK_<NAME>`` environment variables.
They are built once into a frozen :class:`Settings` and passed in; nothing reads them globally.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

ENV_PREFIX = "NEWSDESK_"


def _bool(value: str | bool) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in {"1", "true", "yes", "on"}:
        return True
    if text in {"0", "false", "no", "off", ""}:
        return False
    raise ValueError(f"not a boolean: {value!r}")


def _positive(number: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A cast to `number` that refuses zero and negative values (a limit of -5 bytes)."""

    def cast(value: Any) -> Any:
        got = number(value)
        if not got > 0:
            raise ValueError(f"must be more than 0, not {value!r}")
        return got

    cast.__name__ = f"positive {number.__name__}"
    return cast


def _port(value: Any) -> int:
    port = int(value)
    if not 0 < port < 65536:
        raise ValueError(f"not a port number: {value!r}")
    return port


def _whole(value: Any) -> int:
    """A whole number of 0 or more."""
    got = int(value)
    if got < 0:
        raise ValueError(f"must be 0 or more, not {value!r}")
    return got


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    cast: Callable[[Any], Any]


SETTINGS_TABLE: tuple[Setting, ...] = (
    Setting(
        "database_url",
        "sqlite:///newsdesk.db",
        "Store URL. sqlite:///PATH (relative to the working directory) or postgresql://...",
        str,
    ),
    Setting("host", "127.0.0.1", "Address `newsdesk serve` listens on.", str),
    Setting("port", 8000, "Port `newsdesk serve` listens on.", _port),
    Setting(
        "allow_private_networks",
        False,
        "Allow fetching from loopback, private and link-local addresses (tests, demo).",
        _bool,
    ),
    Setting(
        "user_agent",
        "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk; feed reader)",
        "User-Agent header sent with every request.",
        str,
    ),
    Setting("max_connections", 32, "Global limit on concurrent HTTP requests.", _positive(int)),
    Setting(
        "max_connections_per_host",
        2,
        "Limit on concurrent HTTP requests to one host.",
        _positive(int),
    ),
    Setting("connect_timeout", 10.0, "Seconds to wait for a TCP/TLS connection.", _positive(float)),
    Setting(
        "total_timeout",
        30.0,
        "Seconds a whole request (redirects and body included) may take.",
        _positive(float),
    ),
    Setting(
        "max_body_bytes",
        10_000_000,
        "Largest response body accepted, after decompression.",
        _positive(int),
    ),
    Setting("max_redirects", 5, "Most redirects followed for one request.", _whole),
    Setting(
        "fetch_articles", True, "Fetch each new entry's page and extract the full text.", _bool
    ),
    Setting(
        "understand",
        True,
        "Give new articles sections, places and topics, and fold them into stories "
        "(false: a plain feed reader).",
        _bool,
    ),
    Setting(
        "process_pool",
        True,
        "Parse feeds, extract pages and assemble and understand articles in worker processes, "
        "one per core (false: threads).",
        _bool,
    ),
    Setting(
        "respect_robots",
        True,
        "Obey robots.txt for article pages (never for subscribed feeds).",
        _bool,
    ),
    Setting(
        "refresh_interval",
        1800,
        "Starting refresh interval of a new source, in seconds.",
        _positive(int),
    ),
    Setting(
        "refresh_min_interval",
        300,
        "Shortest adaptive refresh interval, in seconds.",
        _positive(int),
    ),
    Setting(
        "refresh_max_interval",
        86400,
        "Longest adaptive refresh interval, in seconds.",
        _positive(int),
    ),
    Setting(
        "backoff_max", 86400, "Longest delay after repeated failures, in seconds.", _positive(int)
    ),
    Setting(
        "default_sources",
        True,
        "Seed the built-in world-news source list into an empty store.",
        _bool,
    ),
    Setting("log_level", "INFO", "Python logging level.", str),
)


@dataclass(frozen=True)
class Settings:
    database_url: str = "sqlite:///newsdesk.db"
    host: str = "127.0.0.1"
    port: int = 8000
    allow_private_networks: bool = False
    user_agent: str = "newsdesk/0.1 (+https://github.com/newsdesk/newsdesk; feed reader)"
    max_connections: int = 32
    max_connections_per_host: int = 2
    connect_timeout: float = 10.0
    total_timeout: float = 30.0
    max_body_bytes: int = 10_000_000
    max_redirects: int = 5
    fetch_articles: bool = True
    understand: bool = True
    process_pool: bool = True
    respect_robots: bool = True
    refresh_interval: int = 1800
    refresh_min_interval: int = 300
    refresh_max_interval: int = 86400
    backoff_max: int = 86400
    default_sources: bool = True
    log_level: str = "INFO"

    def replace(self, **changes: Any) -> Settings:
        values = {f.name: getattr(self, f.name) for f in fields(self)}
        values.update(changes)
        return Settings(**values)


def load_settings(
    environ: Mapping[str, str] | None = None,
    config_file: str | Path | None = None,
    **overrides: Any,
) -> Settings:
    """Build Settings from defaults, the config file, the environment and explicit overrides."""
    env = os.environ if environ is None else environ
    path = config_file or env.get(ENV_PREFIX + "CONFIG")
    file_values: dict[str, Any] = {}
    if path is None and Path("newsdesk.toml").is_file():
        path = "newsdesk.toml"
    if path is not None:
        with open(path, "rb") as fh:
            file_values = tomllib.load(fh)
        unknown = set(file_values) - {s.name for s in SETTINGS_TABLE}
        if unknown:
            raise ValueError(f"unknown settings in {path}: {', '.join(sorted(unknown))}")
    values: dict[str, Any] = {}
    for setting in SETTINGS_TABLE:
        raw: Any = setting.default
        if setting.name in file_values:
            raw = file_values[setting.name]
        env_name = ENV_PREFIX + setting.name.upper()
        if env_name in env:
            raw = env[env_name]
        if setting.name in overrides and overrides[setting.name] is not None:
            raw = overrides[setting.name]
        try:
            values[setting.name] = setting.cast(raw)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"bad value for {env_name}: {raw!r} ({exc})") from exc
    return Settings(**values)
