"""Shared fixtures: a real HTTP server on 127.0.0.1 and test settings with a temporary store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from fixture_server import FixtureServer
from newsdesk.settings import Settings, load_settings


@pytest.fixture
def http_server() -> Iterator[FixtureServer]:
    """A fresh fixture HTTP server; register routes with ``http_server.route(...)``."""
    with FixtureServer() as server:
        yield server


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    """Settings for tests: private networks allowed, a temporary SQLite store, short timeouts."""
    return load_settings(
        environ={},
        allow_private_networks=True,
        database_url=f"sqlite:///{tmp_path}/test.db",
        total_timeout=5.0,
        connect_timeout=2.0,
    )
